// The network plan: every decision a boot needs, computed once from field-valid config, without
// I/O. Amounts are bigint units of the core symbol, formatted only where they become resource
// inputs; defaults follow the configured symbol and precision. Config checks, the Network
// component, the refusals and the policy pack all read this one value.
import type { ConfigPath, Problem } from "../config/paths";
import type { StackConfig } from "../config/schema";
import { reachableAddress } from "../rules/labels";
import { CoreSymbol, formatAsset, readAsset, splitFunds, StakeRule, StakeSplit } from "../rules/assets";
import { DistributionSpec, generateDistribution, WrittenDistribution } from "./distribution";
import { ElectionResult, predictElection } from "./election";

/** Amounts the config gets wrong: the plan cannot be computed (the config layer reports them). */
export class PlanProblems extends Error {
    constructor(public readonly problems: Problem[]) {
        super(problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; "));
        this.name = "PlanProblems";
    }
}

export type AccountRole = "creator" | "producer" | "account" | "team";

export interface PlannedAccount {
    name: string;
    role: AccountRole;
    /** Config path of the entry that declares it (generated accounts: the distribution). */
    path: ConfigPath;
    /** Config path of the field that sets its funding. */
    fundsPath: ConfigPath;
    /** Everything it is given at creation: RAM + CPU + NET + liquid. */
    funds: bigint;
    split: StakeSplit;
    /** Who creates and funds it: the creator where there is one, else eosio (team accounts: eosio). */
    createdBy: string;
    /** A pinned public key; its private half is eos-network:keys.<name>. */
    publicKey?: string;
    votes: string[];
    proxy?: string;
    isProxy: boolean;
    /** One of the distribution's: created by the Distribution resource, its key derived from the seed. */
    generated?: boolean;
}

export type PlannedProducer = PlannedAccount & {
    url: string;
    location: number;
    runsNode: boolean;
    claimRewards: boolean;
};

/** Where a Kubernetes host's nodes run: its namespace, context and the nodes' claims. */
export interface PlannedCluster {
    namespace: string;
    context?: string;
    storageClass?: string;
    storageSize: string;
    imagePullPolicy: "IfNotPresent" | "Always" | "Never";
}

/** A docker engine (or a cluster's namespace) the nodes run on. */
export interface PlannedHost {
    name: string;
    /** Config path of its entry (the implicit local host: node.httpBindAddress). */
    path: ConfigPath;
    /** The engine (unix://, tcp://, ssh://); undefined: the provider's default (DOCKER_HOST or the local socket). */
    docker?: string;
    /** How the engine is reached: a tcp engine without tls material is unauthenticated; kubernetes: a cluster's namespace. */
    transport: "default" | "unix" | "tls" | "tcp" | "ssh" | "kubernetes";
    /** A namespace of a cluster, in place of a docker engine. */
    kubernetes?: PlannedCluster;
    /** Where the ports it publishes are reached, by the other hosts and by this machine. */
    address: string;
    tls?: { ca: string; cert: string };
    sshHostKey?: string;
    /** No hosts configured: the one local engine, wired as before hosts existed (names and providers unchanged). */
    implicit: boolean;
}

export interface PlannedNode {
    /** "boot", or the producer it signs for. */
    role: string;
    /** The host it runs on, and the config field that places it there. */
    host: string;
    hostPath: ConfigPath;
    /** Port on its host its p2p listener is published on (only with configured hosts), and its field. */
    p2pPort: number;
    p2pPortPath: ConfigPath;
    /** Port on the host its HTTP API is published on, and the config field that sets it. */
    httpPort: number;
    httpPortPath: ConfigPath;
    producerNames: string[];
    /** Produce on a stale chain: the boot node, and one producer so a full restart resumes. */
    enableStaleProduction: boolean;
    /** Roles of the nodes it dials (connections go both ways). */
    peers: string[];
}

export interface NetworkPlan {
    config: StackConfig;
    symbol: CoreSymbol;
    stakeRule: StakeRule;
    token: { maxSupply: bigint; issue: bigint; issuer: "eosio" };
    creator?: PlannedAccount;
    producers: PlannedProducer[];
    /** Staked accounts: the configured ones, then the generated distribution. */
    accounts: PlannedAccount[];
    /** The distribution's spec in units, with the producers it votes for (its accounts are in `accounts`). */
    distribution?: { spec: DistributionSpec; producers: string[] };
    team: PlannedAccount[];
    election: ElectionResult;
    /** What the votes elect: the top 21 by stake, sorted by name. */
    schedule: string[];
    /** The boot node first, then one per producer that runs a node, in config order. */
    nodes: PlannedNode[];
    /** The configured hosts, or the one implicit local host. */
    hosts: PlannedHost[];
}

/** Share of the creator's funds staked for its own CPU and NET (it signs every account's creation). */
export const CREATOR_STAKE_PERCENT = 10n;

/** Defaults in whole tokens (numerator, denominator), turned into units at the configured precision. */
const DEFAULT_TOKENS = {
    producerFunds: [1000n, 1n],
    ram: [1n, 10n],
    minStake: [9n, 10n],
    maxLiquid: [9n, 1n],
    maxSupply: [10_000_000_000n, 1n],
    issue: [1_000_000_000n, 1n],
    distributionMinimum: [1n, 1n],
} as const;

/** `num/den` tokens in units of `symbol`, rounded up to at least one unit. */
export function tokens([num, den]: readonly [bigint, bigint], symbol: CoreSymbol): bigint {
    const scaled = num * 10n ** BigInt(symbol.precision);
    const units = (scaled + den - 1n) / den;
    return units > 0n ? units : 1n;
}

/** The default of an amount field, written in the configured symbol (for docs and messages). */
export function defaultAmount(field: keyof typeof DEFAULT_TOKENS, symbol: CoreSymbol): string {
    return formatAsset(tokens(DEFAULT_TOKENS[field], symbol), symbol);
}

/** Reads asset fields in the core symbol, collecting what is wrong with each, by path. */
class Amounts {
    readonly problems: Problem[] = [];
    constructor(readonly symbol: CoreSymbol) {}

