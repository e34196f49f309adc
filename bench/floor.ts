// The floor: a straight-line boot of the same network with the same image, genesis limits and
// transactions as the stack, batching what the chain allows, and the same end condition (the
// planned schedule active and LIB at or past its first block). It reuses the project's pure
// planning code (genesis, config.ini, feature order, accounts, peers) and its engine helpers, and
// talks to the chain with eosjs directly: TAPOS, ABIs and required keys are known locally, so
// each transaction is one push_transaction call and nothing waits for a block unless the chain
// needs it (features active before eosio.system's setcode).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Api, JsonRpc } from "eosjs";
import { JsSignatureProvider } from "eosjs/dist/eosjs-jssig";
import { chainIdOf, renderGenesis } from "../planning/genesis";
import { planFeatureActivation, SupportedFeature } from "../planning/features";
import { fundedAccounts, NetworkPlan, splitInputs } from "../planning/plan";
import { SYSTEM_ACCOUNTS } from "../rules/names";
import { LABEL_MANAGED, LABEL_STACK, reachableAddress } from "../rules/labels";
import { CONFIG_DIR, CONTAINER_HTTP_PORT, CONTAINER_P2P_PORT, DATA_DIR, nodeCommand, nodeHealthcheck, nodeObjectName, renderConfigIni, signatureProviderLines } from "../planning/node";
import { connectDocker, DockerEngine, listLabelled, orUndefined, tar } from "../provider/docker/engine";
import { removeContainer } from "../provider/docker/nodeosContainer";
import { describeError, fetchWithDeadline, isTransientCpuFailure, rawAbi } from "../provider/chain/client";
import type { Interval } from "./lib/timeline";

export const LABEL_BENCH = "io.eos-network.bench";

export interface Action {
    account: string;
    name: string;
    authorization: { actor: string; permission: string }[];
    data: unknown;
}

export interface KeyPairText {
    publicKey: string;
    privateKey: string;
}

export async function generateKey(): Promise<KeyPairText> {
    const { generateKeyPair } = await import("eosjs/dist/eosjs-key-conversions");
    const { KeyType } = await import("eosjs/dist/eosjs-numeric");
    const { privateKey, publicKey } = generateKeyPair(KeyType.k1, { secureEnv: true });
    return { publicKey: publicKey.toLegacyString(), privateKey: privateKey.toLegacyString() };
}

/** Milliseconds, monotonic. */
const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `ms` until it returns something other than false/undefined. */
async function until<T>(what: string, timeoutMs: number, ms: number, check: () => Promise<T | false | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    // A request stuck on a published port that nothing answers yet holds only unref'd timers
    // (AbortSignal.timeout): keep the process alive while waiting.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
        return await untilInner(what, deadline, timeoutMs, ms, check);
    } finally {
        clearInterval(keepAlive);
    }
}

async function untilInner<T>(what: string, deadline: number, timeoutMs: number, ms: number, check: () => Promise<T | false | undefined>): Promise<T> {
    for (;;) {
        const r = await check().catch(() => undefined);
        if (r !== false && r !== undefined) {
            return r;
        }
        if (Date.now() > deadline) {
            throw new Error(`floor: gave up waiting for ${what} after ${timeoutMs / 1000}s`);
        }
        await sleep(ms);
    }
}

// ---------------------------------------------------------------------------------------------
// Docker: the same container spec as the provider's NodeosContainer, straight through the engine.

export interface NodeSpec {
    name: string;
    role: string;
    httpPort: number;
    volume: string;
    configIni: string;
}

export interface DockerObjects {
    containers: string[];
    volumes: string[];
    network: string;
}

