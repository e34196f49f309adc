// What the running chain cannot carry out, decided from what it shows (no I/O): each problem
// names the config field to change.
import { CoreSymbol, formatAsset, readAnyAsset } from "../rules/assets";
import { scheduleShrinkReason, scheduleShrinks } from "../rules/schedule";
import { configPath } from "../config/paths";
import type { WrittenDistribution } from "./distribution";
import { fundedAccounts, NetworkPlan, stackAccounts, writtenDistribution } from "./plan";

export interface ObservedChain {
    reachable: boolean;
    activeSchedule: string[];
    /** Who controls eosio: "eosio.prods" once it has resigned. */
    eosioController: string;
    existingAccounts: string[];
    /**
     * Own stake (CPU + NET) and liquid balance of existing accounts: those without a planned
     * stake, and those whose stake may be below it. An existing account not listed has a
     * voters-table stake of at least its planned one, so it needs none (getChainState reads thousands
     * of accounts one by one only when they might).
     */
    accounts: { name: string; staked: string; liquid: string }[];
    tokenMaxSupply: string;
    tokenIssuer: string;
}

/** What the plan asks of the chain, with the config path of each part (amounts in units). */
export interface PlannedChain {
    symbol: CoreSymbol;
    schedule: string[];
    /** Producer/account name -> its config path (…name). */
    paths: Map<string, string>;
    /** Account name -> stake (CPU + NET) the plan gives it, and the path of its funds. */
    stakes: Map<string, { staked: bigint; path: string }>;
    /** Account name -> everything the creator gives it at creation (RAM + stake + liquid). */
    funds: Map<string, bigint>;
    /** The configured creator account, which creates and funds accounts in eosio's place. */
    creator?: string;
    /** Accounts eosio creates even when there is a creator (the team's), with their config paths. */
    createdByEosio?: Map<string, string>;
    maxSupply: bigint;
    issuer: string;
}

/** The part of the plan the refusals read. */
export function plannedChain(plan: NetworkPlan): PlannedChain {
    const staked = [...fundedAccounts(plan), ...plan.team];
    return {
        symbol: plan.symbol,
        schedule: plan.schedule,
        paths: new Map(stackAccounts(plan).map((a) => [a.name, configPath(a.path)])),
        stakes: new Map(staked.map((a) => [a.name, { staked: a.split.cpu + a.split.net, path: configPath(a.fundsPath) }])),
        funds: new Map(fundedAccounts(plan).map((a) => [a.name, a.funds])),
        creator: plan.creator?.name,
        createdByEosio: new Map(plan.team.map((a) => [a.name, configPath(a.path)])),
        maxSupply: plan.token.maxSupply,
        issuer: plan.token.issuer,
    };
}

/**
 * What getChainState is asked: the plan's accounts and their planned stakes, the generated ones as
 * their distribution, from which the provider derives the same names and stakes (a reference-sized
 * plan's 3000 names and stakes took about 0.2 s of CPU to send and receive in each preview).
 */
export function chainStateQuery(plan: NetworkPlan, planned: PlannedChain): { accounts: string[]; plannedStakes: Record<string, string>; distribution?: WrittenDistribution } {
    const generated = new Set(plan.accounts.filter((a) => a.generated).map((a) => a.name));
    const distribution = writtenDistribution(plan);
    return {
        accounts: [...planned.paths.keys()].filter((name) => !generated.has(name)),
        // Account -> asset, for the named accounts only (the generated ones' are derived from the distribution).
        plannedStakes: Object.fromEntries([...planned.stakes].filter(([name]) => !generated.has(name)).map(([name, s]) => [name, formatAsset(s.staked, planned.symbol)])),
        ...(distribution ? { distribution } : {}),
    };
}

const units = (asset: string) => readAnyAsset(asset)?.units ?? 0n;

/**
 * Problems of moving the running chain to the configured plan: a smaller schedule than the running
 * one; accounts or stake nobody can fund (eosio after its resignation cannot sign alone; a creator
 * account can, within its balance); a token that cannot be created again.
 */
