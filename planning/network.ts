// What the boot will create, computed from validated config without I/O (tests call it directly).
import type { StackConfig } from "../config";
import { CoreSymbol, formatAsset, parseAsset, splitFunds } from "../rules/assets";
import { generateDistribution } from "./distribution";
import { ElectionResult, predictElection, Voter } from "./election";

export type StakedAccount = StackConfig["accounts"][number];

/** The configured staked accounts followed by the generated distribution, if any. */
export function stakedAccounts(cfg: StackConfig): StakedAccount[] {
    const d = cfg.distribution;
    if (!d) {
        return cfg.accounts;
    }
    const sym = coreSymbol(cfg);
    const generated = generateDistribution({
        count: d.count,
        total: parseAsset(d.total, sym),
        minimum: parseAsset(d.minimum, sym),
        alpha: d.alpha,
        seed: d.seed,
        namePrefix: d.namePrefix,
        votesPerAccount: d.votesPerAccount,
    }, cfg.producers.map((p) => p.name));
    return [...cfg.accounts, ...generated.map((g) => ({ name: g.name, funds: formatAsset(g.funds, sym), votes: g.votes, isProxy: false }))];
}

export const SYSTEM_ACCOUNTS = [
    "eosio.bpay", "eosio.msig", "eosio.names", "eosio.ram", "eosio.ramfee",
    "eosio.saving", "eosio.stake", "eosio.token", "eosio.vpay", "eosio.rex",
];

export interface FundedAccount {
    name: string;
    role: "producer" | "account";
    ram: string;
    cpu: string;
    net: string;
    liquid: string;
}

export function coreSymbol(cfg: StackConfig): CoreSymbol {
    return { code: cfg.chain.coreSymbol, precision: cfg.chain.precision };
}

/** Every producer and staked account with its RAM/CPU/NET/liquid split. */
export function fundedAccounts(cfg: StackConfig): FundedAccount[] {
    const sym = coreSymbol(cfg);
    const rule = {
        ram: parseAsset(cfg.stakeRule.ram, sym),
        minStake: parseAsset(cfg.stakeRule.minStake, sym),
        maxLiquid: parseAsset(cfg.stakeRule.maxLiquid, sym),
    };
    const fund = (name: string, role: FundedAccount["role"], funds: string): FundedAccount => {
        const split = splitFunds(parseAsset(funds, sym), rule);
        const fmt = (u: bigint) => (u > 0n ? formatAsset(u, sym) : "");
        return { name, role, ram: formatAsset(split.ram, sym), cpu: formatAsset(split.cpu, sym), net: formatAsset(split.net, sym), liquid: fmt(split.liquid) };
    };
    return [
        ...cfg.producers.map((p) => fund(p.name, "producer", p.funds)),
        ...stakedAccounts(cfg).map((a) => fund(a.name, "account", a.funds)),
    ];
}

/** Share of the creator's funds staked for its own CPU and NET (it signs every account's creation). */
export const CREATOR_STAKE_PERCENT = 10n;

/**
 * The creator account's own split: RAM like any account, a tenth of its funds staked (50/50
 * CPU/NET) so its transactions get resources beside large voters, everything else liquid, since it
 * pays for the accounts it creates (and for upgrade proposals' RAM).
 */
export function creatorAccount(cfg: StackConfig): FundedAccount | undefined {
    if (!cfg.creator) {
        return undefined;
    }
    const sym = coreSymbol(cfg);
    const ram = parseAsset(cfg.stakeRule.ram, sym);
    const funds = parseAsset(cfg.creator.funds, sym);
    const minimum = parseAsset(cfg.stakeRule.minStake, sym);
    const share = (funds * CREATOR_STAKE_PERCENT) / 100n;
    const stake = share > minimum ? share : minimum;
    const net = stake / 2n;
    return {
        name: cfg.creator.name, role: "account",
        ram: formatAsset(ram, sym), cpu: formatAsset(stake - net, sym), net: formatAsset(net, sym), liquid: formatAsset(funds - ram - stake, sym),
    };
}

