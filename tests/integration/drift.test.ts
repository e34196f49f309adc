// Converge means the real world: each change is made behind the stack's back with a tool that is
// not the project's code (eosjs called here, the docker CLI, a signal to the engine, kill -9 of
// pulumi), refresh/preview shows it naming the drifted field, `up` repairs it (checked on the
// chain itself), and a second `up` has nothing to do.
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { JsonRpc } from "eosjs";
import { pollUntil } from "../../provider/poll";
import { assertToolchain, chainRpc, leftovers, newTestStack, outOfBand, previewRefusal, PRODUCERS, progress, ROOT, signersSince, stackKeys, STANDBY, standbyNetworkConfig, TestStack } from "./harness";

async function activeSchedule(rpc: JsonRpc): Promise<string[]> {
    const s = (await rpc.get_producer_schedule()) as { active: { producers: { producer_name: string }[] } };
    return s.active.producers.map((p) => p.producer_name).sort();
}

/** LIB moves on from where it is now. */
async function libAdvances(rpc: JsonRpc): Promise<void> {
    const start = (await rpc.get_info()).last_irreversible_block_num;
    await pollUntil(`LIB to pass ${start}`, 120_000, 500, async () => (await rpc.get_info()).last_irreversible_block_num > start);
}

function docker(...args: string[]): string {
    return execFileSync("docker", args, { encoding: "utf8" }).trim();
}

function containerState(name: string): { running: boolean; id: string } | undefined {
    try {
        const [running, id] = docker("inspect", "-f", "{{.State.Running}} {{.Id}}", name).split(" ");
        return { running: running === "true", id };
    } catch {
        return undefined;
    }
}

/** A preview after a refresh, as `npm run preview` runs it: its text and counts. */
async function refreshedPreview(t: TestStack) {
    const res = await t.stack.preview({ refresh: true, diff: true });
    return { text: res.stdout, changes: res.changeSummary };
}