async function createNode(docker: DockerEngine, n: NodeSpec, image: string, network: string, genesis: string, labels: Record<string, string>, bind: string): Promise<void> {
    await docker.client.createVolume({ Name: n.volume, Labels: labels });
    const portKey = `${CONTAINER_HTTP_PORT}/tcp`;
    const c = await docker.client.createContainer({
        name: n.name,
        Image: image,
        Cmd: nodeCommand(),
        Labels: { ...labels, "io.eos-network.role": n.role },
        ExposedPorts: { [portKey]: {} },
        StopSignal: "SIGTERM",
        StopTimeout: 20,
        Healthcheck: { Test: nodeHealthcheck(), Interval: 15e9, Timeout: 5e9, Retries: 3, StartPeriod: 60e9 },
        HostConfig: {
            PortBindings: { [portKey]: [{ HostIp: bind, HostPort: String(n.httpPort) }] },
            Mounts: [{ Type: "volume", Source: n.volume, Target: DATA_DIR }],
            NetworkMode: network,
            RestartPolicy: { Name: "unless-stopped" },
            Init: true,
        },
        NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [n.name] } } },
    });
    await c.putArchive(tar([
        { path: `${CONFIG_DIR}/genesis.json`, content: genesis, mode: 0o644 },
        { path: `${CONFIG_DIR}/config.ini`, content: n.configIni, mode: 0o600 },
    ]), { path: "/" });
    await c.start();
    const url = `http://127.0.0.1:${n.httpPort}/v1/chain/get_info`;
    let polls = 0;
    await until(`${n.name} to answer get_info`, 300_000, 100, async () => {
        const ok = await fetchWithDeadline(url, { method: "POST", body: "{}" }, 2000).then((r) => r.ok).catch(() => false);
        if (!ok && ++polls % 20 === 0) {
            const s = await c.inspect();
            if (!s.State.Running && s.State.Status !== "restarting") {
                throw new Error(`floor: container ${n.name} exited (code ${s.State.ExitCode})`);
            }
        }
        return ok;
    });
}

/**
 * Removes containers (the provider's own stop-then-remove, SIGTERM and 20 s grace, all at
 * once), then their volumes, then the network: what `destroy` does, without an engine.
 */
export async function removeDirectly(objects: DockerObjects, docker?: DockerEngine): Promise<number> {
    const engine = docker ?? await connectDocker(undefined);
    const t0 = now();
    await Promise.all(objects.containers.map((name) => removeContainer(engine, name)));
    await Promise.all(objects.volumes.map((v) => orUndefined(() => engine.client.getVolume(v).remove({ force: true }))));
    if (objects.network) {
        await orUndefined(() => engine.client.getNetwork(objects.network).remove());
    }
    return (now() - t0) / 1000;
}

/** Every docker object carrying `label` (key=value), for cleaning up after a failure. */
export async function objectsLabelled(label: string, docker?: DockerEngine): Promise<DockerObjects> {
    const engine = docker ?? await connectDocker(undefined);
    const found = await listLabelled(engine, label);
    return { containers: found.containers, volumes: found.volumes, network: found.networks[0] ?? "" };
}

// ---------------------------------------------------------------------------------------------
// Chain: eosjs with TAPOS, ABIs and required keys known here.

export class Pusher {
    readonly rpc: JsonRpc;
    readonly api: Api;
    private readonly keyOf = new Map<string, string>();
    private tapos = { ref_block_num: 0, ref_block_prefix: 0 };
    private serial = 0;
    /** Transactions pushed and transient (CPU time) rejections resent. */
    pushed = 0;
    resent = 0;
    /** Resend transactions whose authorizing account is not on the chain yet (see push). */
    retryMissing = false;

    constructor(readonly endpoint: string, chainId: string, keys: Map<string, KeyPairText>) {
        const fetchFn = (url: string, init: { method?: string; body?: string }) => fetchWithDeadline(url, init, 30_000);
        this.rpc = new JsonRpc(endpoint, { fetch: fetchFn as never });
        for (const [actor, k] of keys) {
            this.keyOf.set(actor, k.publicKey);
        }
        const required = async ({ transaction }: { transaction: { actions: Action[] } }) =>
            [...new Set(transaction.actions.flatMap((a) => a.authorization.map((au) => this.keyOf.get(au.actor) ?? this.keyOf.get("eosio")!)))];
        this.api = new Api({
            rpc: this.rpc,
            chainId,
            signatureProvider: new JsSignatureProvider([...new Set([...keys.values()].map((k) => k.privateKey))]),
            authorityProvider: { getRequiredKeys: required as never },
            textDecoder: new TextDecoder() as never,
            textEncoder: new TextEncoder(),
        });
    }

