// eosnet:chain:Token's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const TokenInputs = z.object({
    contract: z.string().default("eosio.token").describe("The token contract's account."),
    issuer: z.string().describe("The token's issuer (create), to whom the initial supply is issued."),
    maxSupply: z.string().describe("The token's maximum supply, e.g. \"10000000000.0000 SYS\" (create); it cannot change."),
    issue: z.string().describe("Tokens issued to the issuer at creation (issue)."),
});
export type TokenInputs = z.infer<typeof TokenInputs>;
export const TokenOutputs = TokenInputs.extend({
    supply: z.string().describe("The token's current supply, as the chain shows it."),
});
export type TokenOutputs = z.infer<typeof TokenOutputs>;
