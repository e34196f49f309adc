// The product's core promise: one `up` on an empty stack boots a multi-producer network from
// genesis and ends with the desired schedule active; a second `up` changes nothing; `destroy`
// resets everything and the next `up` is a fresh chain.
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertToolchain, chainRpc, freePort, leftovers, newTestStack, previewRefusal, PRODUCERS, progress, ROOT, signersSince, STANDBY, standbyNetworkConfig, TestStack } from "./harness";

describe("boot: a 4-producer network from genesis", function () {
    this.timeout(20 * 60 * 1000);
    let t: TestStack;
    let cfg: Awaited<ReturnType<typeof standbyNetworkConfig>>;
    let firstChainId = "";
    let expected = PRODUCERS;

    before(async () => {
        assertToolchain();
        cfg = await standbyNetworkConfig();
        t = await newTestStack(cfg);
    });

    const setVotes = async (votes: string[]) => {
        const accounts = cfg.accounts.map((a) => (a.votes ? { ...a, votes } : a));
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify(accounts) });
    };

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

        const rpc = chainRpc(res.outputs.httpEndpoint.value);
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

    it("the provider answers GetSchema, and pulumi import reads an account, a producer and a vote from the chain", async () => {
        const env = t.env();
        const schema = JSON.parse(execFileSync("pulumi", ["package", "get-schema", path.join(ROOT, "provider", "pulumi-resource-eosnet")], { cwd: ROOT, env, encoding: "utf8" }));
        for (const token of ["eosnet:chain:Account", "eosnet:chain:ProducerRegistration", "eosnet:chain:Vote", "eosnet:docker:NodeosContainer"]) {
            assert.ok(schema.resources[token]?.inputProperties, `schema has ${token}`);
        }
        const state = await t.stack.exportStack();
        const provider = (state.deployment.resources as { type: string; urn: string }[]).find((r) => r.type === "pulumi:providers:eosnet" && r.urn.endsWith("::eosnet-chain"))!;
        const file = path.join(t.backendDir, "import.json");
        fs.writeFileSync(file, JSON.stringify({
            nameTable: { chain: provider.urn },
            resources: [
                { type: "eosnet:chain:Account", name: "imported-account", id: "voteraaaaaaa", provider: "chain" },
                { type: "eosnet:chain:ProducerRegistration", name: "imported-producer", id: "producerbbbb", provider: "chain" },
                { type: "eosnet:chain:Vote", name: "imported-vote", id: "voteraaaaaaa", provider: "chain" },
            ],
        }));
        const run = spawnSync("pulumi", ["import", "--file", file, "--yes", "--protect=false", "--generate-code=false", "--stack", t.name, "--non-interactive"], { cwd: ROOT, env, encoding: "utf8" });
        assert.equal(run.status, 0, `pulumi import failed:\n${run.stdout}\n${run.stderr}`);
        const imported = (await t.stack.exportStack()).deployment.resources as { urn: string; type: string; id: string; outputs: Record<string, any> }[];
        const byName = (n: string) => imported.find((r) => r.urn.endsWith(`::${n}`))!;
        const rpc = chainRpc(`http://127.0.0.1:${cfg.bootNode.httpPort}`);
        const account: any = await rpc.get_account("voteraaaaaaa");
        assert.equal(byName("imported-account").outputs.cpu, account.self_delegated_bandwidth.cpu_weight);
        const { PublicKey } = await import("eosjs/dist/eosjs-key-conversions");
        assert.equal(byName("imported-account").outputs.ownerKey,
            PublicKey.fromString(account.permissions.find((p: any) => p.perm_name === "owner").required_auth.keys[0].key).toLegacyString());
        assert.equal(byName("imported-producer").outputs.url, "https://producerbbbb.example");
        assert.equal(byName("imported-producer").outputs.isActive, true);
        assert.deepEqual(byName("imported-vote").outputs.producers, PRODUCERS);
        // They are not part of the program: forget them again (deleting a vote would unvote).
        for (const n of ["imported-account", "imported-producer", "imported-vote"]) {
            execFileSync("pulumi", ["state", "delete", byName(n).urn, "--yes", "--stack", t.name], { cwd: ROOT, env });
        }
        await t.stack.up({ expectNoChanges: true, onOutput: progress });
    });

    it("preview refuses votes that would shrink the schedule, and the chain is untouched", async () => {
        await setVotes(PRODUCERS.slice(0, 3));
        const message = await previewRefusal(t.stack);
        assert.match(message, /eos-network:accounts: the votes elect 3 producer\(s\) \[produceraaaa, producerbbbb, producercccc\], but the chain runs 4 .* eosio.system never shrinks the schedule/);
        await setVotes(PRODUCERS);
        const res = await t.stack.preview();
        assert.equal(res.changeSummary.update ?? 0, 0, JSON.stringify(res.changeSummary));
    });

    it("preview refuses a new producer once eosio has resigned (nothing could create its account)", async () => {
        const ffff = { name: "producerffff", url: "https://producerffff.example", httpPort: await freePort() };
        await t.stack.setConfig("eos-network:producers", { value: JSON.stringify([...cfg.producers, ffff]) });
        const message = await previewRefusal(t.stack);
        assert.match(message, /eos-network:producers\[5\]\.name: producerffff is not on the chain, and eosio has resigned to eosio.prods/);
        await t.stack.setConfig("eos-network:producers", { value: JSON.stringify(cfg.producers) });
    });

    it("swapping a producer: preview shows the new schedule, up converges, a second up changes nothing", async () => {
        expected = ["produceraaaa", "producerbbbb", "producercccc", STANDBY];
        await setVotes(expected);

        const preview = await t.stack.preview();
        const planned = /plannedSchedule\s*:\s*\[([\s\S]*?)\n\s*\]/.exec(preview.stdout)?.[1] ?? "";
        assert.match(planned, /producerdddd[\s\S]*producereeee/, `plannedSchedule diff in preview: ${planned}`);
        // Exactly the two votes and the schedule change.
        assert.deepEqual({ ...preview.changeSummary, same: undefined }, { update: 3, same: undefined });

        const res = await t.stack.up({ onOutput: progress });
        assert.deepEqual(res.outputs.activeProducers.value, expected);
        const rpc = chainRpc(res.outputs.httpEndpoint.value);
        const schedule: any = await rpc.get_producer_schedule();
        assert.deepEqual(schedule.active.producers.map((p: any) => p.producer_name).sort(), expected);
        const start = await rpc.get_info();
        const seen = await signersSince(rpc, start.head_block_num + 1, [STANDBY], 2 * 12 * expected.length);
        assert.ok(seen.has(STANDBY), "the newly elected producer signs blocks");

        const again = await t.stack.up({ expectNoChanges: true, onOutput: progress });
        assert.equal(again.summary.result, "succeeded");
    });

    it("destroy leaves nothing behind, and the next up is a fresh chain", async () => {
        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });

        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        assert.match(res.outputs.chainId.value, /^[0-9a-f]{64}$/);
        assert.notEqual(res.outputs.chainId.value, firstChainId, "a reset must give a new chain");
        assert.deepEqual(res.outputs.activeProducers.value, expected);

        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
