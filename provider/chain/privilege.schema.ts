// eosnet:chain:Privilege's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const PrivilegeInputs = z.object({
    account: z.string().describe("The account whose privilege is set (setpriv, signed by eosio)."),
    privileged: z.boolean().default(true).describe("Whether the account is privileged."),
});
export type PrivilegeInputs = z.infer<typeof PrivilegeInputs>;
export const PrivilegeOutputs = PrivilegeInputs.extend({});
export type PrivilegeOutputs = z.infer<typeof PrivilegeOutputs>;
