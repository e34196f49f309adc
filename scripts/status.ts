// npm run status [-- --stack NAME] [-- --json]: the running network as a person checks it. Reads the
// stack's outputs (JSON on stdin, from `pulumi stack output --json`), then each host's engine port,
// each node's get_info and peers, and the producers' last blocks; prints two tables (or --json).
// Exit code: 0 healthy, 1 something is wrong (reasons printed last), 2 nothing to check.
// The pure parts are exported for tests/unit/status.test.ts; only main touches stdin/stdout.
import * as net from "net";
import { z } from "zod";

/** Blocks a producer signs in a row: a round is this many blocks per scheduled producer. */
export const BLOCKS_PER_PRODUCER = 12;
/** How many rounds back the scan looks for each producer's last block. */
export const SCAN_ROUNDS = 2;
export const HOST_TIMEOUT_MS = 2000;
export const HTTP_TIMEOUT_MS = 3000;
export const SCAN_CONCURRENCY = 8;
/** The engine a stack without hosts uses when DOCKER_HOST is not set. */
export const LOCAL_DOCKER_SOCKET = "/var/run/docker.sock";

// ---- the stack's outputs -------------------------------------------------------------------------

const OutputsSchema = z.object({
    chainId: z.string().min(1),
    nodes: z.record(z.object({
        host: z.string(),
        httpEndpoint: z.string(),
        p2pAddress: z.string(),
        producers: z.array(z.string()),
    })),
    hosts: z.record(z.object({ address: z.string(), docker: z.string(), kubernetes: z.string().optional() })),
});
export type StackOutputs = z.infer<typeof OutputsSchema>;

/** The outputs status needs, or why they are not there (a stack never brought up has `{}`). */
export function parseOutputs(text: string): StackOutputs | { missing: string } {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        return { missing: text.trim() === "" ? "the stack has no outputs" : "the stack's outputs are not JSON" };
    }
    if (json && typeof json === "object" && Object.keys(json).length === 0) return { missing: "the stack has no outputs" };
    const parsed = OutputsSchema.safeParse(json);
    if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "outputs")))];
        return { missing: `the stack's outputs lack ${fields.join(", ")}` };
    }
    if (Object.keys(parsed.data.nodes).length === 0) return { missing: "the stack has no nodes" };
    return parsed.data;
}

/** Boot first (it is the chain's entry point), then by name. */
export function nodeOrder(a: string, b: string): number {
    if (a === b) return 0;
    if (a === "boot") return -1;
    if (b === "boot") return 1;
    return a < b ? -1 : 1;
}

// ---- hosts: is the engine's port there ------------------------------------------------------------

export type EngineTarget = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string };

/** Where to knock for a host's engine; no credentials are involved, only the port. */
export function engineTarget(docker: string, env: NodeJS.ProcessEnv = process.env): EngineTarget {
    if (docker === "") {
        // The implicit local engine, as the docker CLI and dockerode find it.
        return env.DOCKER_HOST ? engineTarget(env.DOCKER_HOST, {}) : { kind: "unix", path: LOCAL_DOCKER_SOCKET };
    }
    if (docker.startsWith("unix://")) return { kind: "unix", path: docker.slice("unix://".length) };
    if (docker.startsWith("/")) return { kind: "unix", path: docker };
    const url = new URL(docker);
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (url.protocol === "tcp:") return { kind: "tcp", host, port: url.port ? Number(url.port) : 2375 };
    if (url.protocol === "ssh:") return { kind: "tcp", host, port: url.port ? Number(url.port) : 22 };
    throw new Error(`unknown engine URL ${docker}`);
}

/**
 * Where to knock for a host: its engine's port; on a cluster (whose API address is in the secret
 * kubeconfig only) the NodePort of its first node at the host's address, where this machine reaches
 * it; undefined for a cluster host with no node of the stack (nothing of ours answers there).
 */
