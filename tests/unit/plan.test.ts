import { strict as assert } from "assert";
import { ConfigError, parseNetworkPlan, rawStackConfig } from "../../config";
import { asset, fundedAccounts, planNetwork, splitInputs } from "../../planning/plan";
import { stackConfigMap } from "../stackFiles";

// The committed stack files, read the way Pulumi reads them (values under `config:`).
function stackPlan(stack: string, change: (all: Record<string, string>) => void = () => undefined) {
    const all = stackConfigMap(stack);
    change(all);
    return parseNetworkPlan(rawStackConfig(all));
}

/** The dev file with its written amounts in another symbol and precision, nothing else changed. */
function devIn(code: string, precision: number) {
    return (all: Record<string, string>) => {
        for (const k of Object.keys(all)) {
            all[k] = all[k].replace(/"(\d+)\.(\d+) SYS"/g, (_, whole: string) => `"${whole}${precision > 0 ? "." + "0".repeat(precision) : ""} ${code}"`);
        }
        all["eos-network:chain"] = JSON.stringify({ ...JSON.parse(all["eos-network:chain"]), coreSymbol: code, precision });
    };
}

const problemsOf = (f: () => unknown) => {
    try {
        f();
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.problems;
    }
    assert.fail("expected a ConfigError");
};

