// eosnet:keys:KeyPair's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const KeyPairInputs = z.object({
    purpose: z.string().default("").describe("What the key is for; a new purpose asks for a new key."),
    publicKey: z.string().optional().describe("Set by check: the generated public key (EOS...), kept from the old inputs once made."),
    privateKey: z.string().optional().describe("Set by check: the generated private key (a secret), kept from the old inputs once made."),
});
export type KeyPairInputs = z.infer<typeof KeyPairInputs>;

export const KeyPairOutputs = KeyPairInputs.extend({
    publicKey: z.string().describe("The public key, in legacy EOS... form."),
    privateKey: z.string().describe("The private key, in legacy 5... form (a secret)."),
});
export type KeyPairOutputs = z.infer<typeof KeyPairOutputs>;

/** Properties whose values are secrets, as inputs (check adds the key) and as outputs. */
export const KEY_PAIR_SECRETS = ["privateKey"];
