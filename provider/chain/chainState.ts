// eosnet:chain:getChainState: what a program reads before it plans, through the provider's own
// chain client, so refusals happen in preview with nothing changed.
import type { ObservedChain } from "../../planning/refusals";
import { NodeUnreachable } from "../errors";
import { Context, FunctionModule } from "../framework";
import { activeSchedule } from "./schedule";
import { controllerOf } from "./resign";
import { assetLike, assetUnits } from "./common";
import { writtenDistributionAccounts } from "../../planning/distribution";
import { ChainState, ChainStateInputs, ChainStateOutputs } from "./chainState.schema";

export type { ChainState };

/** Compile-time check: what the refusals read stays part of what this function returns. */
type Carries<T extends ObservedChain> = T;
export type ObservedChainState = Carries<ChainState>;

const UNREACHABLE: ChainState = {
    reachable: false, chainId: "", headBlock: 0, lib: 0, activeSchedule: [], eosioController: "", existingAccounts: [], accounts: [], tokenMaxSupply: "", tokenIssuer: "",
};

/**
 * Which existing accounts to read one by one: those the plan gives no stake (their balance may
 * matter, as the creator's does), and those whose stake in eosio's voters table is below the
 * planned. That stake is the account's own plus what it delegated to others and its REX: equal to
 * its own for everything this project stakes, so the rest hold at least what the plan asks (an
 * account that delegated elsewhere or bought REX behind the stack's back may not; its shortfall
 * then fails in `up` instead of being refused in preview).
 */
export function accountsToRead(existing: string[], plannedStakes: Map<string, bigint>, votersStake: Map<string, bigint>): string[] {
    return existing.filter((name) => {
        const want = plannedStakes.get(name);
        const staked = votersStake.get(name);
        return want === undefined || staked === undefined || staked < want;
    });
}

/** The accounts asked about and their planned stakes (units): those listed, then the distribution's. */
export function plannedAccounts(inputs: ChainStateInputs): { accounts: string[]; plannedStakes: Map<string, bigint> } {
    const stakes = new Map(Object.entries(inputs.plannedStakes).map(([name, a]) => [name, assetUnits(a)]));
    if (!inputs.distribution) {
        return { accounts: inputs.accounts, plannedStakes: stakes };
    }
    const generated = writtenDistributionAccounts(inputs.distribution);
    if (!generated) {
        throw new Error("getChainState: the distribution's amounts are not assets");
    }
    for (const g of generated) {
        stakes.set(g.name, g.cpu + g.net);
    }
    return { accounts: [...inputs.accounts, ...generated.map((g) => g.name)], plannedStakes: stakes };
}

async function chainState(ctx: Context, inputs: ChainStateInputs): Promise<ChainState> {
    try {
        return await observeChain(ctx, inputs);
    } catch (e) {
        // A node that does not answer (not started yet, or being replaced) is not a chain to plan against.
        if (e instanceof NodeUnreachable) {
            return UNREACHABLE;
        }
        throw e;
    }
}

async function observeChain(ctx: Context, inputs: ChainStateInputs): Promise<ChainState> {
    const coreSymbol = inputs.coreSymbol;
    const chain = ctx.chain();
    const info = await chain.getInfo();
    if (ctx.config.chainId && info.chain_id !== ctx.config.chainId) {
        // Another network answers on this stack's port (this one is not booted, or was reset):
        // nothing to plan against. Writes are refused by the client's own chain-id check.
        return { ...UNREACHABLE, foreignChainId: info.chain_id };
    }
    const sum = (a?: string, b?: string) => assetLike(assetUnits(a) + assetUnits(b), a || b || `0 ${coreSymbol}`);
    const readAccounts = async () => {
        // Derived only for a chain that answers as this one: a chain not running reports unreachable.
        const { accounts, plannedStakes } = plannedAccounts(inputs);
        const existing = await chain.existing(accounts);
        // Thousands of get_accounts take seconds, and a preview with nothing to do needs none of them.
        // (Accounts are listed from eosio.system's tables: with none listed, it may not be set yet.)
        const voters = existing.length > 0 && plannedStakes.size > 0 ? await chain.votersStake() : new Map<string, bigint>();
        const toRead = accountsToRead(existing, plannedStakes, voters);
        const views = await chain.readAccounts(toRead);
        // In the order asked (the listed accounts, then the generated ones), not the order the reads came back in.
        const funds: ChainState["accounts"] = toRead.filter((n) => views.has(n)).map((name) => {
            const a = views.get(name)!;
            const self = a.self_delegated_bandwidth;
            return { name, staked: self ? sum(self.cpu_weight, self.net_weight) : "", liquid: a.core_liquid_balance ?? "" };
        });
        return { existing, funds };
    };
    const readToken = async () => {
        const stats = coreSymbol
            ? await chain.post<Record<string, { max_supply: string; issuer: string }>>("/v1/chain/get_currency_stats", { code: "eosio.token", symbol: coreSymbol }).catch(() => ({}))
            : {};
        return (stats as Record<string, { max_supply: string; issuer: string }>)[coreSymbol];
    };
    // Independent reads, at once: the program's chain-side resources all wait for this answer.
    const [{ existing, funds }, token, schedule, eosio] = await Promise.all([readAccounts(), readToken(), activeSchedule(ctx), chain.getAccount("eosio")]);
    return {
        reachable: true,
        chainId: info.chain_id,
        headBlock: info.head_block_num,
        lib: info.last_irreversible_block_num,
        activeSchedule: schedule.producers,
        eosioController: controllerOf(eosio),
        existingAccounts: existing,
        accounts: funds,
        tokenMaxSupply: token?.max_supply ?? "",
        tokenIssuer: token?.issuer ?? "",
    };
}

export const getChainState: FunctionModule<ChainStateInputs, ChainState> = {
    token: "eosnet:chain:getChainState",
    description: "What the running chain shows (schedule, resignation, which accounts exist, the core token); reachable: false while no node of the chain answers.",
    inputs: ChainStateInputs,
    outputs: ChainStateOutputs,
    async invoke(ctx, inputs) {
        return chainState(ctx, inputs);
    },
};