export function hostTarget(outputs: StackOutputs, name: string, env: NodeJS.ProcessEnv = process.env): EngineTarget | undefined {
    const h = outputs.hosts[name];
    if (h.kubernetes === undefined) {
        return engineTarget(h.docker, env);
    }
    const first = Object.keys(outputs.nodes).sort(nodeOrder).find((r) => outputs.nodes[r].host === name);
    if (!first) {
        return undefined;
    }
    const url = new URL(outputs.nodes[first].httpEndpoint);
    return { kind: "tcp", host: url.hostname, port: Number(url.port) };
}

/**
 * undefined when the port accepts a connection in time, else why not (short). A timeout is tried
 * once more on a fresh socket: one lost SYN (a neighbour entry being resolved again on a busy
 * machine) is not a host down. A timer that fires looks once more after the loop's I/O: a connect
 * the kernel completed while this process was busy counts.
 */
export async function knock(target: EngineTarget, timeoutMs = HOST_TIMEOUT_MS): Promise<string | undefined> {
    const first = await knockOnce(target, timeoutMs);
    if (first !== TIMED_OUT) return first;
    const second = await knockOnce(target, timeoutMs);
    return second === TIMED_OUT ? `timed out twice after ${timeoutMs / 1000}s` : second;
}

const TIMED_OUT = "timed out";

export function knockOnce(target: EngineTarget, timeoutMs: number): Promise<string | undefined> {
    return new Promise((resolve) => {
        const socket = target.kind === "unix" ? net.connect({ path: target.path }) : net.connect({ host: target.host, port: target.port });
        let settled = false;
        const done = (why: string | undefined) => {
            if (settled) return;
            settled = true;
            socket.destroy();
            clearTimeout(timer);
            resolve(why);
        };
        // setImmediate runs after the poll phase, which delivers a connect already made.
        const timer = setTimeout(() => setImmediate(() => done(TIMED_OUT)), timeoutMs);
        socket.once("connect", () => done(undefined));
        socket.once("error", (e: NodeJS.ErrnoException) => done(errorText(e)));
    });
}

// ---- nodes: the chain API with plain fetch ---------------------------------------------------------

export class HttpError extends Error {
    constructor(public readonly status: number, path: string) { super(`${path}: HTTP ${status}`); }
}

function errorText(e: unknown): string {
    const err = e as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
    if (err.name === "TimeoutError" || err.name === "AbortError") return "timed out";
    const code = err.code ?? err.cause?.code;
    if (code === "ECONNREFUSED") return "connection refused";
    if (code === "ENOENT") return "no such socket";
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "no route to host";
    return code ?? err.cause?.message ?? err.message ?? String(e);
}

export async function post<T>(endpoint: string, path: string, body: unknown, timeoutMs = HTTP_TIMEOUT_MS): Promise<T> {
    let res: Response;
    try {
        res = await fetch(endpoint.replace(/\/+$/, "") + path, {
            method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
        });
    } catch (e) {
        throw new Error(`${path}: ${errorText(e) === "timed out" ? `timed out after ${timeoutMs / 1000}s` : errorText(e)}`);
    }
    if (!res.ok) {
        await res.body?.cancel();
        throw new HttpError(res.status, path);
    }
    return (await res.json()) as T;
}

export interface NodeInfo { chainId: string; headBlock: number; lib: number; headTime: string }
export interface NodeReading { info?: NodeInfo; error?: string; peers: number | null }

/** get_info, then the peers when the node loads net_api_plugin (null when it does not). */
export async function readNode(endpoint: string, timeoutMs = HTTP_TIMEOUT_MS): Promise<NodeReading> {
    let info: NodeInfo;
    try {
        const i = await post<{ chain_id: string; head_block_num: number; last_irreversible_block_num: number; head_block_time: string }>(
            endpoint, "/v1/chain/get_info", {}, timeoutMs);
        info = { chainId: i.chain_id, headBlock: i.head_block_num, lib: i.last_irreversible_block_num, headTime: i.head_block_time };
    } catch (e) {
        return { error: (e as Error).message, peers: null };
    }
    let peers: number | null = null;
    try {
        const conns = await post<{ peer?: string; connecting?: boolean; last_handshake?: { p2p_address?: string } }[]>(endpoint, "/v1/net/connections", {}, timeoutMs);
        // A peer has shaken hands; an incoming connection has no peer name (only dialled ones do), so the handshake says it.
        peers = Array.isArray(conns) ? conns.filter((c) => c.connecting === false && (!!c.peer || !!c.last_handshake?.p2p_address)).length : null;
    } catch {
        // Nodes on one engine do not load net_api_plugin: 404, shown as "-".
    }
    return { info, peers };
}

