// Antelope key helpers: derive, validate and compare keys (pure; eosjs's key math, no I/O).
// Synchronous requires keep eosjs out of module load for callers that never touch a key.

/** The public key (legacy EOS... form) of a private key, or an error naming what is wrong. */
export function publicKeyOf(privateKey: string): string {
    // Synchronous requires: used by config validation, outside any dynamic provider.
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
    const { stringToPrivateKey, publicKeyToLegacyString, KeyType } = require("eosjs/dist/eosjs-numeric");
    const key = stringToPrivateKey(privateKey);
    if (key.type === KeyType.k1) {
        // libsecp256k1: eosjs's JS curve took ~6 ms a key, in every provider start and program run.
        return publicKeyToLegacyString({ type: KeyType.k1, data: (require("secp256k1") as typeof import("secp256k1")).publicKeyCreate(key.data, true) });
    }
    const { PrivateKey } = require("eosjs/dist/eosjs-key-conversions");
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
    const { binaryToBase58, privateKeyToLegacyString, KeyType } = require("eosjs/dist/eosjs-numeric");
    const secret: Buffer = crypto.createHash("sha256").update("eos-network derived key\0").update(seedBytes(seedPrivateKey)).update(`\0${account}`).digest();
    // libsecp256k1 (native): ~10x faster than OpenSSL's generic curve, ~50x than JS; a distribution derives thousands.
    const point = Buffer.from((require("secp256k1") as typeof import("secp256k1")).publicKeyCreate(secret, true));
    const check: Buffer = crypto.createHash("ripemd160").update(point).digest().subarray(0, 4);
    let privateKey: string | undefined;
    // The private key's text only when something signs: a preview's diff needs only the public keys.
    return {
        publicKey: `EOS${binaryToBase58(Buffer.concat([point, check]))}`,
        get privateKey() {
            return (privateKey ??= privateKeyToLegacyString({ type: KeyType.k1, data: secret }));
        },
    };
}

/** The seed's 32 bytes, not its text: 5K... and PVT_K1_... of one key derive the same keys. Parsed once per seed. */
let lastSeed: { text: string; bytes: Buffer } | undefined;
function seedBytes(seedPrivateKey: string): Buffer {
    if (lastSeed?.text !== seedPrivateKey) {
        const { stringToPrivateKey } = require("eosjs/dist/eosjs-numeric");
        lastSeed = { text: seedPrivateKey, bytes: Buffer.from(stringToPrivateKey(seedPrivateKey).data) };
    }
    return lastSeed.bytes;
}

/** Antelope takes only "canonical" K1 signatures: r and s each below 2^247 in their leading bytes. */
function isCanonical(rs: Uint8Array): boolean {
    return !(rs[0] & 0x80) && !(rs[0] === 0 && !(rs[1] & 0x80)) && !(rs[32] & 0x80) && !(rs[32] === 0 && !(rs[33] & 0x80));
}

/**
 * A K1 signature (SIG_K1_...) of a 32-byte digest, by libsecp256k1 (the `secp256k1` package's
 * native binding; about 50x faster than eosjs's JS curve, which a distribution's thousands of
 * votes waited on). A non-canonical signature is made again with other nonce data, as eosjs does.
 */
export function signDigest(privateKey: string, digest: Uint8Array): string {
    const secp256k1 = require("secp256k1") as typeof import("secp256k1");
    const crypto = require("crypto");
    const { stringToPrivateKey, signatureToString, KeyType } = require("eosjs/dist/eosjs-numeric");
    const key: Uint8Array = stringToPrivateKey(privateKey).data;
    for (let attempt = 0; ; attempt++) {
        const data: Uint8Array | undefined = attempt === 0 ? undefined : crypto.createHash("sha256").update(digest).update(String(attempt)).digest();
        const { signature, recid } = secp256k1.ecdsaSign(digest, key, data ? { data } : {});
        if (isCanonical(signature)) {
            // eosjs's recovery byte for K1: recid + 27 + 4 (compressed).
            return signatureToString({ type: KeyType.k1, data: Uint8Array.from([recid + 31, ...signature]) });
        }
    }
}