/** Who creates and funds producers and staked accounts: the configured creator, else eosio. */
export function creatorOf(cfg: StackConfig): string {
    return cfg.creator?.name ?? "eosio";
}

/** The election the configured votes produce once every account has voted. */
export function electionOf(cfg: StackConfig): ElectionResult {
    const funded = new Map(fundedAccounts(cfg).map((f) => [f.name, f]));
    const sym = coreSymbol(cfg);
    const voters: Voter[] = stakedAccounts(cfg).map((a) => {
        const f = funded.get(a.name)!;
        return { name: a.name, stake: parseAsset(f.cpu, sym) + parseAsset(f.net, sym), producers: a.votes, proxy: a.proxy, isProxy: a.isProxy };
    });
    return predictElection(voters, cfg.producers.map((p) => p.name));
}

/** The producers the chain should end up scheduling: the top 21 by votes, sorted by name. */
export function desiredSchedule(cfg: StackConfig): string[] {
    return electionOf(cfg).schedule;
}

/** Host HTTP port of a producer's node. */
export function producerHttpPort(cfg: StackConfig, index: number): number {
    return cfg.producers[index].httpPort ?? cfg.bootNode.httpPort + index + 1;
}

/**
 * p2p peers of a node: each producer node dials the boot node and the producer nodes listed before
 * it; the boot node dials nobody (connections go both ways). Appending a producer therefore leaves
 * every existing node's config, and so the running chain, untouched.
 */
export function nodePeers(bootAgent: string, producers: { agent: string; runsNode: boolean }[], self: string): string[] {
    if (self === bootAgent) {
        return [];
    }
    const index = producers.findIndex((p) => p.agent === self);
    return [bootAgent, ...producers.slice(0, Math.max(index, 0)).filter((p) => p.runsNode).map((p) => p.agent)];
}

/** Config path of each producer and staked account (generated ones point at the distribution). */
export function accountConfigPaths(cfg: StackConfig): Map<string, string> {
    const paths = new Map<string, string>();
    if (cfg.creator) {
        paths.set(cfg.creator.name, "eos-network:creator.name");
    }
    cfg.producers.forEach((p, i) => paths.set(p.name, `eos-network:producers[${i}].name`));
    cfg.accounts.forEach((a, i) => paths.set(a.name, `eos-network:accounts[${i}].name`));
    for (const a of stakedAccounts(cfg)) {
        if (!paths.has(a.name)) {
            paths.set(a.name, "eos-network:distribution");
        }
    }
    return paths;
}

/** What each funded account is given in all (RAM + stake + liquid), as a creator pays it. */
export function plannedFunds(cfg: StackConfig): Map<string, string> {
    const sym = coreSymbol(cfg);
    return new Map(fundedAccounts(cfg).map((f) => [f.name,
        formatAsset(parseAsset(f.ram, sym) + parseAsset(f.cpu, sym) + parseAsset(f.net, sym) + (f.liquid ? parseAsset(f.liquid, sym) : 0n), sym)]));
}

/** The stake (CPU + NET) the config gives each funded account, with the config path of its funds. */
export function plannedStakes(cfg: StackConfig): Map<string, { staked: string; path: string }> {
    const sym = coreSymbol(cfg);
    const where = new Map<string, string>();
    cfg.producers.forEach((p, i) => where.set(p.name, `eos-network:producers[${i}].funds`));
    cfg.accounts.forEach((a, i) => where.set(a.name, `eos-network:accounts[${i}].funds`));
    const out = new Map<string, { staked: string; path: string }>();
    for (const f of fundedAccounts(cfg)) {
        const staked = formatAsset(parseAsset(f.cpu, sym) + parseAsset(f.net, sym), sym);
        out.set(f.name, { staked, path: where.get(f.name) ?? "eos-network:distribution" });
    }
    return out;
}
