// The first real test: the stack's own program boots one nodeos container through the Automation
// API on a temporary local backend, eosjs reads it, and destroy leaves nothing behind.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertToolchain, chainRpc, freePort, leftovers, newTestStack, NODE_IMAGE, progress, TestStack } from "./harness";

describe("toolchain: one nodeos container through pulumi up/destroy", function () {
    this.timeout(15 * 60 * 1000);
    let t: TestStack;
    let httpPort: number;

    before(async () => {
        assertToolchain();
        httpPort = await freePort();
        t = await newTestStack({ node: { image: NODE_IMAGE }, bootNode: { httpPort } });
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
    });

    it("boots a node that produces blocks, reachable only on 127.0.0.1", async () => {
        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        const endpoint = res.outputs.httpEndpoint.value;
        assert.equal(endpoint, `http://127.0.0.1:${httpPort}`);

        const rpc = chainRpc(endpoint);
        const first = await rpc.get_info();
        assert.equal(first.chain_id, res.outputs.chainId.value);
        assert.match(first.chain_id, /^[0-9a-f]{64}$/);
        assert.equal(first.head_block_producer, "eosio");

        // Production is real: the head moves on and so does irreversibility.
        const deadline = Date.now() + 30_000;
        let info = first;
        while (info.head_block_num < first.head_block_num + 4 || info.last_irreversible_block_num <= first.last_irreversible_block_num) {
            assert.ok(Date.now() < deadline, `chain stalled at head ${info.head_block_num}, LIB ${info.last_irreversible_block_num}`);
            await new Promise((r) => setTimeout(r, 250));
            info = await rpc.get_info();
        }

        const bindings = JSON.parse(execFileSync("docker", ["inspect", "--format", "{{json .HostConfig.PortBindings}}", `eosnet-${t.name}-boot`], { encoding: "utf8" }));
        for (const list of Object.values(bindings) as { HostIp: string }[][]) {
            for (const b of list) {
                assert.equal(b.HostIp, "127.0.0.1");
            }
        }
    });

    it("keeps the producer key out of docker inspect and out of plain state", async () => {
        // The Automation API's export decrypts secrets: that is where the test learns the key.
        const exported = await t.stack.exportStack();
        const shown = (exported.deployment.resources as any[]).find((r) => r.type.endsWith(":KeyPair"));
        assert.ok(shown, "no KeyPair resource in state");
        const plain = shown.outputs.privateKey;
        const privateKey: string = typeof plain === "string" ? plain : JSON.parse(plain.plaintext);
        assert.match(privateKey, /^5[HJK][1-9A-HJ-NP-Za-km-z]{49}$/);

        // On disk the backend holds only ciphertext.
        const files = (fs.readdirSync(t.backendDir, { recursive: true }) as string[])
            .map((f) => path.join(t.backendDir, f))
            .filter((f) => fs.statSync(f).isFile());
        const stateFile = files.find((f) => f.endsWith(`${t.name}.json`));
        assert.ok(stateFile, `no state file for ${t.name} in ${t.backendDir}`);
        const onDisk = (JSON.parse(fs.readFileSync(stateFile, "utf8")).checkpoint.latest.resources as any[]).find((r) => r.type.endsWith(":KeyPair"));
        assert.ok(onDisk.outputs.privateKey.ciphertext, "private key is not encrypted in the state file");
        // Key material is held by the key pairs and the chain provider, nowhere else.
        const holders = (JSON.parse(fs.readFileSync(stateFile, "utf8")).checkpoint.latest.resources as any[])
            .filter((r) => JSON.stringify(r).includes("ciphertext")).map((r) => r.type);
        assert.deepEqual([...new Set(holders)].sort(), ["eosnet:keys:KeyPair", "pulumi:providers:eosnet"]);
        for (const f of files) {
            assert.ok(!fs.readFileSync(f, "utf8").includes(privateKey), `private key in plain text in ${f}`);
        }

        const inspect = execFileSync("docker", ["inspect", `eosnet-${t.name}-boot`], { encoding: "utf8" });
        assert.ok(!inspect.includes(privateKey), "private key visible in docker inspect");
        const processes = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
        assert.ok(!processes.includes(privateKey), "private key on a process command line");
    });

    it("a second up changes nothing", async () => {
        const res = await t.stack.up({ expectNoChanges: true, onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
    });

    it("destroy leaves no container, volume or network of the stack", async () => {
        const before = await leftovers(t.stackLabel);
        assert.equal(before.containers.length, 1, "the check must see the running stack's container");
        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