describe("boot plan from the committed stacks", () => {
    it("dev: 4 producers, all elected, every account funded by the stake rule", () => {
        const plan = stackPlan("dev");
        assert.equal(plan.producers.length, 4);
        assert.deepEqual(plan.schedule, ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"]);
        const funded = fundedAccounts(plan);
        assert.equal(funded.length, 7);
        const voter = funded.find((f) => f.name === "voteraaaaaaa")!;
        assert.deepEqual(splitInputs(plan, voter), { ram: "0.1000 SYS", liquid: "9.0000 SYS", cpu: "49999995.4500 SYS", net: "49999995.4500 SYS" });
        assert.equal(voter.funds, 1_000_000_000_000n, "units, not a string");
        assert.deepEqual(voter.fundsPath, ["accounts", 0, "funds"]);
        const producer = plan.producers[0];
        assert.equal(asset(plan, producer.funds), "1000.0000 SYS", "the default funds of a producer");
        assert.deepEqual(plan.nodes.map((n) => n.role), ["boot", ...plan.schedule]);
    });

    it("staging: 21 producers and at least 100 staked accounts, enough stake to activate voting", () => {
        const plan = stackPlan("staging");
        assert.equal(plan.producers.length, 21);
        assert.ok(plan.accounts.length >= 100, `${plan.accounts.length} accounts`);
        assert.equal(new Set(plan.accounts.map((a) => a.name)).size, plan.accounts.length);
        assert.equal(plan.schedule.length, 21);
        const staked = plan.accounts.reduce((sum, a) => sum + a.split.cpu + a.split.net, 0n);
        assert.ok(plan.election.activated && staked >= 1_500_000_000_000n, `only ${asset(plan, staked)} staked: voting would never activate`);
        assert.ok(plan.accounts.some((a) => a.path[0] === "distribution"), "generated accounts point at the distribution");
    });
});

describe("the reference stack (the reference boot script's defaults)", () => {
    it("31 producers each with a node, 3000 generated accounts voting for 20 each, 21 elected", () => {
        const plan = stackPlan("reference");
        assert.equal(plan.producers.length, 31);
        assert.equal(plan.nodes.length, 32, "the boot node and one per producer");
        const generated = plan.accounts.filter((a) => a.generated);
        assert.equal(generated.length, 3000);
        assert.ok(generated.every((a) => a.votes.length === 20));
        assert.equal(plan.schedule.length, 21);
        assert.ok(plan.election.activated);
        assert.equal(new Set(plan.nodes.flatMap((n) => [n.httpPort, n.p2pPort])).size, 64, "no two nodes share a port");
    });
});

describe("defaults follow the core symbol and precision", () => {
    it("dev with coreSymbol EOS and its written amounts in EOS: no problem, every default in EOS", () => {
        const plan = stackPlan("dev", devIn("EOS", 4));
        assert.equal(asset(plan, plan.stakeRule.ram), "0.1000 EOS");
        assert.equal(asset(plan, plan.stakeRule.minStake), "0.9000 EOS");
        assert.equal(asset(plan, plan.stakeRule.maxLiquid), "9.0000 EOS");
        assert.equal(asset(plan, plan.producers[0].funds), "1000.0000 EOS");
        assert.deepEqual(splitInputs(plan, plan.producers[0]).ram, "0.1000 EOS");
        assert.equal(plan.schedule.length, 4);
    });

    it("an amount written in another symbol names its own field and says both symbols", () => {
        const problems = problemsOf(() => stackPlan("dev", (all) => {
            devIn("EOS", 4)(all);
            all["eos-network:accounts"] = all["eos-network:accounts"].replace('"100000000.0000 EOS"', '"100000000.0000 SYS"');
        }));
        assert.deepEqual(problems, [{ path: "eos-network:accounts[0].funds", message: "expected the core symbol EOS, got SYS" }]);
    });

    it("precision 2: defaults at 2 decimals; the only error is the chain's raw activation stake, at a field the user writes", () => {
        const problems = problemsOf(() => stackPlan("dev", devIn("EOS", 2)));
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.equal(problems[0].path, "eos-network:accounts");
        assert.match(problems[0].message, /only once 15000000000\.00 EOS has voted \(min_activated_stake\): a raw amount, so at precision 2 that many tokens/);
    });

    it("precision 2 with enough stake for the raw activation amount boots as planned", () => {
        const plan = stackPlan("dev", (all) => {
            devIn("EOS", 2)(all);
            all["eos-network:chain"] = JSON.stringify({ coreSymbol: "EOS", precision: 2, maxSupply: "100000000000.00 EOS", issue: "50000000000.00 EOS" });
            all["eos-network:accounts"] = all["eos-network:accounts"].replace(/"(\d+)0000000\.00 EOS"/g, '"$1000000000.00 EOS"');
        });
        assert.equal(asset(plan, plan.stakeRule.ram), "0.10 EOS");
        assert.equal(plan.schedule.length, 4);
    });

    it("precision 0 rounds a fractional default up to one unit", () => {
        const plan = planNetwork(parseNetworkPlan({ node: { image: "x:1" }, chain: { coreSymbol: "EOS", precision: 0, maxSupply: "1000 EOS", issue: "1000 EOS" } }).config);
        assert.equal(asset(plan, plan.stakeRule.ram), "1 EOS");
        assert.equal(asset(plan, plan.stakeRule.maxLiquid), "9 EOS");
    });
});

describe("p2p topology", () => {
    const planOf = (n: number) => planNetwork(parseNetworkPlan({
        node: { image: "x:1" },
        producers: Array.from({ length: n }, (_, i) => ({ name: `producer${"abcdefghijklmnopqrstuvwxyz"[i]}aaa`, runsNode: i % 3 !== 2 })),
    }).config);
    const peers = (n: number) => new Map(planOf(n).nodes.map((x) => [x.role, x.peers]));

    it("boot dials nobody; each producer dials boot and the running producers before it", () => {
        const p = peers(4);
        assert.deepEqual(p.get("boot"), []);
        assert.deepEqual(p.get("produceraaaa"), ["boot"]);
        assert.equal(p.has("producercaaa"), false, "runsNode: false has no node");
        assert.deepEqual(p.get("producerdaaa"), ["boot", "produceraaaa", "producerbaaa"]);
    });

    it("appending producers never changes an existing node's peers (every size up to 25)", () => {
        for (let n = 1; n < 25; n++) {
            const before = peers(n);
            const after = peers(n + 1);
            for (const [role, list] of before) {
                assert.deepEqual(after.get(role), list, `${role} at ${n}`);
            }
        }
    });

    it("only the boot node and the first producer with a node produce on a stale chain", () => {
        assert.deepEqual(planOf(4).nodes.filter((x) => x.enableStaleProduction).map((x) => x.role), ["boot", "produceraaaa"]);
    });
});
