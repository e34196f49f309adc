// Functions (invokes) of the eosnet package, dispatched by token like resources: inputs read
// through the function's zod schema.
import { Context } from "./framework";
import { FUNCTIONS } from "./registry";
import { getChainState } from "./chain/chainState";

export type { ChainState } from "./chain/chainState.schema";
export const GET_CHAIN_STATE = getChainState.token;

export async function invoke(ctx: Context, token: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const f = FUNCTIONS.get(token);
    if (!f) {
        throw new Error(`eosnet has no function ${token}`);
    }
    return { ...(await f.invoke(ctx, f.inputs.parse(inputs))) };
}
