// eosnet:chain:SystemInit's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const SystemInitInputs = z.object({
    core: z.string().regex(/^\d{1,2},[A-Z]{1,7}$/, 'a symbol like "4,SYS"').describe("Core symbol as \"precision,CODE\", e.g. \"4,SYS\" (eosio.system's init)."),
});
export type SystemInitInputs = z.infer<typeof SystemInitInputs>;
export const SystemInitOutputs = SystemInitInputs.extend({
    initialized: z.boolean().describe("Whether eosio.system has been initialized (its RAM market exists)."),
});
export type SystemInitOutputs = z.infer<typeof SystemInitOutputs>;
