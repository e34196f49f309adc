// Antelope key helpers: derive, validate and compare keys (pure; eosjs's key math, no I/O).
// Synchronous requires keep eosjs out of module load for callers that never touch a key.

/** ripemd160(data, then suffix)'s first 4 bytes: a key text's checksum. OpenSSL's ripemd160, not eosjs's JS one (~0.1 ms a key). */
function keyChecksum(data: Uint8Array, suffix: string): Buffer {
    const crypto = require("crypto");
    return crypto.createHash("ripemd160").update(data).update(suffix).digest().subarray(0, 4);
}

/** EOS... text of a K1 public key's 33 bytes. */
function legacyText(point: Uint8Array): string {
    const { binaryToBase58 } = require("eosjs/dist/eosjs-numeric");
    return `EOS${binaryToBase58(Buffer.concat([point, keyChecksum(point, "")]))}`;
}

/** Public keys by private key: a provider process asks again for the same keys (each client, each container). */
const publicKeys = new Map<string, string>();

/** The public key (legacy EOS... form) of a private key, or an error naming what is wrong. */
export function publicKeyOf(privateKey: string): string {
    let found = publicKeys.get(privateKey);
    if (found === undefined) {
        found = computePublicKey(privateKey);
        publicKeys.set(privateKey, found);
    }
    return found;
}

function computePublicKey(privateKey: string): string {
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
    const { stringToPrivateKey, KeyType } = require("eosjs/dist/eosjs-numeric");
    const key = stringToPrivateKey(privateKey);
    if (key.type === KeyType.k1) {
        // libsecp256k1: eosjs's JS curve took ~6 ms a key, in every provider start and program run.
        return legacyText((require("secp256k1") as typeof import("secp256k1")).publicKeyCreate(key.data, true));
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

/** EOS... texts by any text of a valid key: a Distribution compares thousands of keys. */
const legacyTexts = new Map<string, string>();

/** EOS... form of a valid public key, for comparisons; an error when its checksum does not hold. */
export function legacyPublicKey(text: string): string {
    let found = legacyTexts.get(text);
    if (found === undefined) {
        found = text.startsWith("EOS") || text.startsWith("PUB_K1_") ? legacyText(k1PublicKeyPoint(text)) : eosjsLegacy(text);
        legacyTexts.set(text, found);
    }
    return found;
}

/**
 * PUB_K1_... form of a key given as EOS... (what eosjs's signature and authority providers
 * compare); any other form as given, as eosjs's convertLegacyPublicKey does.
 */
export function modernPublicKey(text: string): string {
    if (!text.startsWith("EOS")) {
        return text;
    }
    const { binaryToBase58 } = require("eosjs/dist/eosjs-numeric");
    const point = k1PublicKeyPoint(text);
    return `PUB_K1_${binaryToBase58(Buffer.concat([point, keyChecksum(point, "K1")]))}`;
}

/** A K1 public key's 33 bytes (compressed point) from its EOS... or PUB_K1_... text, its checksum checked (eosjs's rules). */
export function k1PublicKeyPoint(text: string): Buffer {
    const { base58ToBinary } = require("eosjs/dist/eosjs-numeric");
    const legacy = text.startsWith("EOS");
    const whole = Buffer.from(base58ToBinary(37, text.slice(legacy ? 3 : 7)) as Uint8Array);
    const point = whole.subarray(0, 33);
    if (!keyChecksum(point, legacy ? "" : "K1").equals(whole.subarray(33))) {
        throw new Error("checksum doesn't match");
    }
    return point;
}

/** Other key types (R1, WA): eosjs's conversion, which refuses them in legacy form. */
function eosjsLegacy(text: string): string {
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
    const { privateKeyToLegacyString, KeyType } = require("eosjs/dist/eosjs-numeric");
    const secret: Buffer = crypto.createHash("sha256").update("eos-network derived key\0").update(seedBytes(seedPrivateKey)).update(`\0${account}`).digest();
    // libsecp256k1 (native): ~10x faster than OpenSSL's generic curve, ~50x than JS; a distribution derives thousands.
    const point = Buffer.from((require("secp256k1") as typeof import("secp256k1")).publicKeyCreate(secret, true));
    let privateKey: string | undefined;
    // The private key's text only when something signs: a preview's diff needs only the public keys.
    return {
        publicKey: legacyText(point),
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