    /** Sets the signing key of an actor (accounts created later). */
    addKey(actor: string, k: KeyPairText): void {
        this.keyOf.set(actor, k.publicKey);
    }

    /** ABI used to serialize actions of `account` (from a file: no get_raw_abi call). */
    setAbi(account: string, abiText: string): void {
        const { raw } = rawAbi(abiText);
        this.api.cachedAbis.set(account, { rawAbi: raw, abi: this.api.rawAbiToJson(raw) });
        this.api.contracts.delete(account);
    }

    /** TAPOS from the last irreversible block (the head one while LIB is 0). */
    async refreshTapos(): Promise<void> {
        const info = await this.rpc.get_info();
        const [num, id] = info.last_irreversible_block_num > 0 ? [info.last_irreversible_block_num, info.last_irreversible_block_id] : [info.head_block_num, info.head_block_id];
        this.tapos = { ref_block_num: num & 0xffff, ref_block_prefix: Buffer.from(id, "hex").readUInt32LE(8) };
    }

    /**
     * One push_transaction; a rejection for time limits only (the transaction did nothing) is
     * resent up to `attempts` times.
     */
    async push(actions: Action[], attempts = 12): Promise<{ id: string; blockNum: number }> {
        for (let attempt = 1; ; attempt++) {
            // A distinct expiration per transaction keeps identical action lists distinct.
            const expiration = new Date(Date.now() + (600 + (this.serial++ % 1800)) * 1000).toISOString().split(".")[0];
            try {
                this.pushed++;
                const r = (await this.api.transact({ ...this.tapos, expiration, actions }, { broadcast: true, sign: true })) as { transaction_id: string; processed?: { block_num: number } };
                return { id: r.transaction_id, blockNum: r.processed?.block_num ?? 0 };
            } catch (e) {
                const why = describeError(e);
                // Pushed to a node that is not producing, a transaction only sees what is in a
                // block: an account created a moment ago may not be there yet.
                if (this.retryMissing && attempt < 40 && /authorizing actor '.*' does not exist|unknown key/.test(why)) {
                    await sleep(250);
                    continue;
                }
                if (isTransientCpuFailure(why)) {
                    this.resent++;
                    if (attempt < attempts) {
                        await sleep(200 * attempt);
                        continue;
                    }
                    throw new TransientFailure(why);
                }
                throw new Error(`floor: transaction [${[...new Set(actions.map((a) => `${a.account}::${a.name}`))].join(", ")}] failed: ${why}`);
            }
        }
    }

    /**
     * Pushes groups of actions (each group stays in one transaction), packing groups into
     * transactions of at most `maxActions`. A transaction the chain rejects for time is split in
     * two at once, and later transactions are packed no bigger than what went through.
     */
    async pushPacked(groups: Action[][], maxActions: number): Promise<{ id: string; blockNum: number } | undefined> {
        let limit = maxActions;
        let last: { id: string; blockNum: number } | undefined;
        const pushSplitting = async (tx: Action[][]): Promise<void> => {
            try {
                last = await this.push(tx.flat(), tx.length > 1 ? 1 : 12);
            } catch (e) {
                if (e instanceof TransientFailure && tx.length > 1) {
                    const half = Math.ceil(tx.length / 2);
                    limit = Math.max(1, Math.min(limit, tx.slice(0, half).flat().length));
                    await pushSplitting(tx.slice(0, half));
                    await pushSplitting(tx.slice(half));
                    return;
                }
                throw e;
            }
        };
        let i = 0;
        while (i < groups.length) {
            const tx: Action[][] = [groups[i++]];
            let size = tx[0].length;
            while (i < groups.length && size + groups[i].length <= limit) {
                size += groups[i].length;
                tx.push(groups[i++]);
            }
            await pushSplitting(tx);
        }
        return last;
    }