describe("drift: up repairs what changed behind the stack's back", function () {
    this.timeout(40 * 60 * 1000);
    let t: TestStack;
    let cfg: Awaited<ReturnType<typeof standbyNetworkConfig>>;
    let rpc: JsonRpc;
    let keys: Map<string, string>;
    let endpoint = "";
    let chainId = "";
    const node = (role: string) => `eosnet-${t.name}-${role}`;

    before(async () => {
        assertToolchain();
        cfg = await standbyNetworkConfig();
        t = await newTestStack(cfg);
        const res = await t.stack.up({ onOutput: progress });
        assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
        endpoint = res.outputs.httpEndpoint.value;
        chainId = res.outputs.chainId.value;
        rpc = chainRpc(endpoint);
        assert.equal((await rpc.get_info()).chain_id, chainId, "the chain id computed from the genesis is the node's");
        keys = await stackKeys(t);
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
    });

    it("1. votes and a proxy changed with another client: preview names them, up re-votes them as planned", async () => {
        // No producer loses every vote here. Swapping one out for the standby is not reliably undone:
        // eosio.system keeps vote weight as a double, withdrawing all of a producer's votes can leave
        // a tiny positive total, and that still elects it (seen in CI: the standby stayed in a
        // schedule of five, which never shrinks; the provider now says so at once).
        const chain = outOfBand(endpoint, [keys.get("voteraaaaaaa")!, keys.get("proxyaaaaaaa")!, keys.get("voterbbbbbbb")!]);
        await chain.actAll([
            { actor: "voteraaaaaaa", name: "voteproducer", data: { voter: "voteraaaaaaa", proxy: "", producers: ["produceraaaa", "producerbbbb", "producercccc"] } },
            { actor: "proxyaaaaaaa", name: "voteproducer", data: { voter: "proxyaaaaaaa", proxy: "", producers: ["produceraaaa", "producerbbbb", "producerdddd"] } },
            { actor: "voterbbbbbbb", name: "voteproducer", data: { voter: "voterbbbbbbb", proxy: "", producers: ["produceraaaa"] } },
        ]);
        const voters = async () => {
            const rows = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "voters", limit: 10 })).rows as { owner: string; proxy: string; producers: string[] }[];
            return (n: string) => rows.find((v) => v.owner === n)!;
        };
        await pollUntil("the out-of-band votes in a block", 60_000, 500, async () => (await voters())("voterbbbbbbb").proxy === "");
        assert.deepEqual((await voters())("voteraaaaaaa").producers, ["produceraaaa", "producerbbbb", "producercccc"], "the drift is on the chain");

        const preview = await refreshedPreview(t);
        assert.match(preview.text, /eosnet:chain:Vote: \(update\)[\s\S]*?producers/, "the vote drift names producers");
        assert.match(preview.text, /eosnet-vote-voterbbbbbbb[\s\S]*?proxy/, "the proxy drift names proxy");
        assert.equal(preview.changes.update, 3, JSON.stringify(preview.changes));

        await t.stack.up({ refresh: true, onOutput: progress });
        const row = await voters();
        assert.deepEqual(row("voteraaaaaaa").producers, PRODUCERS);
        assert.deepEqual(row("proxyaaaaaaa").producers, PRODUCERS);
        assert.equal(row("voterbbbbbbb").proxy, "proxyaaaaaaa");
        assert.deepEqual(await activeSchedule(rpc), PRODUCERS);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("2. a producer unregistered and another's url changed: up registers them again", async () => {
        const chain = outOfBand(endpoint, [keys.get("producerbbbb")!, keys.get("producercccc")!]);
        await chain.act("producerbbbb", "unregprod", { producer: "producerbbbb" });
        const ccccKey = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", lower_bound: "producercccc", limit: 1 })).rows[0].producer_key;
        await chain.act("producercccc", "regproducer", { producer: "producercccc", producer_key: ccccKey, url: "https://elsewhere.example", location: 7 });

        const preview = await refreshedPreview(t);
        assert.match(preview.text, /eosnet-producer-producerbbbb[\s\S]*?isActive/);
        assert.match(preview.text, /eosnet-producer-producercccc[\s\S]*?url/);
        assert.equal(preview.changes.update, 2, JSON.stringify(preview.changes));

        await t.stack.up({ refresh: true, onOutput: progress });
        const rows = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", limit: 10 })).rows as { owner: string; is_active: number; url: string; location: number }[];
        const b = rows.find((r) => r.owner === "producerbbbb")!;
        const c = rows.find((r) => r.owner === "producercccc")!;
        assert.equal(b.is_active, 1);
        assert.deepEqual([c.url, c.location], ["https://producercccc.example", 0]);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("3. a producer container removed: up recreates it over its volume, and it signs again", async () => {
        const before = containerState(node("producercccc"))!;
        docker("rm", "-f", node("producercccc"));
        const preview = await refreshedPreview(t);
        assert.match(preview.text, /\+ eosnet:docker:NodeosContainer: \(create\)[\s\S]*?eosnet-node-producercccc-container/);
        assert.equal(preview.changes.create, 1, JSON.stringify(preview.changes));

        await t.stack.up({ refresh: true, onOutput: progress });
        const after = containerState(node("producercccc"))!;
        assert.ok(after.running);
        assert.notEqual(after.id, before.id);
        const start = await rpc.get_info();
        const seen = await signersSince(rpc, start.head_block_num + 1, ["producercccc"], 3 * 12 * PRODUCERS.length);
        assert.ok(seen.has("producercccc"), "the recreated producer signs blocks again");
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("4. a producer container stopped: up starts it; one crashed: the restart policy brings it back", async () => {
        docker("stop", node("producerdddd"));
        const preview = await refreshedPreview(t);
        assert.match(preview.text, /eosnet-node-producerdddd-container[\s\S]*?running/);
        assert.equal(preview.changes.update, 1, JSON.stringify(preview.changes));
        await t.stack.up({ refresh: true, onOutput: progress });
        assert.ok(containerState(node("producerdddd"))!.running);
        assert.equal(docker("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", node("producerdddd")), "unless-stopped");

        // A crash: nodeos (the child of the container's init) killed with SIGKILL, as the OOM killer would.
        const pid = docker("inspect", "-f", "{{.State.Pid}}", node("producerbbbb"));
        const nodeosPid = execFileSync("pgrep", ["-P", pid], { encoding: "utf8" }).trim().split("\n")[0];
        process.kill(Number(nodeosPid), "SIGKILL");
        await pollUntil("producerbbbb to be restarted by docker", 60_000, 500, async () => {
            const restarts = Number(docker("inspect", "-f", "{{.RestartCount}}", node("producerbbbb")));
            return restarts > 0 && containerState(node("producerbbbb"))!.running;
        });
        const start = await rpc.get_info();
        const seen = await signersSince(rpc, start.head_block_num + 1, ["producerbbbb", "producerdddd"], 3 * 12 * PRODUCERS.length);
        assert.ok(seen.has("producerbbbb") && seen.has("producerdddd"), `signers: ${[...seen].join(", ")}`);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("5. the boot container removed: up recreates it over its volume; same chain, head and LIB keep moving", async () => {
        const headBefore = (await rpc.get_info()).head_block_num;
        docker("rm", "-f", node("boot"));
        // The producers carry on without it.
        const producerRpc = chainRpc(`http://127.0.0.1:${cfg.producers[0].httpPort}`);
        await libAdvances(producerRpc);

        const preview = await refreshedPreview(t);
        assert.match(preview.text, /\+ eosnet:docker:NodeosContainer: \(create\)[\s\S]*?eosnet-boot-container/);
        assert.equal(preview.changes.create, 1, JSON.stringify(preview.changes));
        assert.equal(preview.changes.replace ?? 0, 0, "nothing on the chain is replaced: it is not a reset");

        await t.stack.up({ refresh: true, onOutput: progress });
        const info = await rpc.get_info();
        assert.equal(info.chain_id, chainId, "the same chain");
        assert.ok(info.head_block_num > headBefore, "the recreated boot node is at the chain's head, not a new genesis");
        await libAdvances(rpc);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("6. the docker engine restarted: the containers come back and the chain continues", async () => {
        const ids = [...PRODUCERS, STANDBY, "boot"].map((r) => containerState(node(r))!.id);
        restartDockerEngine();
        await pollUntil("every container of the stack to run again", 180_000, 1000, async () =>
            [...PRODUCERS, STANDBY, "boot"].every((r) => containerState(node(r))?.running));
        assert.deepEqual([...PRODUCERS, STANDBY, "boot"].map((r) => containerState(node(r))!.id), ids, "the same containers, restarted");
        await pollUntil("the boot node to answer", 120_000, 1000, async () => rpc.get_info().then(() => true, () => false));
        assert.equal((await rpc.get_info()).chain_id, chainId);
        await libAdvances(rpc);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("config changes an account's key and lowers its stake: an update (updateauth, undelegatebw), not a failure", async () => {
        const { generateKeyPair } = await import("eosjs/dist/eosjs-key-conversions");
        const { KeyType } = await import("eosjs/dist/eosjs-numeric");
        const pair = generateKeyPair(KeyType.k1, { secureEnv: true });
        await t.stack.setConfig("eos-network:keys", { value: JSON.stringify({ voterbbbbbbb: pair.privateKey.toLegacyString() }), secret: true });
        const accounts = cfg.accounts.map((a) => (a.name === "voterbbbbbbb" ? { ...a, funds: "40000000.0000 SYS" } : a));
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify(accounts) });

        const preview = await refreshedPreview(t);
        assert.match(preview.text, /eosnet-account-voterbbbbbbb[\s\S]*?(ownerKey|activeKey)/);
        await t.stack.up({ refresh: true, onOutput: progress });
        const a = (await rpc.get_account("voterbbbbbbb")) as any;
        const owner = a.permissions.find((p: { perm_name: string }) => p.perm_name === "owner");
        const { PublicKey } = await import("eosjs/dist/eosjs-key-conversions");
        assert.equal(PublicKey.fromString(owner.required_auth.keys[0].key).toLegacyString(), pair.publicKey.toLegacyString(), "the new key is on the chain");
        const staked = ["cpu_weight", "net_weight"].map((k) => Number(String(a.self_delegated_bandwidth[k]).split(" ")[0])).reduce((x, y) => x + y, 0);
        assert.ok(Math.abs(staked - 39999990.9) < 0.001, `staked ${staked}`);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("preview refuses more stake than a resigned eosio could fund, naming the funds field", async () => {
        const accounts = cfg.accounts.map((a) => (a.name === "voterbbbbbbb" ? { ...a, funds: "60000000.0000 SYS" } : a));
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify(accounts) });
        const message = await previewRefusal(t.stack, { refresh: true });
        assert.match(message, /eos-network:accounts\[2\]\.funds: voterbbbbbbb would stake .* eosio has resigned and cannot fund it/);
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify(cfg.accounts.map((a) => (a.name === "voterbbbbbbb" ? { ...a, funds: "40000000.0000 SYS" } : a))) });
    });
});

/**
 * Restarts the docker engine the way it was started: systemd's unit, or (on machines where
 * `npm run setup` started dockerd) SIGTERM to dockerd, then setup again.
 */
function restartDockerEngine(): void {
    if (fs.existsSync("/run/systemd/system")) {
        execFileSync("systemctl", ["restart", "docker"], { stdio: "inherit" });
        return;
    }
    const pid = Number(fs.readFileSync("/var/run/docker.pid", "utf8").trim());
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 120_000;
    while (fs.existsSync(`/proc/${pid}`)) {
        assert.ok(Date.now() < deadline, "dockerd did not stop within 120s");
        execFileSync("sleep", ["0.5"]);
    }
    execFileSync("bash", [path.join(ROOT, "scripts", "setup.sh")], { stdio: "inherit" });
}

describe("drift: an up killed with SIGKILL mid-boot is finished by the next npm run up", function () {
    this.timeout(30 * 60 * 1000);
    let t: TestStack;
    let child: ChildProcess | undefined;

    before(async () => {
        assertToolchain();
        t = await newTestStack(await standbyNetworkConfig());
    });

    after(async () => {
        child?.kill("SIGKILL");
        if (t) {
            await t.cleanup();
        }
    });

    it("resumes with no manual step; the chain has every account, contract and vote once", async () => {
        const env = t.env();
        // The CLI itself, as a user runs it, killed once the boot is well under way.
        child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", t.name, "--non-interactive"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        const killedAt = await new Promise<string>((resolve, reject) => {
            let seen = "";
            child!.stdout!.on("data", (d: Buffer) => {
                seen += d.toString();
                const m = /eosnet:chain:ProducerRegistration \S+ creating/.exec(seen);
                if (m) {
                    child!.kill("SIGKILL");
                    resolve(m[0]);
                }
            });
            child!.on("exit", () => reject(new Error(`pulumi up ended before the kill point:\n${seen.slice(-3000)}`)));
        });
        progress(`killed pulumi at: ${killedAt}\n`);
        await new Promise((r) => child!.once("close", r));
        child = undefined;

        // The README's command, on this stack's backend: it must finish the boot by itself.
        const out = execFileSync("bash", [path.join(ROOT, "scripts", "stack.sh"), "up", "--stack", t.name], {
            cwd: ROOT, env: { ...env, EOSNET_STATE_DIR: t.backendDir }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
        });
        assert.match(out, /Resources:/);
        const outputs = await t.stack.outputs();
        assert.deepEqual(outputs.activeProducers.value, PRODUCERS);
        const rpc = chainRpc(outputs.httpEndpoint.value);
        for (const account of [...PRODUCERS, STANDBY, "voteraaaaaaa", "proxyaaaaaaa", "voterbbbbbbb"]) {
            assert.ok(await rpc.get_account(account), `${account} exists`);
        }
        for (const account of ["eosio", "eosio.token", "eosio.msig"]) {
            const code = (await rpc.fetch("/v1/chain/get_code_hash", { account_name: account })) as { code_hash: string };
            assert.notEqual(code.code_hash, "0".repeat(64), `${account} has its contract`);
        }
        const voters = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "voters", limit: 10 })).rows as { owner: string; producers: string[]; proxy: string }[];
        assert.deepEqual(voters.find((v) => v.owner === "voteraaaaaaa")!.producers, PRODUCERS);
        assert.equal(voters.find((v) => v.owner === "voterbbbbbbb")!.proxy, "proxyaaaaaaa");
        const state = await t.stack.exportStack();
        assert.deepEqual(state.deployment.pending_operations ?? [], [], "no pending operation left in the state");
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
