// eosnet:chain:Vote's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const VoteInputs = z.object({
    voter: z.string().describe("The voting account (voteproducer)."),
    producers: z.array(z.string()).max(30).default([]).describe("Producers voted for, up to 30 (empty when voting through a proxy)."),
    proxy: z.string().default("").describe("The proxy the vote goes through, or \"\" for none."),
});
export type VoteInputs = z.infer<typeof VoteInputs>;
export const VoteOutputs = VoteInputs.extend({});
export type VoteOutputs = z.infer<typeof VoteOutputs>;