    async waitInBlock(id: string, fromBlock: number, timeoutMs = 120_000): Promise<number> {
        let num = Math.max(1, fromBlock);
        return until(`transaction ${id.slice(0, 12)} in a block`, timeoutMs, 100, async () => {
            const info = await this.rpc.get_info();
            while (info.head_block_num >= num) {
                const b = await this.rpc.get_block(num) as { transactions?: { trx: string | { id: string } }[] };
                if ((b.transactions ?? []).some((t) => (typeof t.trx === "string" ? t.trx : t.trx.id) === id)) {
                    return num;
                }
                num++;
            }
            return undefined;
        });
    }
}

class TransientFailure extends Error {}

export function active(actor: string) {
    return [{ actor, permission: "active" }];
}

function auth(key: string) {
    return { threshold: 1, keys: [{ key, weight: 1 }], accounts: [], waits: [] };
}

/** newaccount + buyram + delegatebw + transfer, as the stack's Account resource sends them. */
/** An account as Account inputs write it. */
export interface FundedAccount { name: string; ram: string; cpu: string; net: string; liquid: string }

export function accountActions(f: FundedAccount, key: string, creator = "eosio"): Action[] {
    const zero = (like: string) => like.replace(/[0-9]/g, "0");
    const actions: Action[] = [{ account: "eosio", name: "newaccount", authorization: active(creator), data: { creator, name: f.name, owner: auth(key), active: auth(key) } }];
    actions.push({ account: "eosio", name: "buyram", authorization: active(creator), data: { payer: creator, receiver: f.name, quant: f.ram } });
    if (f.cpu || f.net) {
        actions.push({
            account: "eosio", name: "delegatebw", authorization: active(creator),
            data: { from: creator, receiver: f.name, stake_net_quantity: f.net || zero(f.cpu), stake_cpu_quantity: f.cpu || zero(f.net), transfer: true },
        });
    }
    if (f.liquid) {
        actions.push({ account: "eosio.token", name: "transfer", authorization: active(creator), data: { from: creator, to: f.name, quantity: f.liquid, memo: "eos-network: initial funds" } });
    }
    return actions;
}

export function voteAction(voter: string, producers: string[], proxy: string): Action {
    return { account: "eosio", name: "voteproducer", authorization: active(voter), data: { voter, proxy, producers: proxy ? [] : [...producers].sort() } };
}

/** The planned schedule active and LIB at or past its first block: the boot's end condition. */
export async function waitScheduleIrreversible(rpc: JsonRpc, desired: string[], timeoutMs: number, pollMs = 100): Promise<{ version: number; activeAt: number; lib: number }> {
    const want = JSON.stringify([...desired].sort());
    const version = await until(`schedule [${desired.join(", ")}] active`, timeoutMs, pollMs, async () => {
        const s = await rpc.get_producer_schedule() as { active: { version: number; producers: { producer_name: string }[] } };
        return JSON.stringify(s.active.producers.map((p) => p.producer_name).sort()) === want ? s.active.version : undefined;
    });
    const activeAt = now();
    const lib = await until(`LIB past the first block of schedule v${version}`, timeoutMs, pollMs, async () => {
        const info = await rpc.get_info();
        const b = await rpc.get_block(info.last_irreversible_block_num) as { schedule_version?: number };
        return (b.schedule_version ?? 0) >= version ? info.last_irreversible_block_num : undefined;
    });
    return { version, activeAt, lib };
}

// ---------------------------------------------------------------------------------------------
// The straight-line boot.

