// Another core symbol: the dev stack with coreSymbol EOS and its written amounts in EOS, nothing
// else changed, boots (every default amount follows the symbol); at precision 2 the only refusal
// is the chain's own (min_activated_stake is a raw amount), naming a field the user writes.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { assertToolchain, chainRpc, freePort, leftovers, newTestStack, NODE_IMAGE, previewRefusal, progress, signersSince, TestStack } from "./harness";
import { stackConfigMap } from "../stackFiles";

const DEV_PRODUCERS = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];

/** Pulumi.dev.yaml's eos-network:* values with every "N.NNNN SYS" written as N at `precision` in `code`, on free ports. */
async function devConfigIn(code: string, precision: number): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(stackConfigMap("dev"))) {
        const converted = text.replace(/"(\d+)\.(\d+) SYS"/g, (_m, whole: string) => `"${whole}${precision > 0 ? "." + "0".repeat(precision) : ""} ${code}"`);
        out[key.slice("eos-network:".length)] = JSON.parse(converted);
    }
    const chain = out.chain as Record<string, unknown>;
    out.chain = { ...chain, coreSymbol: code, precision };
    out.node = { ...(out.node as object), image: NODE_IMAGE };
    out.bootNode = { httpPort: await freePort() };
    out.producers = await Promise.all((out.producers as { name: string }[]).map(async (p) => ({ ...p, httpPort: await freePort() })));
    return out;
}

function cleos(container: string, ...args: string[]): string {
    const run = spawnSync("docker", ["exec", container, "cleos", "-u", "http://127.0.0.1:8888", ...args], { encoding: "utf8" });
    assert.equal(run.status, 0, `cleos ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
    return run.stdout;
}

describe("core symbol: the dev stack in EOS", function () {
    this.timeout(15 * 60 * 1000);
    let t: TestStack | undefined;

    before(() => assertToolchain());
    after(async () => {
        if (t) {
            const label = t.stackLabel;
            await t.cleanup();
            assert.deepEqual(await leftovers(label), { containers: [], volumes: [], networks: [] });
        }
    });

    it("precision 2 is refused in preview only for the chain's raw activation stake, at eos-network:accounts", async () => {
        const s = await newTestStack(await devConfigIn("EOS", 2));
        try {
            const message = await previewRefusal(s.stack, {}, "precision 2 with the dev file's voters (below the raw activation stake)");
            assert.match(message, /eos-network:accounts: voters stake [\d.]+ EOS in all; eosio.system elects producers only once 15000000000\.00 EOS has voted/);
            // The CLI prints the program's error twice (diagnostic and summary): distinct lines count.
            const problems = [...new Set(message.split("\n").filter((l) => /^\s+- eos-network:/.test(l)).map((l) => l.trim()))];
            assert.equal(problems.length, 1, `only the activation stake is refused:\n${problems.join("\n")}`);
        } finally {
            await s.cleanup();
        }
    });

    it("coreSymbol EOS with the written amounts in EOS boots: cleos shows the EOS token and the planned schedule", async () => {
        t = await newTestStack(await devConfigIn("EOS", 4));
        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        assert.deepEqual(res.outputs.activeProducers.value, DEV_PRODUCERS);

        const boot = `eosnet-${t.name}-boot`;
        const stats = JSON.parse(cleos(boot, "get", "currency", "stats", "eosio.token", "EOS")).EOS;
        assert.equal(stats.max_supply, "10000000000.0000 EOS");
        assert.equal(stats.issuer, "eosio");
        assert.match(stats.supply, / EOS$/);
        const schedule = JSON.parse(cleos(boot, "get", "schedule"));
        assert.deepEqual(schedule.active.producers.map((p: { producer_name: string }) => p.producer_name).sort(), DEV_PRODUCERS);
        // A defaulted amount, in EOS: a producer's liquid 9.0000 EOS (stakeRule.maxLiquid's default).
        assert.equal(cleos(boot, "get", "currency", "balance", "eosio.token", "produceraaaa", "EOS").trim(), "9.0000 EOS");

        const rpc = chainRpc(res.outputs.httpEndpoint.value);
        const start = await rpc.get_info();
        const seen = await signersSince(rpc, start.head_block_num + 1, DEV_PRODUCERS, 2 * 12 * DEV_PRODUCERS.length);
        assert.deepEqual([...seen].sort(), DEV_PRODUCERS, "every scheduled producer signs within two rounds");
    });

    it("a second up changes nothing", async () => {
        const res = await t!.stack.up({ expectNoChanges: true, onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
    });
});
