// A generated distribution of 1000 staked accounts is one Distribution resource that still treats
// every account as its own: one up boots it (every account on the chain as planned), a vote and a
// stake changed behind the stack's back (eosjs, the accounts' own keys) are named by preview and
// repaired by up, a second up has nothing to do, and 50 more accounts preview by name.
import { strict as assert } from "assert";
import { JsonRpc } from "eosjs";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { parseNetworkPlan, rawStackConfig } from "../../config";
import { derivedKeyPair } from "../../keys/keys";
import type { PlannedAccount } from "../../planning/plan";
import { assertToolchain, chainRpc, freePort, newTestStack, NODE_IMAGE, outOfBand, PRODUCERS, progress, stackKeys, TestStack } from "./harness";

const COUNT = 1000;

/** The plan the program computes from this config (same parse path as index.ts). */
function planOf(cfg: Record<string, unknown>) {
    return parseNetworkPlan(rawStackConfig(Object.fromEntries(Object.entries(cfg).map(([k, v]) => [`eos-network:${k}`, typeof v === "string" ? v : JSON.stringify(v)]))));
}

/** The Distribution's detailed diff in a preview: property path -> kind. */
async function previewPaths(t: TestStack, refresh: boolean) {
    const paths = new Map<string, string>();
    const res = await t.stack.preview({
        refresh, diff: true,
        onEvent: (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m?.type === "eosnet:chain:Distribution") {
                for (const [p, d] of Object.entries(m.detailedDiff ?? {})) {
                    paths.set(p, String((d as { diffKind?: string; kind?: string }).diffKind ?? (d as { kind?: string }).kind));
                }
            }
        },
    });
    // The provider's account-by-account summary is a diagnostic: the CLI writes those to stderr.
    return { paths, text: `${res.stdout}\n${res.stderr}`, changes: res.changeSummary };
}

