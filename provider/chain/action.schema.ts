// eosnet:chain:Action's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { NAME_PATTERN } from "../../rules/names";

const name = z.string().regex(NAME_PATTERN, "an Antelope name");

export const ActionInputs = z.object({
    account: name.describe("The contract account."),
    name: name.describe("The action's name."),
    authorization: z.array(z.object({ actor: name.describe("The authorizing account."), permission: name.describe("Its permission.") })).min(1)
        .describe("The permission levels (actor@permission) that authorize the action."),
    data: z.record(z.unknown()).default({}).describe("The action's arguments as JSON (serialized with the contract's ABI on the chain)."),
    label: z.string().default("")
        .describe("Where the action is declared (e.g. eos-network:teamAccounts[0].actions[1]), for messages; not desired state."),
});
export type ActionInputs = z.infer<typeof ActionInputs>;
export const ActionOutputs = ActionInputs.extend({
    digest: z.string().describe("sha256 of what ran: contract, action, authorization and data."),
    transactionId: z.string().describe("The id of the transaction that ran it."),
    blockNum: z.number().int().describe("The block the transaction is in."),
});
export type ActionOutputs = z.infer<typeof ActionOutputs>;