export interface FloorResult {
    seconds: number;
    intervals: Interval[];
    /** Named marks (seconds since start) for the report. */
    marks: Record<string, number>;
    objects: DockerObjects;
    endpoint: string;
    chainId: string;
    transactions: number;
    resent: number;
    scheduleVersion: number;
}

export interface FloorOptions {
    plan: NetworkPlan;
    /** Unique id of this run: names and labels of its docker objects. */
    runId: string;
    log?: (line: string) => void;
    /** Actions per transaction for accounts and votes. */
    maxActions?: number;
}

const contractFiles = (dir: string, n: string) => ({
    wasm: fs.readFileSync(path.resolve(dir, n, `${n}.wasm`)).toString("hex"),
    abi: fs.readFileSync(path.resolve(dir, n, `${n}.abi`), "utf8"),
});

/**
 * Boots the network of `cfg` straight through; the docker objects are left running (the caller
 * times their removal and always removes them: see `objects`, also set when this throws, on the
 * error as `.objects`).
 */
export async function floorBoot(o: FloorOptions): Promise<FloorResult> {
    const plan = o.plan;
    const cfg = plan.config;
    const log = o.log ?? (() => undefined);
    const maxActions = o.maxActions ?? 100;
    const t0 = now();
    const at = () => (now() - t0) / 1000;
    const marks: Record<string, number> = {};
    const intervals: Interval[] = [];
    const prefix = `eosfloor-${o.runId}`;
    const labels = { [LABEL_MANAGED]: "true", [LABEL_STACK]: `bench-floor/${o.runId}`, [LABEL_BENCH]: o.runId };
    const objects: DockerObjects = { containers: [], volumes: [], network: "" };
    try {
        // Keys: eosio's and one per funded account, as the stack's KeyPairs.
        const funded = fundedAccounts(plan).map((f) => ({ name: f.name, ...splitInputs(plan, f) }));
        const keys = new Map<string, KeyPairText>();
        const boot = await generateKey();
        keys.set("eosio", boot);
        for (const f of funded) {
            keys.set(f.name, await generateKey());
        }
        marks.keys = at();
        intervals.push({ category: "keys", start: 0, end: marks.keys });

        const genesis = renderGenesis(cfg.chain.initialTimestamp, boot.publicKey, cfg.chain);
        const chainId = chainIdOf(genesis);
        const docker = await connectDocker(undefined);
        const bind = reachableAddress(cfg.node.httpBindAddress);
        const bootAgent = nodeObjectName(prefix, "boot");
        const peersOf = (self: string) => (plan.nodes.find((n) => nodeObjectName(prefix, n.role) === self)?.peers ?? [])
            .map((role) => `${nodeObjectName(prefix, role)}:${CONTAINER_P2P_PORT}`);
        const settings = (agent: string, producerNames: string[], stale: boolean) => ({
            p2pServerAddress: `${agent}:${CONTAINER_P2P_PORT}`,
            chainStateDbSizeMb: cfg.node.chainStateDbSizeMb,
            maxTransactionTimeMs: cfg.node.maxTransactionTimeMs,
            agentName: agent,
            extraConfig: cfg.node.extraConfig,
            producerNames,
            enableStaleProduction: stale,
            peers: peersOf(agent),
        });
        const spec = (agent: string, role: string, httpPort: number, producer: string): NodeSpec => ({
            name: agent, role, httpPort, volume: `${agent}-${chainId.slice(0, 12)}`,
            configIni: renderConfigIni(settings(agent, [producer], producer === "eosio")) + signatureProviderLines([keys.get(producer)!]),
        });

        // The network and the boot node.
        const tc = at();
        objects.network = `${prefix}-net`;
        await docker.client.createNetwork({ Name: objects.network, Driver: "bridge", CheckDuplicate: true, Labels: labels });
        const bootSpec = spec(bootAgent, "boot", cfg.bootNode.httpPort, "eosio");
        objects.containers.push(bootSpec.name);
        objects.volumes.push(bootSpec.volume);
        await createNode(docker, bootSpec, cfg.node.image, objects.network, genesis, labels, bind);
        marks.bootReady = at();
        intervals.push({ category: "container", start: tc, end: marks.bootReady });
        log(`floor: boot node answers after ${marks.bootReady.toFixed(1)}s`);

        // Producer nodes start now and come up while the boot transactions run.
        const producerSpecs = plan.nodes.slice(1).map((n) => spec(nodeObjectName(prefix, n.role), n.role, n.httpPort, n.role));
        for (const s of producerSpecs) {
            objects.containers.push(s.name);
            objects.volumes.push(s.volume);
        }
        const producersUp = Promise.all(producerSpecs.map((s) => createNode(docker, s, cfg.node.image, objects.network, genesis, labels, bind))).then(() => {
            marks.producersReady = at();
            intervals.push({ category: "container", start: marks.bootReady, end: marks.producersReady });
        });
        producersUp.catch(() => undefined);

        const endpoint = `http://${bind}:${cfg.bootNode.httpPort}`;
        const chain = new Pusher(endpoint, chainId, keys);
        const dir = cfg.contracts.dir;
        const bios = contractFiles(dir, "eosio.bios");
        const token = contractFiles(dir, "eosio.token");
        const msig = contractFiles(dir, "eosio.msig");
        const system = contractFiles(dir, "eosio.system");
        chain.setAbi("eosio", bios.abi); // setcode/setabi/newaccount/activate/setpriv serialize with the bios ABI
        chain.setAbi("eosio.token", token.abi);
        await chain.refreshTapos();
        const eosio = active("eosio");
        const setContract = (account: string, c: { wasm: string; abi: string }): Action[] => [
            { account: "eosio", name: "setcode", authorization: active(account), data: { account, vmtype: 0, vmversion: 0, code: c.wasm } },
            { account: "eosio", name: "setabi", authorization: active(account), data: { account, abi: rawAbi(c.abi).raw.toString("hex") } },
        ];

        // PREACTIVATE through the producer API; meanwhile the system accounts, eosio.token and
        // eosio.msig (none of which needs a protocol feature).
        const supported = await chain.rpc.fetch("/v1/producer/get_supported_protocol_features", {}) as SupportedFeature[];
        const featurePlan = planFeatureActivation(supported);
        await chain.rpc.fetch("/v1/producer/schedule_protocol_feature_activations", { protocol_features_to_activate: [featurePlan.preactivate.digest] });
        const bootKey = boot.publicKey;
        // (Authorizations are checked before any action runs: the accounts go first, alone.)
        await chain.push(SYSTEM_ACCOUNTS.map((a) => ({ account: "eosio", name: "newaccount", authorization: eosio, data: { creator: "eosio", name: a, owner: auth(bootKey), active: auth(bootKey) } })));
        await chain.push([...setContract("eosio.token", token), ...setContract("eosio.msig", msig)]);
        const activated = async () => {
            const r = await chain.rpc.fetch("/v1/chain/get_activated_protocol_features", { limit: 100 }) as { activated_protocol_features: { feature_digest: string }[] };
            return new Set(r.activated_protocol_features.map((f) => f.feature_digest));
        };
        await until("PREACTIVATE_FEATURE active", 60_000, 50, async () => (await activated()).has(featurePlan.preactivate.digest));
        marks.preactivated = at();

        // eosio.bios and every other feature in one transaction; token and msig privilege next.
        await chain.push([...setContract("eosio", bios), ...featurePlan.rest.map((f) => ({ account: "eosio", name: "activate", authorization: eosio, data: { feature_digest: f.digest } }))]);
        await chain.push([
            { account: "eosio.token", name: "create", authorization: active("eosio.token"), data: { issuer: "eosio", maximum_supply: cfg.chain.maxSupply } },
            { account: "eosio.token", name: "issue", authorization: eosio, data: { to: "eosio", quantity: cfg.chain.issue, memo: "eos-network: initial issue" } },
            { account: "eosio", name: "setpriv", authorization: eosio, data: { account: "eosio.msig", is_priv: 1 } },
        ]);
        await until("all protocol features active", 60_000, 50, async () => {
            const on = await activated();
            return featurePlan.rest.every((f) => on.has(f.digest));
        });
        marks.featuresActive = at();

        // eosio.system (its code uses intrinsics of the features) and init.
        await chain.push(setContract("eosio", system));
        chain.setAbi("eosio", system.abi);
        await chain.push([{ account: "eosio", name: "init", authorization: eosio, data: { version: 0, core: `${cfg.chain.precision},${cfg.chain.coreSymbol}` } }]);
        marks.systemSet = at();

        // Producers and staked accounts, many per transaction; registrations; proxies; votes.
        await chain.pushPacked(funded.map((f) => accountActions(f, keys.get(f.name)!.publicKey)), maxActions);
        marks.accounts = at();
        await chain.pushPacked(cfg.producers.map((p) => [{
            account: "eosio", name: "regproducer", authorization: active(p.name),
            data: { producer: p.name, producer_key: keys.get(p.name)!.publicKey, url: p.url, location: p.location },
        }]), maxActions);
        const staked = plan.accounts;
        const proxies = staked.filter((a) => a.isProxy);
        if (proxies.length > 0) {
            await chain.pushPacked(proxies.map((a) => [{ account: "eosio", name: "regproxy", authorization: active(a.name), data: { proxy: a.name, isproxy: true } }]), maxActions);
        }
        const voters = staked.filter((a) => a.votes.length > 0 || a.proxy);
        await chain.pushPacked(voters.map((a) => [voteAction(a.name, a.votes, a.proxy ?? "")]), maxActions);
        marks.votesPushed = at();
        intervals.push({ category: "chain", start: marks.bootReady, end: marks.votesPushed });
        log(`floor: ${chain.pushed} transactions pushed after ${marks.votesPushed.toFixed(1)}s (${chain.resent} resent for CPU time)`);

        // The end condition: the planned schedule active and LIB past its first block.
        const desired = plan.schedule;
        await producersUp;
        const waited = await waitScheduleIrreversible(chain.rpc, desired, cfg.scheduleTimeoutSeconds * 1000);
        marks.scheduleActive = (waited.activeAt - t0) / 1000;
        marks.irreversible = at();
        intervals.push({ category: "schedule", start: marks.votesPushed, end: marks.irreversible });
        log(`floor: schedule v${waited.version} active after ${marks.scheduleActive.toFixed(1)}s, LIB past it after ${marks.irreversible.toFixed(1)}s`);

        // The resignation the stack also does after the schedule.
        if (cfg.resign) {
            const handover = (account: string, controller: string): Action[] => {
                const a = { threshold: 1, keys: [], accounts: [{ permission: { actor: controller, permission: "active" }, weight: 1 }], waits: [] };
                const owner = [{ actor: account, permission: "owner" }];
                return [
                    { account: "eosio", name: "updateauth", authorization: owner, data: { account, permission: "active", parent: "owner", auth: a } },
                    { account: "eosio", name: "updateauth", authorization: owner, data: { account, permission: "owner", parent: "", auth: a } },
                ];
            };
            await chain.refreshTapos();
            const r = await chain.push([...handover("eosio", "eosio.prods"), ...SYSTEM_ACCOUNTS.flatMap((a) => handover(a, "eosio"))]);
            await chain.waitInBlock(r.id, r.blockNum);
            intervals.push({ category: "chain", start: marks.irreversible, end: at() });
        }
        const seconds = at();
        return { seconds, intervals, marks, objects, endpoint, chainId, transactions: chain.pushed, resent: chain.resent, scheduleVersion: waited.version };
    } catch (e) {
        (e as { objects?: DockerObjects }).objects = objects;
        throw e;
    }
}

/** Random hex id for names. */
export function runId(): string {
    return crypto.randomBytes(3).toString("hex");
}