describe("distribution: 1000 generated accounts as one resource", function () {
    this.timeout(30 * 60 * 1000);
    let t: TestStack;
    let cfg: Record<string, unknown>;
    let rpc: JsonRpc;
    let endpoint = "";
    let generated: PlannedAccount[] = [];
    let seedKey = "";

    before(async () => {
        assertToolchain();
        cfg = {
            node: { image: NODE_IMAGE },
            bootNode: { httpPort: await freePort() },
            producers: await Promise.all(PRODUCERS.map(async (name) => ({ name, url: `https://${name}.example`, httpPort: await freePort() }))),
            // A creator: accounts are created after eosio's resignation too (the 50 added below).
            creator: { name: "creatoraaaaa", funds: "400000000.0000 SYS" },
            distribution: { count: COUNT, total: "300000000.0000 SYS", minimum: "2.0000 SYS", seed: 7, votesPerAccount: 3 },
        };
        generated = planOf(cfg).accounts.filter((a) => a.generated);
        assert.equal(generated.length, COUNT);
        t = await newTestStack(cfg);
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
    });

    it("one up creates every generated account staked and voting as planned, and the schedule they elect", async () => {
        const started = Date.now();
        const res = await t.stack.up({ onOutput: progress });
        progress(`up with ${COUNT} generated accounts: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
        assert.equal(res.summary.result, "succeeded");
        assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
        endpoint = res.outputs.httpEndpoint.value;
        rpc = chainRpc(endpoint);
        const keys = await stackKeys(t);
        seedKey = keys.get("eosnet-distribution-seed") ?? "";
        assert.ok(seedKey, "the seed is a KeyPair of the stack");
        assert.ok(![...keys.keys()].some((k) => k.startsWith("stake")), "no KeyPair per generated account");
        // Every account, as the chain shows it: the planned stake, the planned votes, the derived key.
        for (let i = 0; i < generated.length; i += 20) {
            await Promise.all(generated.slice(i, i + 20).map(async (a) => {
                const view = (await rpc.get_account(a.name)) as { self_delegated_bandwidth: { cpu_weight: string; net_weight: string }; voter_info: { producers: string[] }; permissions: { perm_name: string; required_auth: { keys: { key: string }[] } }[] };
                const units = (s: string) => BigInt(s.split(" ")[0].replace(".", ""));
                assert.equal(units(view.self_delegated_bandwidth.cpu_weight), a.split.cpu, `${a.name}'s CPU`);
                assert.equal(units(view.self_delegated_bandwidth.net_weight), a.split.net, `${a.name}'s NET`);
                assert.deepEqual([...view.voter_info.producers].sort(), a.votes, `${a.name}'s vote`);
                const key = derivedKeyPair(seedKey, a.name).publicKey;
                assert.deepEqual(view.permissions.map((p) => p.required_auth.keys[0].key), [key, key], `${a.name}'s keys`);
            }));
        }
        const state = await t.stack.exportStack();
        const resources = state.deployment.resources as { type: string; urn: string }[];
        assert.equal(resources.filter((r) => r.type === "eosnet:chain:Distribution").length, 1);
        const perAccount = resources.filter((r) => generated.some((a) => r.urn.endsWith(`-${a.name}`)));
        assert.deepEqual(perAccount.map((r) => r.urn), [], "no resource of its own for a generated account");
    });

    it("a vote and a stake changed with eosjs are named by preview, repaired by up, and a second up has no changes", async () => {
        const voter = generated[10];
        const staker = generated.find((a) => a.split.liquid >= 10_000n && a.name !== voter.name)!;
        const chain = outOfBand(endpoint, [derivedKeyPair(seedKey, voter.name).privateKey, derivedKeyPair(seedKey, staker.name).privateKey]);
        const otherVotes = PRODUCERS.filter((p) => !voter.votes.includes(p)).slice(0, 1);
        await chain.act(voter.name, "voteproducer", { voter: voter.name, proxy: "", producers: otherVotes });
        await chain.act(staker.name, "undelegatebw", { from: staker.name, receiver: staker.name, unstake_net_quantity: "0.0000 SYS", unstake_cpu_quantity: "0.5000 SYS" });

        const seen = await previewPaths(t, true);
        assert.equal(seen.paths.get(`accounts.${voter.name}`), "update", `preview names ${voter.name}: ${[...seen.paths.keys()].join(", ")}`);
        assert.equal(seen.paths.get(`accounts.${staker.name}`), "update", `preview names ${staker.name}`);
        assert.equal(seen.paths.size, 2, `only the two drifted accounts: ${[...seen.paths.keys()].join(", ")}`);
        assert.match(seen.text, new RegExp(`${voter.name} \\(vote\\)`), `the preview's text says what drifted:\n${seen.text.slice(-3000)}`);
        assert.match(seen.text, new RegExp(`${staker.name} \\(stake\\)`));
        assert.ok(seen.text.split("\n").length < 400, `the CLI does not print the 998 accounts that did not drift (${seen.text.split("\n").length} lines)`);

        const up = await t.stack.up({ refresh: true, onOutput: progress });
        assert.equal(up.summary.result, "succeeded");
        const v = (await rpc.get_account(voter.name)) as { voter_info: { producers: string[] } };
        assert.deepEqual([...v.voter_info.producers].sort(), voter.votes, "the vote is back");
        const s = (await rpc.get_account(staker.name)) as { self_delegated_bandwidth: { cpu_weight: string } };
        assert.equal(BigInt(s.self_delegated_bandwidth.cpu_weight.split(" ")[0].replace(".", "")), staker.split.cpu, "the stake is back");

        const again = await t.stack.up({ refresh: true, onOutput: progress });
        assert.deepEqual(Object.keys(again.summary.resourceChanges ?? {}).filter((k) => k !== "same"), [], "a second up has no changes");
    });

    it("50 more accounts preview by name, and up creates them", async () => {
        const more = { ...cfg, distribution: { ...(cfg.distribution as object), count: COUNT + 50 } };
        await t.stack.setConfig("eos-network:distribution", { value: JSON.stringify(more.distribution) });
        const added = planOf(more).accounts.filter((a) => a.generated).slice(COUNT);
        assert.equal(added.length, 50);
        const seen = await previewPaths(t, false);
        assert.match(seen.text, new RegExp(`50 to create: ${added.slice(0, 3).map((a) => a.name).join(", ")}`), "the preview's text names them");
        assert.ok(seen.text.split("\n").length < 400, "the CLI does not print the 1000 accounts that stay");
        const accounts = [...seen.paths].filter(([p]) => p.startsWith("accounts."));
        assert.deepEqual(accounts.map(([p]) => p).sort(), added.map((a) => `accounts.${a.name}`).sort(), "preview lists the 50 new accounts, and only them");
        assert.ok(accounts.every(([, k]) => k === "add"), `each as an addition: ${[...new Set(accounts.map(([, k]) => k))].join(", ")}`);
        assert.deepEqual([...seen.paths.keys()].filter((p) => !p.startsWith("accounts.")), ["count"], "and the count");

        const up = await t.stack.up({ onOutput: progress });
        assert.equal(up.summary.result, "succeeded");
        for (const a of added) {
            const view = (await rpc.get_account(a.name)) as { voter_info: { producers: string[] } };
            assert.deepEqual([...view.voter_info.producers].sort(), a.votes, `${a.name} votes as planned`);
        }
    });
});
