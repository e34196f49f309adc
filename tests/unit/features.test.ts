import { strict as assert } from "assert";
import { planFeatureActivation, SupportedFeature } from "../../planning/features";

const f = (digest: string, codename: string, deps: string[] = []): SupportedFeature => ({
    feature_digest: digest,
    dependencies: deps,
    specification: [{ name: "builtin_feature_codename", value: codename }],
});

// Random permutations with a seeded generator: the plan must not depend on the node's order.
function shuffled<T>(items: T[], seed: number): T[] {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const j = s % (i + 1);
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

describe("protocol feature plan", () => {
    const leap4 = [
        f("00", "PREACTIVATE_FEATURE"),
        f("aa", "REPLACE_DEFERRED"),
        f("bb", "NO_DUPLICATE_DEFERRED_ID", ["aa"]),
        f("cc", "WTMSIG_BLOCK_SIGNATURES"),
        f("dd", "ACTION_RETURN_VALUE"),
        f("ee", "ZZ_NEEDS_TWO", ["bb", "cc"]),
    ];

    it("puts PREACTIVATE_FEATURE apart and every feature after its dependencies", () => {
        const plan = planFeatureActivation(leap4);
        assert.equal(plan.preactivate.digest, "00");
        const order = plan.rest.map((p) => p.codename);
        assert.equal(order.length, 5);
        assert.ok(order.indexOf("REPLACE_DEFERRED") < order.indexOf("NO_DUPLICATE_DEFERRED_ID"));
        assert.ok(order.indexOf("NO_DUPLICATE_DEFERRED_ID") < order.indexOf("ZZ_NEEDS_TWO"));
        assert.ok(order.indexOf("WTMSIG_BLOCK_SIGNATURES") < order.indexOf("ZZ_NEEDS_TWO"));
    });

    it("gives the same plan whatever order the node lists features in", () => {
        const reference = planFeatureActivation(leap4).rest.map((p) => p.digest);
        for (let seed = 1; seed <= 50; seed++) {
            const plan = planFeatureActivation(shuffled(leap4, seed));
            assert.deepEqual(plan.rest.map((p) => p.digest), reference, `seed ${seed}`);
            const seen = new Set(["00"]);
            for (const p of plan.rest) {
                const feature = leap4.find((x) => x.feature_digest === p.digest)!;
                assert.ok(feature.dependencies.every((d) => seen.has(d)), `${p.codename} before a dependency (seed ${seed})`);
                seen.add(p.digest);
            }
        }
    });

    it("refuses a node without PREACTIVATE_FEATURE, unknown dependencies, excluded dependencies and cycles", () => {
        assert.throws(() => planFeatureActivation([f("aa", "X")]), /PREACTIVATE_FEATURE/);
        assert.throws(() => planFeatureActivation([f("00", "PREACTIVATE_FEATURE"), f("aa", "X", ["zz"])]), /depends on zz/);
        assert.throws(() => planFeatureActivation(leap4, ["REPLACE_DEFERRED"]), /NO_DUPLICATE_DEFERRED_ID depends on REPLACE_DEFERRED, which is excluded/);
        assert.throws(() => planFeatureActivation([f("00", "PREACTIVATE_FEATURE"), f("aa", "A", ["bb"]), f("bb", "B", ["aa"])]), /cycle/);
    });

    it("leaves out excluded features that nothing needs", () => {
        const plan = planFeatureActivation(leap4, ["ACTION_RETURN_VALUE"]);
        assert.ok(!plan.rest.some((p) => p.codename === "ACTION_RETURN_VALUE"));
        assert.equal(plan.rest.length, 4);
    });
});
