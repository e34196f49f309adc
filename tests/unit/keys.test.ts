// Key texts (keys/keys.ts) with OpenSSL's ripemd160 agree with eosjs's own conversions, key by key.
import { strict as assert } from "assert";
import { PrivateKey, PublicKey } from "eosjs/dist/eosjs-key-conversions";
import { convertLegacyPublicKey, KeyType } from "eosjs/dist/eosjs-numeric";
import { generateKeyPair } from "eosjs/dist/eosjs-key-conversions";
import { derivedKeyPair, isPublicKey, legacyPublicKey, modernPublicKey, publicKeyOf } from "../../keys/keys";

const pairs = Array.from({ length: 20 }, () => generateKeyPair(KeyType.k1, { secureEnv: true }));

describe("keys: texts of public keys", () => {
    it("EOS... and PUB_K1_... of one key give eosjs's EOS... text; EOS... gives eosjs's PUB_K1_... text", () => {
        for (const { publicKey } of pairs) {
            const legacy = publicKey.toLegacyString();
            const modern = publicKey.toString();
            assert.equal(legacyPublicKey(modern), legacy);
            assert.equal(legacyPublicKey(legacy), legacy);
            assert.equal(modernPublicKey(legacy), convertLegacyPublicKey(legacy));
            assert.equal(modernPublicKey(modern), modern);
        }
    });

    it("a private key's public key is eosjs's, for WIF and PVT_K1_ texts; a derived pair's halves match", () => {
        for (const { privateKey } of pairs.slice(0, 5)) {
            const want = PrivateKey.fromString(privateKey.toString()).getPublicKey().toLegacyString();
            assert.equal(publicKeyOf(privateKey.toLegacyString()), want);
            assert.equal(publicKeyOf(privateKey.toString()), want);
        }
        const d = derivedKeyPair(pairs[0].privateKey.toLegacyString(), "useraaaaaaaa");
        assert.equal(publicKeyOf(d.privateKey), d.publicKey);
    });

    it("a changed character breaks the checksum, in either form, as eosjs says", () => {
        const legacy = pairs[0].publicKey.toLegacyString();
        for (const text of [legacy, pairs[0].publicKey.toString()]) {
            const i = text.length - 5;
            const typo = text.slice(0, i) + (text[i] === "A" ? "B" : "A") + text.slice(i + 1);
            assert.throws(() => PublicKey.fromString(typo), /checksum/);
            assert.throws(() => legacyPublicKey(typo), /checksum/);
            assert.equal(isPublicKey(typo), false);
        }
        assert.throws(() => modernPublicKey(legacy.slice(0, -5) + (legacy.at(-5) === "A" ? "B" : "A") + legacy.slice(-4)), /checksum/);
        assert.throws(() => legacyPublicKey("not a key"));
    });

    it("an R1 key has no legacy text (eosjs's refusal) and keeps its own text in modern form", () => {
        const r1 = generateKeyPair(KeyType.r1, { secureEnv: true }).publicKey.toString();
        assert.match(r1, /^PUB_R1_/);
        assert.throws(() => legacyPublicKey(r1), /legacy/);
        assert.equal(modernPublicKey(r1), r1);
        assert.equal(isPublicKey(r1), false);
    });
});