export function chainRefusals(chain: ObservedChain, plan: PlannedChain): string[] {
    if (!chain.reachable) {
        return [];
    }
    const problems: string[] = [];
    if (scheduleShrinks(chain.activeSchedule, plan.schedule)) {
        problems.push(`eos-network:accounts: ${scheduleShrinkReason(chain.activeSchedule, plan.schedule)}`);
    }
    const fmt = (u: bigint) => formatAsset(u, plan.symbol);
    if (chain.tokenMaxSupply && units(chain.tokenMaxSupply) !== plan.maxSupply) {
        problems.push(`eos-network:chain.maxSupply: the chain's core token has max supply ${chain.tokenMaxSupply}, and a token's max supply cannot change; ` +
            "reset the network (npm run destroy, then npm run up) to use another");
    }
    if (chain.tokenIssuer && chain.tokenIssuer !== plan.issuer) {
        problems.push(`eos-network:chain: the core token's issuer is ${chain.tokenIssuer} and cannot change`);
    }
    const existing = new Set(chain.existingAccounts);
    const onChain = new Map(chain.accounts.map((a) => [a.name, a]));
    const creator = plan.creator && existing.has(plan.creator) ? onChain.get(plan.creator) : undefined;
    const resigned = chain.eosioController === "eosio.prods";
    const createdByEosio = plan.createdByEosio ?? new Map<string, string>();
    // A creator helps only the accounts it creates: not the team's (eosio's), nor itself.
    const creatorCould = (account: string) => !createdByEosio.has(account) && account !== plan.creator;
    const missingAfterResignation = (account: string, where: string) =>
        `${where}: ${account} is not on the chain, and eosio has resigned to eosio.prods, so it cannot be created; ` +
        (creatorCould(account) ? "configure eos-network:creator (a funded account that creates accounts after the resignation) on a new network, " : "") +
        "reset this one (npm run destroy, then npm run up), or set eos-network:resign to false";
    // Stake eosio would fund: after the resignation only the account's own liquid balance can pay it.
    const beyondOwnLiquid = (accounts: ObservedChain["accounts"]) => {
        for (const a of accounts) {
            const want = plan.stakes.get(a.name);
            if (!want) {
                continue;
            }
            const more = want.staked - units(a.staked);
            if (more > units(a.liquid)) {
                problems.push(`${want.path}: ${a.name} would stake ${fmt(want.staked)}, more than its ${a.staked || "nothing"} staked plus ${a.liquid || "no"} liquid; ` +
                    "eosio has resigned and cannot fund it: lower the funds, or transfer tokens to the account first");
            }
        }
    };
    if (creator && resigned) {
        for (const [account, where] of createdByEosio) {
            if (!existing.has(account)) {
                problems.push(missingAfterResignation(account, where));
            }
        }
        beyondOwnLiquid(chain.accounts.filter((a) => createdByEosio.has(a.name)));
    }
    if (creator) {
        // The creator pays for what is new: accounts not on the chain, and stake beyond what is there.
        let needed = 0n;
        for (const [name, funds] of plan.funds) {
            if (!existing.has(name)) {
                needed += funds;
            } else {
                const seen = onChain.get(name);
                const more = seen ? (plan.stakes.get(name)?.staked ?? 0n) - units(seen.staked) : 0n;
                needed += more > 0n ? more : 0n;
            }
        }
        if (needed > units(creator.liquid)) {
            problems.push(`eos-network:creator.funds: ${plan.creator} would pay ${fmt(needed)} for new accounts and stake, ` +
                `and has ${creator.liquid || "nothing"}; transfer it more, or ask for less`);
        }
    } else if (resigned) {
        // Only eosio creates and funds accounts here, and after the resignation it cannot sign alone.
        for (const [account, where] of plan.paths) {
            if (!existing.has(account)) {
                problems.push(missingAfterResignation(account, where));
            }
        }
        beyondOwnLiquid(chain.accounts);
    }
    return problems;
}
