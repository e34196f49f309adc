// The product's core promise: one `up` on an empty stack boots a multi-producer network from
// genesis and ends with the desired schedule active; a second `up` changes nothing; `destroy`
// resets everything and the next `up` is a fresh chain.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { JsonRpc } from "eosjs";
import { assertToolchain, freePort, leftovers, newTestStack, NODE_IMAGE, progress, TestStack } from "./harness";

const PRODUCERS = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];

async function testConfig() {
    return {
        node: { image: NODE_IMAGE },
        bootNode: { httpPort: await freePort() },
        producers: await Promise.all(PRODUCERS.map(async (name) => ({ name, url: `https://${name}.example`, httpPort: await freePort() }))),
        accounts: [
            { name: "voteraaaaaaa", funds: "100000000.0000 SYS", votes: PRODUCERS },
            { name: "proxyaaaaaaa", funds: "50000000.0000 SYS", isProxy: true, votes: PRODUCERS },
            { name: "voterbbbbbbb", funds: "50000000.0000 SYS", proxy: "proxyaaaaaaa" },
        ],
    };
}

/** Producers seen signing blocks from `from` on, until all of `want` are seen or `maxBlocks` pass. */
async function signersSince(rpc: JsonRpc, from: number, want: string[], maxBlocks: number): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let num = from; num < from + maxBlocks && !want.every((p) => seen.has(p)); ) {
        const info = await rpc.get_info();
        if (info.head_block_num < num) {
            await new Promise((r) => setTimeout(r, 250));
            continue;
        }
        seen.add((await rpc.get_block(num)).producer);
        num++;
    }
    return seen;
}

describe("boot: a 4-producer network from genesis", function () {
    this.timeout(20 * 60 * 1000);
    let t: TestStack;
    let firstChainId = "";

    before(async () => {
        assertToolchain();
        t = await newTestStack(await testConfig());
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
    });

    it("one up ends with the configured producers scheduled, all signing, and LIB advancing", async () => {
        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
        assert.deepEqual(res.outputs.plannedSchedule.value, PRODUCERS, "the planned schedule is what the chain elected");
        firstChainId = res.outputs.chainId.value;

        const rpc = new JsonRpc(res.outputs.httpEndpoint.value, { fetch: fetch as any });
        const schedule: any = await rpc.get_producer_schedule();
        assert.deepEqual(schedule.active.producers.map((p: any) => p.producer_name).sort(), PRODUCERS);

        // Two rounds: 12 blocks per producer per round.
        const start = await rpc.get_info();
        const seen = await signersSince(rpc, start.head_block_num + 1, PRODUCERS, 2 * 12 * PRODUCERS.length);
        assert.deepEqual([...seen].sort(), PRODUCERS, "every scheduled producer signs within two rounds");
        // Irreversibility keeps up: LIB passes the start's LIB within two more rounds.
        let now = await rpc.get_info();
        while (now.last_irreversible_block_num <= start.last_irreversible_block_num) {
            assert.ok(now.head_block_num < start.head_block_num + 4 * 12 * PRODUCERS.length,
                `LIB stuck at ${now.last_irreversible_block_num} from head ${start.head_block_num} to ${now.head_block_num}`);
            await new Promise((r) => setTimeout(r, 250));
            now = await rpc.get_info();
        }

        // The same, through the cleos that ships with the node image.
        // (`get schedule` prints JSON; this cleos build crashes on its `-j` flag.)
        const run = spawnSync("docker", ["exec", `eosnet-${t.name}-boot`, "cleos", "-u", "http://127.0.0.1:8888", "get", "schedule"], { encoding: "utf8" });
        assert.equal(run.status, 0, `cleos get schedule failed (${run.status}): ${run.stderr}`);
        const cleos = JSON.parse(run.stdout);
        assert.deepEqual(cleos.active.producers.map((p: any) => p.producer_name).sort(), PRODUCERS);

        // eosio resigned to eosio.prods.
        const eosio = await rpc.get_account("eosio");
        const owner: any = eosio.permissions.find((p: any) => p.perm_name === "owner");
        assert.deepEqual(owner.required_auth.keys, []);
        assert.equal(owner.required_auth.accounts[0].permission.actor, "eosio.prods");
    });

    it("a second up changes nothing", async () => {
        const res = await t.stack.up({ expectNoChanges: true, onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
    });

    it("destroy leaves nothing behind, and the next up is a fresh chain", async () => {
        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });

        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        assert.match(res.outputs.chainId.value, /^[0-9a-f]{64}$/);
        assert.notEqual(res.outputs.chainId.value, firstChainId, "a reset must give a new chain");
        assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);

        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