    read(path: ConfigPath, text: string | undefined, fallback?: keyof typeof DEFAULT_TOKENS): bigint {
        if (text === undefined) {
            return fallback ? tokens(DEFAULT_TOKENS[fallback], this.symbol) : 0n;
        }
        const { code, precision } = this.symbol;
        const r = readAsset(text, this.symbol);
        if (r.kind === "units" && r.units >= 0n) {
            return r.units;
        }
        const message = r.kind === "symbol" ? `expected the core symbol ${code}, got ${r.code}`
            : r.kind === "precision" ? `expected ${precision} decimals for ${code}, got ${r.decimals}`
                : `expected an asset like "1${precision > 0 ? "." + "0".repeat(precision) : ""} ${code}"`;
        this.problems.push({ path, message });
        return 0n;
    }
}

const at = (...p: ConfigPath): ConfigPath => p;

/**
 * The plan of a field-valid config. Throws PlanProblems when amounts are not in the core symbol,
 * funds do not cover the RAM purchase, or the distribution cannot give every account its minimum.
 */
export function planNetwork(cfg: StackConfig): NetworkPlan {
    const symbol = { code: cfg.chain.coreSymbol, precision: cfg.chain.precision };
    const amounts = new Amounts(symbol);
    const stakeRule: StakeRule = {
        ram: amounts.read(at("stakeRule", "ram"), cfg.stakeRule.ram, "ram"),
        minStake: amounts.read(at("stakeRule", "minStake"), cfg.stakeRule.minStake, "minStake"),
        maxLiquid: amounts.read(at("stakeRule", "maxLiquid"), cfg.stakeRule.maxLiquid, "maxLiquid"),
    };
    const token = {
        maxSupply: amounts.read(at("chain", "maxSupply"), cfg.chain.maxSupply, "maxSupply"),
        issue: amounts.read(at("chain", "issue"), cfg.chain.issue, "issue"),
        issuer: "eosio" as const,
    };
    const createdBy = cfg.creator?.name ?? "eosio";
    const split = (funds: bigint, fundsPath: ConfigPath, written: string | undefined): StakeSplit => {
        const unread = amounts.problems.some((p) => p.path.join(".") === fundsPath.join("."));
        if (funds < stakeRule.ram && !unread) {
            amounts.problems.push({ path: fundsPath, message: `${written ?? formatAsset(funds, symbol)} does not cover the RAM purchase of ${formatAsset(stakeRule.ram, symbol)}` });
            return { ram: funds, cpu: 0n, net: 0n, liquid: 0n };
        }
        if (funds < stakeRule.ram) {
            return { ram: funds, cpu: 0n, net: 0n, liquid: 0n };
        }
        return splitFunds(funds, stakeRule);
    };
    const account = (role: AccountRole, name: string, path: ConfigPath, fundsPath: ConfigPath, funds: bigint, written: string | undefined,
        rest: Partial<PlannedAccount> = {}): PlannedAccount => ({
        name, role, path, fundsPath, funds, split: split(funds, fundsPath, written), createdBy, votes: [], isProxy: false, ...rest,
    });

    const producers: PlannedProducer[] = cfg.producers.map((p, i) => {
        const fundsPath = at("producers", i, "funds");
        return {
            ...account("producer", p.name, at("producers", i, "name"), fundsPath, amounts.read(fundsPath, p.funds, "producerFunds"), p.funds, { publicKey: p.publicKey }),
            url: p.url, location: p.location, runsNode: p.runsNode, claimRewards: p.claimRewards,
        };
    });
    const accounts: PlannedAccount[] = cfg.accounts.map((a, i) => {
        const fundsPath = at("accounts", i, "funds");
        return account("account", a.name, at("accounts", i, "name"), fundsPath, amounts.read(fundsPath, a.funds), a.funds,
            { publicKey: a.publicKey, votes: a.votes, proxy: a.proxy, isProxy: a.isProxy });
    });
    const d = cfg.distribution;
    let distribution: NetworkPlan["distribution"];
    if (d) {
        const total = amounts.read(at("distribution", "total"), d.total);
        const minimum = amounts.read(at("distribution", "minimum"), d.minimum, "distributionMinimum");
        if (amounts.problems.length === 0 && minimum * BigInt(d.count) > total) {
            amounts.problems.push({ path: at("distribution", "total"), message: `${d.total} cannot give ${d.count} accounts the minimum ${formatAsset(minimum, symbol)} each` });
        } else if (amounts.problems.length === 0) {
            distribution = { spec: { ...d, total, minimum }, producers: cfg.producers.map((p) => p.name) };
            const generated = generateDistribution(distribution.spec, distribution.producers);
            accounts.push(...generated.map((g) => account("account", g.name, at("distribution"), at("distribution"), g.funds, undefined, { votes: g.votes, generated: true })));
        }
    }
    let creator: PlannedAccount | undefined;
    if (cfg.creator) {
        // RAM like any account, a tenth of its funds staked (50/50) so its transactions get
        // resources beside large voters, the rest liquid: it pays for what it creates.
        const funds = amounts.read(at("creator", "funds"), cfg.creator.funds);
        const share = (funds * CREATOR_STAKE_PERCENT) / 100n;
        const stake = share > stakeRule.minStake ? share : stakeRule.minStake;
        const net = stake / 2n;
        const liquid = funds - stakeRule.ram - stake;
        creator = {
            name: cfg.creator.name, role: "creator", path: at("creator", "name"), fundsPath: at("creator", "funds"), funds, createdBy: "eosio",
            split: { ram: stakeRule.ram, cpu: stake - net, net, liquid: liquid > 0n ? liquid : 0n }, publicKey: cfg.creator.publicKey, votes: [], isProxy: false,
        };
    }
    const team: PlannedAccount[] = cfg.teamAccounts.map((a, i) => {
        const base = { name: a.name, role: "team" as const, path: at("teamAccounts", i, "name"), createdBy: "eosio", publicKey: a.publicKey, votes: [], isProxy: false };
        if (a.funds !== undefined || a.ram === undefined) {
            const fundsPath = at("teamAccounts", i, "funds");
            const funds = amounts.read(fundsPath, a.funds);
            return { ...base, fundsPath, funds, split: a.funds === undefined ? { ram: 0n, cpu: 0n, net: 0n, liquid: 0n } : split(funds, fundsPath, a.funds) };
        }
        const s = {
            ram: amounts.read(at("teamAccounts", i, "ram"), a.ram), cpu: amounts.read(at("teamAccounts", i, "cpu"), a.cpu),
            net: amounts.read(at("teamAccounts", i, "net"), a.net), liquid: amounts.read(at("teamAccounts", i, "liquid"), a.liquid),
        };
        return { ...base, fundsPath: at("teamAccounts", i, "cpu"), funds: s.ram + s.cpu + s.net + s.liquid, split: s };
    });
    if (amounts.problems.length > 0) {
        throw new PlanProblems(amounts.problems);
    }

    const election = predictElection(accounts.map((a) => ({ name: a.name, stake: a.split.cpu + a.split.net, producers: a.votes, proxy: a.proxy, isProxy: a.isProxy })),
        producers.map((p) => p.name));
    return { config: cfg, symbol, stakeRule, token, creator, producers, accounts, distribution, team, election, schedule: election.schedule, nodes: planNodes(cfg, producers), hosts: planHosts(cfg) };
}

/**
 * The boot node and a node per producer that runs one. Each producer node dials the boot node and
 * the producer nodes listed before it, so appending a producer never touches an existing node's
 * config. After every node stopped at once the head is stale and a producer only resumes on a
 * recent block: the first producer with a node may produce on a stale chain.
 */
function planNodes(cfg: StackConfig, producers: PlannedProducer[]): PlannedNode[] {
    const bootHost = cfg.bootNode.host ?? cfg.hosts[0]?.name ?? LOCAL_HOST;
    // Default ports count up from the boot node's; on a cluster they are NodePorts, from its range.
    const base = (host: string) => (cfg.hosts.find((h) => h.name === host)?.kubernetes ? NODE_PORT_BASE : { http: cfg.bootNode.httpPort, p2p: cfg.bootNode.p2pPort });
    const boot: PlannedNode = {
        role: "boot", host: bootHost, hostPath: at("bootNode", "host"), p2pPort: cfg.bootNode.p2pPort, p2pPortPath: at("bootNode", "p2pPort"),
        httpPort: cfg.bootNode.httpPort, httpPortPath: at("bootNode", "httpPort"), producerNames: ["eosio"], enableStaleProduction: true, peers: [],
    };
    if (base(bootHost) === NODE_PORT_BASE) {
        // bootNode's ports default to 8888/9876 in the schema: on a cluster those mean its NodePort defaults.
        boot.httpPort = cfg.bootNode.httpPort === 8888 ? NODE_PORT_BASE.http : cfg.bootNode.httpPort;
        boot.p2pPort = cfg.bootNode.p2pPort === 9876 ? NODE_PORT_BASE.p2p : cfg.bootNode.p2pPort;
    }
    const restartProducer = producers.find((p) => p.runsNode)?.name;
    const running = producers.map((p, i) => ({ p, i })).filter(({ p }) => p.runsNode);
    return [boot, ...running.map(({ p, i }, n) => ({
        role: p.name,
        host: cfg.producers[i].host ?? bootHost,
        hostPath: at("producers", i, "host"),
        p2pPort: cfg.producers[i].p2pPort ?? base(cfg.producers[i].host ?? bootHost).p2p + i + 1,
        p2pPortPath: at("producers", i, "p2pPort"),
        httpPort: cfg.producers[i].httpPort ?? base(cfg.producers[i].host ?? bootHost).http + i + 1,
        httpPortPath: at("producers", i, "httpPort"),
        producerNames: [p.name],
        enableStaleProduction: p.name === restartProducer,
        peers: ["boot", ...running.slice(0, n).map((r) => r.p.name)],
    }))];
}

/** Default NodePorts of a node on a cluster (boot, then + position): inside Kubernetes' default range 30000-32767. */
export const NODE_PORT_BASE = { http: 30888, p2p: 31876 } as const;

/** The NodePort range of a cluster's default configuration (--service-node-port-range). */
export const NODE_PORT_RANGE = [30000, 32767] as const;

/** The host of a stack without hosts: the provider's own engine. */
export const LOCAL_HOST = "local";

function planHosts(cfg: StackConfig): PlannedHost[] {
    if (cfg.hosts.length === 0) {
        return [{ name: LOCAL_HOST, path: at("node", "httpBindAddress"), transport: "default", address: reachableAddress(cfg.node.httpBindAddress), implicit: true }];
    }
    return cfg.hosts.map((h, i) => ({
        name: h.name, path: at("hosts", i), docker: h.docker, address: h.address, tls: h.tls, sshHostKey: h.sshHostKey, implicit: false,
        kubernetes: h.kubernetes,
        transport: h.kubernetes ? "kubernetes" : (h.docker ?? "").startsWith("unix://") ? "unix" : (h.docker ?? "").startsWith("ssh://") ? "ssh" : h.tls ? "tls" : "tcp",
    }));
}

/** Whether the nodes are placed on configured hosts (else: the one local engine, as before hosts). */
export function placedOnHosts(plan: NetworkPlan): boolean {
    return !plan.hosts[0].implicit;
}

/** The host of a node. */
export function hostOf(plan: NetworkPlan, node: PlannedNode): PlannedHost {
    return plan.hosts.find((h) => h.name === node.host) ?? plan.hosts[0];
}

/** The plan's amount in its core symbol, as resource inputs and messages write it. */
export function asset(plan: NetworkPlan, units: bigint): string {
    return formatAsset(units, plan.symbol);
}

/**
 * The distribution as the Distribution resource (and getChainState) take it: amounts as asset text,
 * producers sorted as the resource's check writes them (their order changes nothing generated).
 */
export function writtenDistribution(plan: NetworkPlan): WrittenDistribution | undefined {
    const d = plan.distribution;
    return d && {
        count: d.spec.count, total: asset(plan, d.spec.total), minimum: asset(plan, d.spec.minimum), alpha: d.spec.alpha, seed: d.spec.seed,
        namePrefix: d.spec.namePrefix, votesPerAccount: d.spec.votesPerAccount, producers: [...d.producers].sort(),
        ram: asset(plan, plan.stakeRule.ram), minStake: asset(plan, plan.stakeRule.minStake), maxLiquid: asset(plan, plan.stakeRule.maxLiquid),
    };
}

/** Producers and staked accounts, which the creator (else eosio) creates and funds. */
export function fundedAccounts(plan: NetworkPlan): PlannedAccount[] {
    return [...plan.producers, ...plan.accounts];
}

/** Every account the stack creates and holds a key for: creator, producers, staked and team accounts. */
export function stackAccounts(plan: NetworkPlan): PlannedAccount[] {
    return [...(plan.creator ? [plan.creator] : []), ...fundedAccounts(plan), ...plan.team];
}

/** An account's RAM/CPU/NET/liquid as Account inputs write them ("" for nothing given). */
export function splitInputs(plan: NetworkPlan, a: PlannedAccount): { ram: string; cpu: string; net: string; liquid: string } {
    const f = (u: bigint) => asset(plan, u);
    const { ram, cpu, net, liquid } = a.split;
    if (a.role === "creator") {
        return { ram: f(ram), cpu: f(cpu), net: f(net), liquid: f(liquid) };
    }
    const written = a.role === "team" ? plan.config.teamAccounts.find((t) => t.name === a.name) : undefined;
    if (written && written.funds === undefined) {
        // Given field by field: what was not written is not given.
        const given = (text: string | undefined, u: bigint) => (text === undefined ? "" : f(u));
        return { ram: given(written.ram, ram), cpu: given(written.cpu, cpu), net: given(written.net, net), liquid: given(written.liquid, liquid) };
    }
    return { ram: f(ram), cpu: f(cpu), net: f(net), liquid: liquid > 0n ? f(liquid) : "" };
}