export async function readSchedule(endpoint: string, timeoutMs = HTTP_TIMEOUT_MS): Promise<string[]> {
    const s = await post<{ active?: { producers?: { producer_name: string }[] } }>(endpoint, "/v1/chain/get_producer_schedule", {}, timeoutMs);
    return (s.active?.producers ?? []).map((p) => p.producer_name);
}

export interface SignedBlock { block: number; timestamp: string }
export interface Scan {
    /** The node read and the block the scan went back from. */
    source: string;
    head: number;
    headTime: string;
    /** The most blocks the scan looks at: SCAN_ROUNDS rounds of the active schedule. */
    limit: number;
    /** How many blocks it looked at (fewer once every scheduled producer was found). */
    scanned: number;
    /** Each producer seen in the scanned blocks: its highest block. */
    lastSigned: Record<string, SignedBlock>;
    error?: string;
}

/**
 * Walks back from `head` through get_block, `concurrency` blocks at a time, for at most SCAN_ROUNDS
 * rounds of `schedule`, and stops once every scheduled producer has a block.
 */
export async function scanSigners(source: string, endpoint: string, head: number, headTime: string, schedule: string[],
                                  opts: { concurrency?: number; timeoutMs?: number } = {}): Promise<Scan> {
    const concurrency = opts.concurrency ?? SCAN_CONCURRENCY;
    const limit = Math.min(SCAN_ROUNDS * BLOCKS_PER_PRODUCER * schedule.length, Math.max(head, 0));
    const scan: Scan = { source, head, headTime, limit, scanned: 0, lastSigned: {} };
    const missing = new Set(schedule);
    for (let next = head; scan.scanned < limit && missing.size > 0;) {
        const nums: number[] = [];
        while (nums.length < concurrency && scan.scanned + nums.length < limit) nums.push(next--);
        let blocks: { producer: string; timestamp: string }[];
        try {
            blocks = await Promise.all(nums.map((n) => post<{ producer: string; timestamp: string }>(endpoint, "/v1/chain/get_block", { block_num_or_id: n }, opts.timeoutMs)));
        } catch (e) {
            scan.error = `get_block near ${nums[0]}: ${(e as Error).message}`;
            return scan;
        }
        // Highest first, so the first block seen of a producer is its last one.
        blocks.forEach((b, i) => {
            if (!scan.lastSigned[b.producer]) scan.lastSigned[b.producer] = { block: nums[i], timestamp: b.timestamp };
            missing.delete(b.producer);
        });
        scan.scanned += nums.length;
    }
    return scan;
}

// ---- what status found (the --json document) -----------------------------------------------------

/** reachable: null when there was nothing to knock (a cluster host with no node of the stack). */
export interface HostStatus { name: string; address: string; docker: string; kubernetes?: string; reachable: boolean | null; error?: string; nodes: string[] }
export interface ProducerSigned { producer: string; scheduled: boolean; block: number | null; secondsAgo: number | null }
export interface NodeStatus {
    role: string; host: string; httpEndpoint: string; producers: string[];
    up: boolean;
    /** Why the node is down: "no answer" or "other chain", with the detail. */
    down?: { why: "no answer" | "other chain"; detail: string };
    headBlock: number | null; lib: number | null; peers: number | null;
    signed: ProducerSigned[];
}
export interface NetworkStatus {
    chainId: string;
    hosts: HostStatus[];
    nodes: NodeStatus[];
    /** The active schedule (null when no node could tell it). */
    schedule: string[] | null;
    scheduleError?: string;
    scan: Scan | null;
}

