// KeyPair: an Antelope K1 key pair generated once and kept in state, the private half as a secret.
import * as pulumi from "@pulumi/pulumi";

export const keyPairProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        return { inputs: { purpose: String(news.purpose || "") } };
    },
    async diff(_id: string, olds: any, news: any) {
        // A key never changes by itself; only a new purpose asks for a new one.
        const replaces = olds.purpose !== news.purpose ? ["purpose"] : [];
        return { changes: replaces.length > 0, replaces };
    },
    async create(inputs: any) {
        const { generateKeyPair } = await import("eosjs/dist/eosjs-key-conversions");
        const { KeyType } = await import("eosjs/dist/eosjs-numeric");
        const { privateKey, publicKey } = generateKeyPair(KeyType.k1, { secureEnv: true });
        const pub = publicKey.toLegacyString();
        return { id: pub, outs: { purpose: inputs.purpose, publicKey: pub, privateKey: privateKey.toLegacyString() } };
    },
};

export class KeyPair extends pulumi.dynamic.Resource {
    public readonly publicKey!: pulumi.Output<string>;
    public readonly privateKey!: pulumi.Output<string>;
    constructor(name: string, args: { purpose: string }, opts?: pulumi.CustomResourceOptions) {
        super(keyPairProvider, name, { purpose: args.purpose, publicKey: undefined, privateKey: undefined },
            { ...opts, additionalSecretOutputs: ["privateKey"] }, "eos-network", "KeyPair");
    }
}

/** The public key (legacy EOS... form) of a private key, or an error naming what is wrong. */
export function publicKeyOf(privateKey: string): string {
    // Synchronous require: used by config validation, outside any dynamic provider.
    const { PrivateKey } = require("eosjs/dist/eosjs-key-conversions");
    return PrivateKey.fromString(privateKey).getPublicKey().toLegacyString();
}
