// eosnet:chain:LinkAuth's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { NAME_PATTERN } from "../../rules/names";

const name = z.string().regex(NAME_PATTERN, "an Antelope name");

export const LinkAuthInputs = z.object({
    account: name.describe("The account whose permission the action is linked to."),
    code: name.describe("The contract whose action is linked."),
    type: z.union([name, z.literal("")]).default("").describe("The action; \"\" links every action of the contract."),
    requirement: name.describe("The account's permission the action is linked to (linkauth requirement)."),
});
export type LinkAuthInputs = z.infer<typeof LinkAuthInputs>;
export const LinkAuthOutputs = LinkAuthInputs.extend({});
export type LinkAuthOutputs = z.infer<typeof LinkAuthOutputs>;
