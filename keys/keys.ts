// Antelope key helpers: derive, validate and compare keys (pure; eosjs's key math, no I/O).
// Synchronous requires keep eosjs out of module load for callers that never touch a key.

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

/**
 * The key pair of a generated account, derived from one seed key: sha256 of a domain tag, the
 * seed's private key and the account's name. Reproducible from the seed alone, so a distribution of
 * thousands of accounts keeps one secret; different for every account and every seed.
 */
export function derivedKeyPair(seedPrivateKey: string, account: string): { privateKey: string; publicKey: string } {
    const crypto = require("crypto");
    const { binaryToBase58, privateKeyToLegacyString, stringToPrivateKey, KeyType } = require("eosjs/dist/eosjs-numeric");
    // The seed's 32 bytes, not its text: 5K... and PVT_K1_... of one key derive the same keys.
    const seed = Buffer.from(stringToPrivateKey(seedPrivateKey).data);
    const secret: Buffer = crypto.createHash("sha256").update("eos-network derived key\0").update(seed).update(`\0${account}`).digest();
    // Native secp256k1 (OpenSSL): the JS curve math is ~10x slower, and a distribution derives thousands.
    const ecdh = crypto.createECDH("secp256k1");
    ecdh.setPrivateKey(secret);
    const point: Buffer = ecdh.getPublicKey(null, "compressed");
    const check: Buffer = crypto.createHash("ripemd160").update(point).digest().subarray(0, 4);
    return { privateKey: privateKeyToLegacyString({ type: KeyType.k1, data: secret }), publicKey: `EOS${binaryToBase58(Buffer.concat([point, check]))}` };
}