/** Block timestamps of nodeos are UTC without a zone. */
export function chainTime(t: string): number {
    return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(t) ? t : t + "Z");
}

/** Puts the readings together; pure, so tests build any network they like. A host's error is null when it was not checked. */
export function assess(outputs: StackOutputs, hostErrors: Record<string, string | null | undefined>, readings: Record<string, NodeReading>,
                       chain: { schedule?: string[]; scheduleError?: string; scan?: Scan }): NetworkStatus {
    const roles = Object.keys(outputs.nodes).sort(nodeOrder);
    // A node's host missing from `hosts` still gets a row, so the table names it.
    const hostNames = [...new Set([...Object.keys(outputs.hosts), ...roles.map((r) => outputs.nodes[r].host)])].sort();
    const hosts: HostStatus[] = hostNames.map((name) => {
        const h = outputs.hosts[name];
        const error = h ? hostErrors[name] : "not among the stack's hosts";
        return { name, address: h?.address ?? "?", docker: h?.docker ?? "?", ...(h?.kubernetes !== undefined ? { kubernetes: h.kubernetes } : {}),
            reachable: error === null ? null : error === undefined, ...(typeof error === "string" ? { error } : {}),
            nodes: roles.filter((r) => outputs.nodes[r].host === name) };
    });
    const schedule = chain.schedule ?? null;
    const scan = chain.scan ?? null;
    const signedOf = (producer: string): ProducerSigned => {
        const b = scan?.lastSigned[producer];
        return {
            producer, scheduled: schedule?.includes(producer) ?? false, block: b?.block ?? null,
            secondsAgo: b && scan ? Math.max(0, (chainTime(scan.headTime) - chainTime(b.timestamp)) / 1000) : null,
        };
    };
    const nodes: NodeStatus[] = roles.map((role) => {
        const n = outputs.nodes[role];
        const r = readings[role] ?? { error: "not read", peers: null };
        const base = { role, host: n.host, httpEndpoint: n.httpEndpoint, producers: n.producers, signed: n.producers.map(signedOf) };
        if (!r.info) {
            return { ...base, up: false, down: { why: "no answer" as const, detail: r.error ?? "no answer" }, headBlock: null, lib: null, peers: null };
        }
        if (r.info.chainId !== outputs.chainId) {
            return { ...base, up: false, down: { why: "other chain" as const, detail: `serves chain ${short(r.info.chainId)}, not the stack's ${short(outputs.chainId)}` },
                headBlock: r.info.headBlock, lib: r.info.lib, peers: r.peers };
        }
        return { ...base, up: true, headBlock: r.info.headBlock, lib: r.info.lib, peers: r.peers };
    });
    return { chainId: outputs.chainId, hosts, nodes, schedule, ...(chain.scheduleError ? { scheduleError: chain.scheduleError } : {}), scan };
}

function short(chainId: string): string {
    return chainId.length > 12 ? chainId.slice(0, 12) + "…" : chainId;
}

export interface Verdict { code: 0 | 1 | 2; reasons: string[] }

