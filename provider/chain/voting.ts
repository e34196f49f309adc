// The voters table of eosio.system, as the vote and proxy resources read it.
import { Context } from "../framework";

export interface VoterRow {
    owner: string;
    proxy: string;
    producers: string[];
    is_proxy: number;
    staked: number;
}

export function voterRow(ctx: Context, owner: string): Promise<VoterRow | undefined> {
    return ctx.chain().row<VoterRow>("eosio", "eosio", "voters", owner);
}
