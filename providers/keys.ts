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
    // Synchronous requires: used by config validation, outside any dynamic provider.
    const { PrivateKey } = require("eosjs/dist/eosjs-key-conversions");
    if (/^5[HJK]/.test(privateKey)) {
        // eosjs does not verify a legacy WIF key's checksum: a typo would yield another valid key.
        const { base58ToBinary } = require("eosjs/dist/eosjs-numeric");
        const crypto = require("crypto");
        const whole: Uint8Array = base58ToBinary(37, privateKey);
        const digest = crypto.createHash("sha256").update(crypto.createHash("sha256").update(whole.subarray(0, 33)).digest()).digest();
        if (whole[0] !== 0x80 || !digest.subarray(0, 4).equals(Buffer.from(whole.subarray(33)))) {
            throw new Error("private key checksum does not match");
        }
    }
    return PrivateKey.fromString(privateKey).getPublicKey().toLegacyString();
}

/** A public key (EOS... or PUB_K1_...) whose checksum holds. */
export function isPublicKey(text: string): boolean {
    try {
        legacyPublicKey(text);
        return true;
    } catch {
        return false;
    }
}

/** EOS... form of a valid public key, for comparisons. */
export function legacyPublicKey(text: string): string {
    const { PublicKey } = require("eosjs/dist/eosjs-key-conversions");
    return PublicKey.fromString(text).toLegacyString();
}