/** The exit code and, for a non-zero one, why, in plain words. */
export function verdict(s: NetworkStatus): Verdict {
    if (!s.nodes.some((n) => n.up)) {
        const answering = s.nodes.filter((n) => n.down?.why === "other chain");
        return { code: 2, reasons: [answering.length > 0
            ? `no node serves the stack's chain ${short(s.chainId)} (${answering.map((n) => `${n.role} ${n.down!.detail}`).join("; ")}): run \`npm run up\` first`
            : `no node answers (${s.nodes.map((n) => `${n.role}: ${n.down?.detail}`).join("; ")}): run \`npm run up\` first`] };
    }
    const reasons: string[] = [];
    for (const h of s.hosts.filter((x) => x.reachable === false)) {
        reasons.push(`host ${h.name} (${h.address}) does not answer: ${h.nodes.length > 0 ? `nodes ${h.nodes.join(", ")}` : "no nodes"}`);
    }
    const unreachable = new Set(s.hosts.filter((h) => h.reachable === false).map((h) => h.name));
    for (const n of s.nodes.filter((x) => !x.up)) {
        // A node on a host that does not answer is already named with its host.
        if (n.down!.why === "no answer" && unreachable.has(n.host)) continue;
        reasons.push(n.down!.why === "other chain" ? `node ${n.role} ${n.down!.detail}` : `node ${n.role} does not answer: ${n.down!.detail}`);
    }
    if (!s.schedule) {
        reasons.push(`the active schedule could not be read${s.scheduleError ? `: ${s.scheduleError}` : ""}`);
    } else if (s.scan) {
        const where = s.scan.error
            ? `before the scan stopped (${s.scan.error}; ${s.scan.scanned} of ${s.scan.limit} blocks read)`
            : s.scan.limit === SCAN_ROUNDS * BLOCKS_PER_PRODUCER * s.schedule.length
                ? `in the last ${SCAN_ROUNDS} rounds (${s.scan.limit} blocks)`
                : `in the ${s.scan.limit} blocks since genesis`;
        for (const p of s.schedule.filter((x) => !s.scan!.lastSigned[x])) reasons.push(`producer ${p} signed no block ${where}`);
    }
    return { code: reasons.length > 0 ? 1 : 0, reasons };
}

// ---- tables ------------------------------------------------------------------------------------

type Paint = (text: string, tone: "good" | "bad" | "dim") => string;
const plain: Paint = (t) => t;
const ansi: Paint = (t, tone) => `\x1b[${tone === "good" ? 32 : tone === "bad" ? 31 : 2}m${t}\x1b[0m`;

/** Aligned columns; each cell may carry a tone, painted after padding so colour codes do not count. */
export function table(header: string[], rows: [string, ("good" | "bad" | "dim")?][][], paint: Paint = plain): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i][0].length)));
    const line = (cells: [string, ("good" | "bad" | "dim")?][]) => cells
        .map(([text, tone], i) => {
            const padded = i === cells.length - 1 ? text : text.padEnd(widths[i]);
            return tone ? paint(padded, tone) : padded;
        })
        .join("  ").trimEnd();
    return [line(header.map((h) => [h])), ...rows.map(line)].join("\n");
}

export function ago(seconds: number): string {
    if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s ago`;
    const m = Math.floor(seconds / 60);
    return m < 60 ? `${m}m${Math.round(seconds % 60)}s ago` : `${Math.floor(m / 60)}h${m % 60}m ago`;
}

function signedText(s: ProducerSigned, scan: Scan | null): [string, ("good" | "bad" | "dim")?] {
    if (s.block !== null) return [`${s.producer} #${s.block} ${s.secondsAgo !== null ? ago(s.secondsAgo) : ""}`.trimEnd()];
    if (!scan) return [`${s.producer} ?`, "dim"];
    if (!s.scheduled) return [`${s.producer} not scheduled`, "dim"];
    return [`${s.producer} none in ${scan.scanned} blocks`, "bad"];
}

