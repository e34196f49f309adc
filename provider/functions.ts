// Functions (invokes) of the eosnet package: what a program reads before it plans, through the
// provider's own chain client, so refusals happen in preview with nothing changed.
import { Context } from "./framework";
import { activeSchedule } from "./chain/schedule";
import { controllerOf } from "./chain/resign";

export const GET_CHAIN_STATE = "eosnet:chain:getChainState";

export interface ChainState {
    /** Whether the endpoint answered; a network not booted yet does not. */
    reachable: boolean;
    chainId: string;
    headBlock: number;
    lib: number;
    activeSchedule: string[];
    /** Who controls eosio ("" while it still has its genesis key). */
    eosioController: string;
    /** Which of the asked accounts exist. */
    existingAccounts: string[];
}

const UNREACHABLE: ChainState = { reachable: false, chainId: "", headBlock: 0, lib: 0, activeSchedule: [], eosioController: "", existingAccounts: [] };

/** A node that does not answer (not started yet, or being replaced) is not a chain to plan against. */
function isUnreachable(e: unknown): boolean {
    return /cannot reach|no answer from/.test((e as Error)?.message ?? "");
}

async function chainState(ctx: Context, accounts: string[]): Promise<ChainState> {
    try {
        return await observeChain(ctx, accounts);
    } catch (e) {
        if (isUnreachable(e)) {
            return UNREACHABLE;
        }
        throw e;
    }
}

async function observeChain(ctx: Context, accounts: string[]): Promise<ChainState> {
    const chain = ctx.chain();
    const info = await chain.getInfo();
    if (ctx.config.chainId && info.chain_id !== ctx.config.chainId) {
        throw new Error(`${chain.endpoint} serves chain ${info.chain_id}, not this stack's chain ${ctx.config.chainId} (another network on this port?)`);
    }
    // Producers and voters are found in two table reads; other names one by one.
    const [producers, voters] = await Promise.all([
        chain.rows<{ owner: string }>("eosio", "eosio", "producers").catch(() => []),
        chain.rows<{ owner: string }>("eosio", "eosio", "voters").catch(() => []),
    ]);
    const known = new Set([...producers, ...voters].map((r) => r.owner));
    const existing: string[] = [];
    for (const name of accounts) {
        if (known.has(name) || (await chain.getAccount(name))) {
            existing.push(name);
        }
    }
    return {
        reachable: true,
        chainId: info.chain_id,
        headBlock: info.head_block_num,
        lib: info.last_irreversible_block_num,
        activeSchedule: (await activeSchedule(ctx)).producers,
        eosioController: controllerOf(await chain.getAccount("eosio")),
        existingAccounts: existing,
    };
}

export async function invoke(ctx: Context, token: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (token) {
        case GET_CHAIN_STATE:
            return { ...(await chainState(ctx, Array.isArray(inputs.accounts) ? inputs.accounts.map(String) : [])) };
        default:
            throw new Error(`eosnet has no function ${token}`);
    }
}
