// eosnet:chain:RewardsClaim's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const RewardsClaimInputs = z.object({
    producer: z.string().describe("The producer whose rewards are claimed (claimrewards)."),
});
export type RewardsClaimInputs = z.infer<typeof RewardsClaimInputs>;
export const RewardsClaimOutputs = RewardsClaimInputs.extend({
    unpaidBlocks: z.number().int().describe("Blocks produced and not yet paid, when last read."),
    lastClaimTime: z.string().describe("When rewards were last claimed (ISO time; 1970 when never)."),
    due: z.boolean().describe("A claim is allowed now: a day has passed and there is something to claim."),
});
export type RewardsClaimOutputs = z.infer<typeof RewardsClaimOutputs>;