/** The two tables, a line about the chain, and the reasons for a non-zero code. */
export function render(s: NetworkStatus, v: Verdict, color = false): string {
    const paint = color ? ansi : plain;
    const hosts = table(["HOST", "ADDRESS", "ENGINE", "STATE"], s.hosts.map((h) => [
        [h.name], [h.address], [h.kubernetes !== undefined ? `kubernetes namespace ${h.kubernetes}` : h.docker === "" ? "(local)" : h.docker],
        h.reachable === null ? ["not checked (no node here)", "dim"] : h.reachable ? ["reachable", "good"] : [`unreachable (${h.error})`, "bad"],
    ]), paint);
    const nodes = table(["NODE", "HOST", "STATE", "HEAD", "LIB", "PEERS", "LAST SIGNED"], s.nodes.map((n) => [
        [n.role], [n.host],
        n.up ? ["up", "good"] : [`down (${n.down!.why})`, "bad"],
        [n.up && n.headBlock !== null ? String(n.headBlock) : "-"],
        [n.up && n.lib !== null ? String(n.lib) : "-"],
        [n.up && n.peers !== null ? String(n.peers) : "-"],
        n.signed.length === 0 ? ["-"] : n.signed.map((x) => signedText(x, s.scan)).reduce((a, b) => [`${a[0]}, ${b[0]}`, a[1] ?? b[1]]),
    ]), paint);
    const chain = [`chain ${s.chainId}`];
    if (s.schedule) chain.push(`schedule ${s.schedule.join(" ")}`);
    if (s.scan) chain.push(`scanned ${s.scan.scanned} blocks back from #${s.scan.head} (${s.scan.source})`);
    const out = [chain.join("  |  "), "", hosts, "", nodes];
    if (v.code !== 0) out.push("", ...v.reasons.map((r) => paint(r, "bad")));
    return out.join("\n") + "\n";
}

// ---- I/O ---------------------------------------------------------------------------------------

/** Reads the whole network: hosts and nodes at once, then the schedule and the scan from the first node up. */
export async function collect(outputs: StackOutputs, opts: { env?: NodeJS.ProcessEnv; hostTimeoutMs?: number; httpTimeoutMs?: number } = {}): Promise<NetworkStatus> {
    const hostNames = Object.keys(outputs.hosts);
    const roles = Object.keys(outputs.nodes).sort(nodeOrder);
    const [hostResults, nodeResults] = await Promise.all([
        Promise.all(hostNames.map(async (name) => {
            try {
                const target = hostTarget(outputs, name, opts.env ?? process.env);
                return target ? await knock(target, opts.hostTimeoutMs) : null;
            } catch (e) {
                return (e as Error).message;
            }
        })),
        Promise.all(roles.map((r) => readNode(outputs.nodes[r].httpEndpoint, opts.httpTimeoutMs))),
    ]);
    const hostErrors = Object.fromEntries(hostNames.map((n, i) => [n, hostResults[i]]));
    const readings = Object.fromEntries(roles.map((r, i) => [r, nodeResults[i]]));
    const source = roles.find((r) => readings[r].info?.chainId === outputs.chainId);
    const chain: { schedule?: string[]; scheduleError?: string; scan?: Scan } = {};
    if (source) {
        const endpoint = outputs.nodes[source].httpEndpoint;
        const info = readings[source].info!;
        try {
            chain.schedule = await readSchedule(endpoint, opts.httpTimeoutMs);
            chain.scan = await scanSigners(source, endpoint, info.headBlock, info.headTime, chain.schedule, { timeoutMs: opts.httpTimeoutMs });
        } catch (e) {
            chain.scheduleError = `${source}: ${(e as Error).message}`;
        }
    }
    return assess(outputs, hostErrors, readings, chain);
}

async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

export async function main(argv: string[]): Promise<number> {
    const unknown = argv.filter((a) => a !== "--json");
    if (unknown.length > 0) {
        process.stderr.write(`status: unknown option ${unknown.join(" ")} (usage: npm run status [-- --stack NAME] [-- --json])\n`);
        return 2;
    }
    const json = argv.includes("--json");
    const outputs = parseOutputs(await readStdin());
    if ("missing" in outputs) {
        const message = `${outputs.missing}: run \`npm run up\` first`;
        if (json) process.stdout.write(JSON.stringify({ code: 2, reasons: [message] }, null, 2) + "\n");
        else process.stderr.write(message + "\n");
        return 2;
    }
    const status = await collect(outputs);
    const v = verdict(status);
    if (json) process.stdout.write(JSON.stringify({ ...status, ...v }, null, 2) + "\n");
    else process.stdout.write(render(status, v, process.stdout.isTTY === true && !process.env.NO_COLOR));
    return v.code;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
        process.stderr.write(`status: ${(e as Error).stack ?? e}\n`);
        process.exitCode = 2;
    });
}
