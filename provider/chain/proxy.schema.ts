// eosnet:chain:ProxyRegistration's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const ProxyRegistrationInputs = z.object({
    proxy: z.string().describe("The account registered as a voting proxy (regproxy)."),
});
export type ProxyRegistrationInputs = z.infer<typeof ProxyRegistrationInputs>;
export const ProxyRegistrationOutputs = ProxyRegistrationInputs.extend({
    isProxy: z.boolean().describe("Whether the voters table marks the account as a proxy."),
});
export type ProxyRegistrationOutputs = z.infer<typeof ProxyRegistrationOutputs>;
