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

    it("refuses a total that cannot cover the minimum", () => {
        assert.throws(() => generateDistribution({ ...spec, total: 100n }, producers), /cannot give 150 accounts the minimum/);
    });
});
