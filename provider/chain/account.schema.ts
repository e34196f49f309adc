// eosnet:chain:Account's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { NAME_PATTERN } from "../../rules/names";

const asset = z.string().regex(/^(\d+(\.\d+)? [A-Z]{1,7})?$/, 'an asset like "1.0000 SYS", or "" for none');

export const AccountInputs = z.object({
    name: z.string().regex(NAME_PATTERN, "an account name").describe("The account name (up to 12 of a-z, 1-5 and '.')."),
    ownerKey: z.string().describe("Public key of the owner permission (a single-key authority)."),
    activeKey: z.string().describe("Public key of the active permission (a single-key authority)."),
    creator: z.string().default("eosio")
        .describe("The account that creates it (newaccount) and funds stake increases while it can sign; an existing account keeps its creator."),
    ram: asset.default("").describe("Tokens of RAM the creator buys for it at creation (buyram; \"\" before the system contract)."),
    cpu: asset.default("").describe("CPU stake (delegatebw; self-delegated once created). \"\" for none."),
    net: asset.default("").describe("NET stake (delegatebw; self-delegated once created). \"\" for none."),
    liquid: asset.default("").describe("Liquid tokens the creator transfers at creation."),
    manageKeys: z.boolean().default(true)
        .describe("Whether owner/active are converged to ownerKey/activeKey after creation; false when another resource takes the authority over (the system accounts at resignation)."),
});
export type AccountInputs = z.infer<typeof AccountInputs>;

export const AccountOutputs = AccountInputs.extend({
    ramBytes: z.number().int().describe("RAM quota in bytes, as the chain shows it (reported; RAM price moves, so not converged)."),
    balance: z.string().describe("Liquid core balance as the chain shows it (reported; transfers are not desired state)."),
});
export type AccountOutputs = z.infer<typeof AccountOutputs>;
