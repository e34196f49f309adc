// npm run bench [-- options]: how fast the stack is, as ratios measured in the same run against a
// floor (the chain and the docker engine doing the same work without Pulumi) or a reference (an
// empty program), with absolute times beside them. See bench/README.md.
import * as fs from "fs";
import * as path from "path";
import { execFileSync, spawn, spawnSync } from "child_process";
import { accountActions, floorBoot, FloorResult, generateKey, KeyPairText, LABEL_BENCH, objectsLabelled, Pusher, removeDirectly, runId, voteAction } from "./floor";
import { ChainWatch, rpcFor, swapTiming } from "./lib/chainwatch";
import { programPlan, RawConfig, trackedConfig, withFreePorts } from "./lib/configs";
import { withHeavyLock } from "./lib/lock";
import { baselineWorktree, emptyProgram, TempProject } from "./lib/projects";
import { bytes, growthExponent, median, ratio, secs, secsRange, table, yesNo } from "./lib/report";
import { BenchStack, newBenchStack, OpResult } from "./lib/stacks";
import { analyzeCheckpoint, ciphertextByKind, StateStats } from "./lib/state";
import { Breakdown, breakdown, engineBreakdown, ENGINE_LABELS, PHASE_ROWS, startupSplit } from "./lib/timeline";
import { fundedAccounts, splitInputs } from "../planning/plan";
import { LABEL_STACK } from "../rules/labels";

const ROOT = path.resolve(__dirname, "..");
const FIGURES = ["readme", "cold", "preview", "swap", "accounts", "state", "destroy"] as const;
type Figure = (typeof FIGURES)[number];
type Size = "dev" | "staging" | "reference";
const SIZES: readonly Size[] = ["dev", "staging", "reference"];

interface Options {
    only: Set<Figure>;
    runs: number;
    stagingRuns: number;
    sizes: Size[];
    accounts: number[];
    accountsTimeout: number;
    baseline?: string;
    json?: string;
}

const USAGE = `usage: npm run bench -- [options]
  --only readme,cold,preview,swap,accounts,state,destroy   figures to measure (default: all seven)
                      readme: \`npm run up\` of a fresh dev stack (setup, refresh, preview, policy pack, update),
                      then \`npm run destroy\`, on a temporary backend, against the floor of the same network
  --runs N            repeats of the cheap figures: dev boots, previews, swaps (default 3)
  --staging-runs N    staging- and reference-sized boots (default 1)
  --sizes dev,staging,reference   networks for figures 1, 2, 5, 6 (default all three; reference is
                      Pulumi.reference.yaml: 31 producer nodes, 3000 generated accounts, ~30 min)
  --accounts 100,1000,3000   account counts of figure 4
  --accounts-timeout S       stop one accounts 'up' after S seconds and rate what it did (default 300)
  --baseline REV      also measure commit REV (e.g. 74d6fbf) in a temporary git worktree: cold up,
                      no-op preview and state of dev and staging, before/after table (issue 9)
  --json FILE         write every measurement as JSON`;

function parseArgs(argv: string[]): Options {
    const o: Options = { only: new Set(FIGURES), runs: 3, stagingRuns: 1, sizes: [...SIZES], accounts: [100, 1000, 3000], accountsTimeout: 300 };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        const value = () => inline ?? argv[++i] ?? (() => { throw new Error(`${flag} needs a value\n${USAGE}`); })();
        switch (flag) {
            case "--only": {
                const names = value().split(",").map((s) => s.trim()).filter(Boolean);
                const bad = names.filter((n) => !(FIGURES as readonly string[]).includes(n));
                if (bad.length > 0) {
                    throw new Error(`unknown figure(s) ${bad.join(", ")}\n${USAGE}`);
                }
                o.only = new Set(names as Figure[]);
                break;
            }
            case "--runs": o.runs = Math.max(1, Number(value())); break;
            case "--staging-runs": o.stagingRuns = Math.max(1, Number(value())); break;
            case "--sizes": {
                const names = value().split(",").map((x) => x.trim()).filter(Boolean);
                const bad = names.filter((n) => !(SIZES as readonly string[]).includes(n));
                if (bad.length > 0) {
                    throw new Error(`unknown size(s) ${bad.join(", ")}\n${USAGE}`);
                }
                o.sizes = names as Size[];
                break;
            }
            case "--accounts": o.accounts = value().split(",").map(Number).filter((n) => n > 0); break;
            case "--accounts-timeout": o.accountsTimeout = Number(value()); break;
            case "--baseline": o.baseline = value(); break;
            case "--json": o.json = path.resolve(value()); break;
            case "--help": case "-h": process.stdout.write(`${USAGE}\n`); process.exit(0); break;
            default: throw new Error(`unknown option ${a}\n${USAGE}`);
        }
    }
    if ([o.runs, o.stagingRuns, o.accountsTimeout].some((n) => !Number.isFinite(n))) {
        throw new Error(`numbers expected\n${USAGE}`);
    }
    return o;
}

const started = Date.now();
function log(line: string): void {
    const s = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`[bench ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every stack and floor network is registered until it is gone, so a failure or ^C
// still removes what this run made (its own names and labels only).

const cleanups = new Map<string, () => Promise<void>>();
function registerCleanup(name: string, fn: () => Promise<void>): () => Promise<void> {
    let done = false;
    const run = async () => {
        if (done) {
            return;
        }
        done = true;
        cleanups.delete(name);
        try {
            await fn();
        } catch (e) {
            log(`cleanup of ${name} failed: ${(e as Error).message}`);
        }
    };
    cleanups.set(name, run);
    return run;
}

/** Removes whatever docker objects still carry `label` (after a destroy that did not, or an interrupted run). */
async function removeLabelled(label: string): Promise<void> {
    const left = await objectsLabelled(label);
    if (left.containers.length + left.volumes.length > 0 || left.network) {
        await removeDirectly(left);
    }
}

async function removeStackObjects(s: BenchStack): Promise<void> {
    await removeLabelled(`${LABEL_STACK}=${s.stackLabel}`);
}

/** A stack that removes its docker objects (directly, if `destroy` did not) and itself when dropped. */
async function openStack(workDir: string, cfg: RawConfig, what: string): Promise<{ s: BenchStack; drop: () => Promise<void> }> {
    const s = await newBenchStack(workDir, cfg);
    log(`${what}: stack ${s.name}`);
    const drop = registerCleanup(`stack ${s.name}`, async () => {
        await removeStackObjects(s);
        await s.cleanup();
    });
    return { s, drop };
}

async function runFloor(cfg: RawConfig, what: string): Promise<{ r: FloorResult; removal: number }> {
    const id = runId();
    const drop = registerCleanup(`floor ${id}`, () => removeLabelled(`${LABEL_BENCH}=${id}`));
    try {
        log(`${what}: floor eosfloor-${id}`);
        const r = await floorBoot({ plan: programPlan(cfg), runId: id, log: (l) => log(`${what}: ${l}`) });
        const removal = await removeDirectly(r.objects);
        log(`${what}: floor ${secs(r.seconds)}, direct removal ${secs(removal)}`);
        return { r, removal };
    } finally {
        await drop();
    }
}

// ---------------------------------------------------------------------------------------------
// Measurements.

interface ColdSample {
    seconds: number;
    breakdown: Breakdown;
    startup: { engine: number; program: number; plugins: number };
    resources: number;
    endCondition: string;
}

interface CycleResult {
    cold: ColdSample[];
    floor: { seconds: number; breakdown: Breakdown; transactions: number; resent: number; marks: Record<string, number> }[];
    preview: number[];
    previewRefresh: number[];
    state: StateStats[];
    destroy: number[];
    direct: number[];
}

function emptyCycle(): CycleResult {
    return { cold: [], floor: [], preview: [], previewRefresh: [], state: [], destroy: [], direct: [] };
}

function coldSample(r: OpResult): ColdSample {
    const b = engineBreakdown(r.events, r.seconds);
    const resources = r.events.filter((e) => e.event.resOutputsEvent).length;
    return { seconds: r.seconds, breakdown: b, startup: startupSplit(r.events, b.firstWorkStart), resources, endCondition: "" };
}

/** The boot's end condition read back: planned schedule active and LIB at or past its first block. */
async function endCondition(endpoint: string): Promise<string> {
    const rpc = rpcFor(endpoint);
    const s = await rpc.get_producer_schedule() as { active: { version: number; producers: { producer_name: string }[] } };
    const info = await rpc.get_info();
    const b = await rpc.get_block(info.last_irreversible_block_num) as { schedule_version?: number };
    const ok = (b.schedule_version ?? 0) >= s.active.version;
    return `${ok ? "held" : "NOT held"}: schedule v${s.active.version} of ${s.active.producers.length}, LIB ${info.last_irreversible_block_num} has v${b.schedule_version ?? 0}`;
}

function stateOf(s: BenchStack): StateStats {
    return analyzeCheckpoint(fs.readFileSync(s.statePath(), "utf8"));
}

interface Reference {
    project?: TempProject;
    stack?: BenchStack;
    previews: number[];
}

/** One stack's life: cold up, state, previews, destroy; and a floor boot with direct removal. */
async function cycle(workDir: string, size: Size, cfgBase: RawConfig, o: Options, out: CycleResult, withFloor: boolean, previews: number, empty: Reference | undefined, label: string): Promise<void> {
    await withHeavyLock(`${label} cycle`, log, async () => {
        const floorFirst = withFloor && out.cold.length % 2 === 1;
        const floor = async () => {
            const { r, removal } = await runFloor(await withFreePorts(cfgBase), `${label} floor`);
            out.floor.push({ seconds: r.seconds, breakdown: breakdown(r.intervals, r.seconds, ENGINE_LABELS), transactions: r.transactions, resent: r.resent, marks: r.marks });
            out.direct.push(removal);
        };
        if (floorFirst) {
            await floor();
        }
        const cfg = await withFreePorts(cfgBase);
        const { s, drop } = await openStack(workDir, cfg, label);
        try {
            log(`${label}: pulumi up (cold)`);
            const up = await s.run("up");
            const c = coldSample(up);
            c.endCondition = await endCondition(`http://127.0.0.1:${cfg.bootNode.httpPort}`).catch((e) => `unknown (${(e as Error).message})`);
            out.cold.push(c);
            log(`${label}: up ${secs(up.seconds)}; end condition ${c.endCondition}`);
            out.state.push(stateOf(s));
            for (let i = 0; i < previews; i++) {
                const pv = await s.run("preview");
                out.preview.push(pv.seconds);
                if (empty?.stack) {
                    empty.previews.push((await empty.stack.run("preview")).seconds);
                }
                log(`${label}: no-op preview ${secs(pv.seconds)}${empty?.stack ? `, empty program ${secs(empty.previews[empty.previews.length - 1])}` : ""}`);
            }
            if (o.only.has("preview") && previews > 0) {
                // What `npm run preview` does (it refreshes first): context, not a target.
                out.previewRefresh.push((await s.run("preview", ["--refresh"])).seconds);
            }
            log(`${label}: pulumi destroy`);
            const d = await s.run("destroy");
            out.destroy.push(d.seconds);
            log(`${label}: destroy ${secs(d.seconds)}`);
        } finally {
            await drop();
        }
        if (withFloor && !floorFirst) {
            await floor();
        }
    });
}

interface ReadmeSample {
    up: number;
    destroy: number;
    floor: number;
    endCondition: string;
}

/**
 * What a user runs: `npm run up` of a fresh dev stack, wall time from the shell, setup included,
 * then `npm run destroy`; alternated with the floor boot of the same network. The dev stack's
 * names and ports are fixed, so a running dev stack of this checkout stops the figure.
 */
async function readmeFigure(o: Options): Promise<ReadmeSample[]> {
    const out: ReadmeSample[] = [];
    const stackLabel = "eos-network/dev";
    const running = await objectsLabelled(`${LABEL_STACK}=${stackLabel}`);
    if (running.containers.length + running.volumes.length > 0) {
        throw new Error(`readme: this checkout's dev stack has containers or volumes (${[...running.containers, ...running.volumes].join(", ")}): \`npm run destroy\` first`);
    }
    const dev = trackedConfig(ROOT, "dev");
    await withHeavyLock("npm run up", log, async () => {
        for (let i = 0; i < o.runs; i++) {
            const stateDir = fs.mkdtempSync(path.join(require("os").tmpdir(), "eosnet-bench-readme-"));
            const drop = registerCleanup(`readme ${i + 1}`, async () => {
                await removeLabelled(`${LABEL_STACK}=${stackLabel}`);
                fs.rmSync(stateDir, { recursive: true, force: true });
            });
            // The README's command with this checkout's passphrase, on a backend of its own.
            // Not spawnSync: an interrupted bench must still run its cleanups.
            const npm = (action: string) => new Promise<number>((resolve, reject) => {
                const t0 = Date.now();
                let output = "";
                const child = spawn("npm", ["run", action], { cwd: ROOT, env: { ...process.env, EOSNET_STATE_DIR: stateDir, PULUMI_BACKEND_URL: "" } });
                child.stdout.on("data", (d) => void (output += d));
                child.stderr.on("data", (d) => void (output += d));
                child.on("error", reject);
                child.on("close", (code) => code === 0 ? resolve((Date.now() - t0) / 1000)
                    : reject(new Error(`readme: npm run ${action} exited ${code}:\n${output.split("\n").slice(-15).join("\n")}`)));
            });
            try {
                const floorFirst = i % 2 === 1;
                let floor = 0;
                if (floorFirst) {
                    floor = (await runFloor(dev, `readme ${i + 1} floor`)).r.seconds;
                }
                log(`readme ${i + 1}: npm run up`);
                const up = await npm("up");
                const end = await endCondition(`http://127.0.0.1:${dev.bootNode.httpPort}`).catch((e) => `unknown (${(e as Error).message})`);
                log(`readme ${i + 1}: npm run up ${secs(up)}; end condition ${end}; npm run destroy`);
                const destroy = await npm("destroy");
                if (!floorFirst) {
                    floor = (await runFloor(dev, `readme ${i + 1} floor`)).r.seconds;
                }
                out.push({ up, destroy, floor, endCondition: end });
                log(`readme ${i + 1}: up ${secs(up)}, destroy ${secs(destroy)}, floor ${secs(floor)}: ${ratio(up / floor)}`);
            } finally {
                await drop();
            }
        }
    });
    return out;
}

interface SwapSample {
    stack: number;
    chain: number;
    electionWait: number;
    libWait: number;
    breakdown: Breakdown;
    startup: number;
    direction: string;
}

async function swapFigure(o: Options): Promise<SwapSample[]> {
    const samples: SwapSample[] = [];
    await withHeavyLock("producer swap", log, async () => {
        const dev = trackedConfig(ROOT, "dev");
        const standby = "producereeee";
        const cfg = await withFreePorts({ ...dev, producers: [...dev.producers, { name: standby, url: `https://${standby}.example` }] });
        const original: string[] = dev.accounts.find((a: { votes?: string[] }) => a.votes)?.votes ?? [];
        const swapped = [...original.slice(0, -1), standby].sort();
        const { s, drop } = await openStack(ROOT, cfg, "swap");
        try {
            log("swap: pulumi up (dev with a standby producer registered, not voted)");
            await s.run("up");
            const rpc = rpcFor(`http://127.0.0.1:${cfg.bootNode.httpPort}`);
            for (let i = 0; i < o.runs; i++) {
                const votes = i % 2 === 0 ? swapped : original;
                const direction = i % 2 === 0 ? `${original[original.length - 1]} -> ${standby}` : `${standby} -> ${original[original.length - 1]}`;
                await s.setConfig({ accounts: cfg.accounts.map((a: { votes?: string[] }) => (a.votes ? { ...a, votes } : a)) });
                const startHead = (await rpc.get_info()).head_block_num;
                const watch = new ChainWatch(rpc);
                watch.start();
                let up: OpResult;
                try {
                    up = await s.run("up");
                    await watch.sample();
                } finally {
                    watch.stop();
                }
                const t = await swapTiming(rpc, watch.samples, startHead, votes);
                const b = engineBreakdown(up.events, up.seconds);
                samples.push({
                    stack: up.seconds, chain: t.chainSeconds, electionWait: (t.activeAt - t.voteAt) / 1000, libWait: (t.irreversibleAt - t.activeAt) / 1000,
                    breakdown: b, startup: b.firstWorkStart, direction,
                });
                log(`swap ${i + 1} (${direction}): up ${secs(up.seconds)}, chain ${secs(t.chainSeconds)} (vote in block ${t.voteBlock}, schedule v${t.version} active after ${secs((t.activeAt - t.voteAt) / 1000)}, LIB past block ${t.firstBlock} after ${secs(t.chainSeconds)})`);
            }
        } finally {
            await drop();
        }
    });
    return samples;
}

interface AccountsSample {
    count: number;
    seconds: number;
    timedOut: boolean;
    done: number;
    breakdown: Breakdown;
    stateBefore: number;
    stateAfter: number;
    resourcesAfter: number;
    floorSeconds: number;
    /** Accounts per second in the first and last tenth of the run (from the engine's events). */
    rateFirstTenth: number;
    rateLastTenth: number;
    /** Accounts the state holds after the up (all of them unless it was stopped). */
    inState: number;
    /** Seconds from the first account operation to the k-th account created. */
    curve: { x: number; y: number }[];
}

/** The boot key (eosio's), read from the stack's state with its secrets shown. */
function bootKeyOf(s: BenchStack): string {
    const out = spawnSync("pulumi", ["stack", "export", "--show-secrets", "--stack", s.name], {
        cwd: s.workDir, env: { ...process.env, ...s.env }, encoding: "utf8", maxBuffer: 1 << 30,
    });
    if (out.status !== 0) {
        throw new Error(`pulumi stack export failed: ${out.stderr}`);
    }
    const doc = JSON.parse(out.stdout);
    const r = (doc.deployment?.resources ?? []).find((x: { urn: string }) => x.urn.endsWith("::eosnet-boot-key"));
    // --show-secrets shows a secret as { <sig>: <secret sig>, plaintext: <its JSON> }.
    const raw = r?.outputs?.privateKey;
    const k = typeof raw === "object" && raw && typeof raw.plaintext === "string" ? JSON.parse(raw.plaintext) : raw;
    if (typeof k !== "string") {
        throw new Error("no boot key in the stack's state");
    }
    return k;
}

/** How many accounts the stack's Distribution holds, if it has one. */
function distributionAccounts(s: BenchStack): number | undefined {
    const checkpoint = JSON.parse(fs.readFileSync(s.statePath(), "utf8")) as { checkpoint: { latest?: { resources?: { type: string; outputs?: { accounts?: object } }[] } } };
    const d = checkpoint.checkpoint.latest?.resources?.find((r) => r.type === "eosnet:chain:Distribution");
    return d ? Object.keys(d.outputs?.accounts ?? {}).length : undefined;
}

/** Completion times (seconds into the up) of the Account creates, in order. */
function accountEnds(up: OpResult): number[] {
    return up.events.filter((e) => e.event.resOutputsEvent?.metadata?.op === "create" && /:Account$/.test(e.event.resOutputsEvent.metadata.type)).map((e) => e.t);
}

function rates(up: OpResult, count: number): { first: number; last: number; done: number; curve: { x: number; y: number }[] } {
    const ends = accountEnds(up);
    const done = ends.length;
    const tenth = Math.max(1, Math.floor(count / 10));
    // Time to the k-th account, from the first account operation: growth within one run.
    const firstStart = up.events.find((e) => e.event.resourcePreEvent?.metadata?.op === "create" && /:Account$/.test(e.event.resourcePreEvent.metadata.type))?.t ?? 0;
    const curve = ends.map((t, i) => ({ x: i + 1, y: t - firstStart })).filter((p) => p.x % tenth === 0);
    if (done < 2 * tenth) {
        return { first: NaN, last: NaN, done, curve };
    }
    const first = tenth / Math.max(1e-3, ends[tenth - 1] - firstStart);
    const last = tenth / Math.max(1e-3, ends[done - 1] - ends[done - tenth - 1]);
    return { first, last, done, curve };
}

async function accountsFigure(o: Options): Promise<AccountsSample[]> {
    const out: AccountsSample[] = [];
    for (const count of o.accounts) {
        await withHeavyLock(`accounts ${count}`, log, async () => {
            const dev = trackedConfig(ROOT, "dev");
            const cfg = await withFreePorts({ ...dev, resign: false });
            const { s, drop } = await openStack(ROOT, cfg, `accounts ${count}`);
            try {
                log(`accounts ${count}: pulumi up (dev network, resign: false)`);
                await s.run("up");
                const stateBeforeStats = stateOf(s);
                const stateBefore = stateBeforeStats.fileBytes;
                const distribution = (prefix: string) => ({ count, total: `${count * 100}.0000 SYS`, minimum: "10.0000 SYS", seed: 12, namePrefix: prefix, votesPerAccount: 21 });
                await s.setConfig({ distribution: distribution("bench") });
                log(`accounts ${count}: pulumi up adding ${count} staked accounts (distribution.count = ${count})`);
                const up = await s.run("up", [], undefined, { timeoutMs: o.accountsTimeout * 1000 });
                const b = engineBreakdown(up.events, up.seconds);
                // A stopped up has written what it did: the state holds the accounts made so far.
                const st = stateOf(s);
                const stateAfter = st.fileBytes;
                const resourcesAfter = st.resources;
                // Generated accounts are one Distribution: those it holds (no per-account events to time).
                const generated = distributionAccounts(s);
                const r = generated === undefined ? rates(up, count) : { first: NaN, last: NaN, done: generated, curve: [] };
                const inState = generated ?? (st.byKind.Account ? st.byKind.Account.count - (stateBeforeStats.byKind.Account?.count ?? 0) : 0);
                log(`accounts ${count}: up ${secs(up.seconds)}${up.timedOut ? ` (stopped after ${o.accountsTimeout} s with ${r.done} accounts)` : ""}, ${(r.done / up.seconds).toFixed(1)} accounts/s; state ${bytes(stateBefore)} -> ${bytes(stateAfter)}`);

                // The floor: as many other accounts (same generator, another prefix) pushed directly.
                const fplan = programPlan({ ...cfg, distribution: distribution("floor") });
                const staked = fplan.accounts.filter((a) => a.name.startsWith("floor"));
                const funded = fundedAccounts(fplan).filter((f) => f.name.startsWith("floor")).map((f) => ({ name: f.name, ...splitInputs(fplan, f) }));
                const endpoint = `http://127.0.0.1:${cfg.bootNode.httpPort}`;
                const info = await rpcFor(endpoint).get_info();
                const keys = new Map<string, KeyPairText>();
                const { publicKeyOf } = await import("../keys/keys");
                const eosioKey = bootKeyOf(s);
                keys.set("eosio", { privateKey: eosioKey, publicKey: publicKeyOf(eosioKey) });
                const t0 = Date.now(); // keys included, as the stack's KeyPairs are
                for (const f of funded) {
                    keys.set(f.name, await generateKey());
                }
                const chain = new Pusher(endpoint, info.chain_id, keys);
                chain.setAbi("eosio", fs.readFileSync(path.join(ROOT, ".eosnet/contracts/eosio.system/eosio.system.abi"), "utf8"));
                chain.setAbi("eosio.token", fs.readFileSync(path.join(ROOT, ".eosnet/contracts/eosio.token/eosio.token.abi"), "utf8"));
                await chain.refreshTapos();
                // The boot node no longer produces: its speculative state is a block's, so the
                // votes wait for the accounts to be in a block (as the stack's Votes wait for theirs).
                const created = await chain.pushPacked(funded.map((f) => accountActions(f, keys.get(f.name)!.publicKey)), 100);
                if (created) {
                    await chain.waitInBlock(created.id, created.blockNum);
                }
                chain.retryMissing = true;
                const last = await chain.pushPacked(staked.filter((a) => a.votes.length > 0).map((a) => [voteAction(a.name, a.votes, "")]), 50);
                if (last) {
                    await chain.waitInBlock(last.id, last.blockNum);
                }
                const floorSeconds = (Date.now() - t0) / 1000;
                log(`accounts ${count}: floor ${secs(floorSeconds)} (${(count / floorSeconds).toFixed(0)} accounts/s, ${chain.pushed} transactions, ${chain.resent} resent)`);
                out.push({ count, seconds: up.seconds, timedOut: !!up.timedOut, done: r.done, inState, curve: r.curve, breakdown: b, stateBefore, stateAfter, resourcesAfter, floorSeconds, rateFirstTenth: r.first, rateLastTenth: r.last });
            } finally {
                await drop();
            }
        });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The report.

// Issue 20: generated accounts at >= 0.8x the floor's rate; the reference-sized stack's state in all.
const TARGETS = { cold: 1.3, preview: 3, swap: 1.2, accountsRate: 0.8, stateBytes: 4096, referenceStateBytes: 2_000_000, destroy: 3 };

interface Results {
    options: Omit<Options, "only"> & { only: Figure[] };
    machine: { cpus: number; load: number[]; pulumi: string };
    cycles: Partial<Record<Size, CycleResult>>;
    empty: number[];
    swap: SwapSample[];
    accounts: AccountsSample[];
    readme: ReadmeSample[];
    baseline?: { rev: string; cycles: Partial<Record<Size, CycleResult>> };
}

function phaseMedians(bs: Breakdown[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of new Set(bs.flatMap((b) => Object.keys(b.phases)))) {
        out[row] = median(bs.map((b) => b.phases[row] ?? 0));
    }
    return out;
}

function report(r: Results, o: Options): string {
    const lines: string[] = [];
    const rows: string[][] = [];
    const notes: string[] = [];
    const n = (xs: unknown[]) => `n=${xs.length}`;
    if (o.only.has("readme") && r.readme.length > 0) {
        const up = median(r.readme.map((x) => x.up));
        const fl = median(r.readme.map((x) => x.floor));
        rows.push(["0 npm run up, dev", secsRange(r.readme.map((x) => x.up)), `${secsRange(r.readme.map((x) => x.floor))} floor`, ratio(up / fl), `<= ${TARGETS.cold}x`, yesNo(up / fl <= TARGETS.cold), n(r.readme)]);
        notes.push(`npm run destroy of dev: ${secsRange(r.readme.map((x) => x.destroy))}; end conditions: ${r.readme.map((x) => x.endCondition).join("; ")}`);
    }
    for (const size of o.sizes) {
        const c = r.cycles[size];
        if (!c) {
            continue;
        }
        if (o.only.has("cold") && c.cold.length > 0 && c.floor.length > 0) {
            const st = median(c.cold.map((x) => x.seconds));
            const fl = median(c.floor.map((x) => x.seconds));
            rows.push([`1 cold boot, ${size}`, secsRange(c.cold.map((x) => x.seconds)), `${secsRange(c.floor.map((x) => x.seconds))} floor`, ratio(st / fl), `<= ${TARGETS.cold}x`, yesNo(st / fl <= TARGETS.cold), n(c.cold)]);
        }
        if (o.only.has("preview") && c.preview.length > 0 && r.empty.length > 0) {
            const pv = median(c.preview);
            const em = median(r.empty);
            rows.push([`2 no-op preview, ${size}`, secsRange(c.preview), `${secsRange(r.empty)} empty program`, ratio(pv / em), `<= ${TARGETS.preview}x`, yesNo(pv / em <= TARGETS.preview), n(c.preview)]);
            if (c.previewRefresh.length > 0) {
                notes.push(`preview --refresh (what npm run preview runs, without its policy pack), ${size}: ${secsRange(c.previewRefresh)} = ${ratio(median(c.previewRefresh) / em)} the empty program's plain preview (context, no target)`);
            }
        }
    }
    if (o.only.has("swap") && r.swap.length > 0) {
        const st = median(r.swap.map((x) => x.stack));
        const ch = median(r.swap.map((x) => x.chain));
        rows.push(["3 producer swap, dev", secsRange(r.swap.map((x) => x.stack)), `${secsRange(r.swap.map((x) => x.chain))} chain`, ratio(st / ch), `<= ${TARGETS.swap}x`, yesNo(st / ch <= TARGETS.swap), n(r.swap)]);
    }
    if (o.only.has("accounts") && r.accounts.length > 0) {
        for (const a of r.accounts) {
            // The stack's accounts per second over the floor's (a stopped run is rated by what it did).
            const rate = a.done / a.seconds;
            const floorRate = a.count / a.floorSeconds;
            rows.push([`4 accounts, +${a.count}`, `${secs(a.seconds)} (${rate.toFixed(0)}/s)${a.timedOut ? ` (stopped, ${a.done} done)` : ""}`, `${secs(a.floorSeconds)} floor (${floorRate.toFixed(0)}/s)`,
                ratio(rate / floorRate), `>= ${TARGETS.accountsRate}x rate`, yesNo(rate / floorRate >= TARGETS.accountsRate), "n=1"]);
        }
        const finished = r.accounts.filter((a) => !a.timedOut);
        const expTime = growthExponent(finished.map((a) => ({ x: a.count, y: a.seconds })));
        const biggest = [...r.accounts].sort((a, b) => b.done - a.done)[0];
        const expWithin = growthExponent(biggest.curve);
        const expState = growthExponent(r.accounts.filter((a) => a.inState > 0).map((a) => ({ x: a.inState, y: a.stateAfter - a.stateBefore })));
        const exps = [expTime, expWithin, expState].filter((x) => Number.isFinite(x));
        rows.push(["4 accounts, growth", `time ~ n^${Number.isFinite(expTime) ? expTime.toFixed(2) : "?"} (runs), n^${Number.isFinite(expWithin) ? expWithin.toFixed(2) : "?"} (within +${biggest.count})`,
            `state ~ n^${Number.isFinite(expState) ? expState.toFixed(2) : "?"}`, "", "linear (n^1)", exps.length > 0 ? yesNo(exps.every((x) => x <= 1.15)) : "-", `${r.accounts.length} counts`]);
    }
    for (const size of o.sizes) {
        const c = r.cycles[size];
        if (o.only.has("state") && c && c.state.length > 0) {
            const s = c.state[c.state.length - 1];
            if (size === "reference") {
                rows.push([`5 state, ${size}`, bytes(s.fileBytes), `${s.resources} resources, ${bytes(s.bytesPerResource)} each`, "", `<= ${TARGETS.referenceStateBytes.toLocaleString("en")} B in all`, yesNo(s.fileBytes <= TARGETS.referenceStateBytes), n(c.state)]);
            } else {
                rows.push([`5 state, ${size}`, `${bytes(s.bytesPerResource)}/resource`, `${s.resources} resources, ${bytes(s.fileBytes)}`, "", `<= ${bytes(TARGETS.stateBytes)}`, yesNo(s.bytesPerResource <= TARGETS.stateBytes), n(c.state)]);
            }
        }
    }
    for (const size of o.sizes) {
        const c = r.cycles[size];
        if (o.only.has("destroy") && c && c.destroy.length > 0 && c.direct.length > 0) {
            const d = median(c.destroy);
            const x = median(c.direct);
            rows.push([`6 destroy, ${size}`, secsRange(c.destroy), `${secsRange(c.direct)} direct`, ratio(d / x), `<= ${TARGETS.destroy}x`, yesNo(d / x <= TARGETS.destroy), n(c.destroy)]);
        }
    }
    lines.push(`eos-network bench — ${new Date().toISOString().slice(0, 16)}Z, ${r.machine.cpus} CPUs, load ${r.machine.load.map((l) => l.toFixed(1)).join(" ")}, pulumi ${r.machine.pulumi}`);
    lines.push("medians of n runs (range in brackets); ratio = stack / reference, measured in the same run");
    lines.push("");
    lines.push(table(["figure", "stack", "reference", "ratio", "target", "met", "runs"], rows));
    if (notes.length > 0) {
        lines.push(...notes.map((x) => `  ${x}`));
    }

    // Where the time goes: cold boot.
    for (const size of o.sizes) {
        const c = r.cycles[size];
        if (!c || !o.only.has("cold") || c.cold.length === 0) {
            continue;
        }
        const sm = phaseMedians(c.cold.map((x) => x.breakdown));
        const fm = phaseMedians(c.floor.map((x) => x.breakdown));
        const prow = PHASE_ROWS.map((p) => [`  ${p}`, secs(sm[p] ?? 0), c.floor.length > 0 ? secs(fm[p] ?? 0) : "-"]);
        const su = {
            engine: median(c.cold.map((x) => x.startup.engine)),
            program: median(c.cold.map((x) => x.startup.program)),
            plugins: median(c.cold.map((x) => x.startup.plugins)),
        };
        prow.splice(1, 0,
            ["    CLI and engine start", secs(su.engine), ""],
            ["    program (ts-node compile and run)", secs(su.program), ""],
            ["    provider plugins start", secs(su.plugins), ""]);
        prow.push(["  total", secs(median(c.cold.map((x) => x.seconds))), c.floor.length > 0 ? secs(median(c.floor.map((x) => x.seconds))) : "-"]);
        lines.push("");
        lines.push(`cold boot, ${size}: where the time goes (median seconds per phase; each instant counted once, for the most telling work running)`);
        lines.push(table(["phase", "stack", "floor"], prow));
        const last = c.cold[c.cold.length - 1];
        const kinds = Object.entries(last.breakdown.byKind).sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 8)
            .map(([k, v]) => `${k} ${v.count} x ${secs(v.seconds / v.count)}`);
        lines.push(`  steps of the last run (count x mean duration): ${kinds.join("; ")}`);
        lines.push(`  engine concurrency: at most ${last.breakdown.maxConcurrency} steps at once (--parallel default is 4 x CPUs = ${4 * r.machine.cpus}), ${secs(last.breakdown.secondsAtMax)} at that level; ${last.resources} resources`);
        lines.push(`  end condition after up: ${last.endCondition}`);
        if (c.floor.length > 0) {
            const f = c.floor[c.floor.length - 1];
            const m = f.marks;
            lines.push(`  floor marks (last run): boot node ${secs(m.bootReady)}, features ${secs(m.featuresActive)}, system ${secs(m.systemSet)}, accounts ${secs(m.accounts)}, votes ${secs(m.votesPushed)}, producer nodes ${secs(m.producersReady)}, schedule active ${secs(m.scheduleActive)}, LIB past it ${secs(m.irreversible)}; ${f.transactions} transactions, ${f.resent} resent for CPU time`);
        }
    }
    if (o.only.has("swap") && r.swap.length > 0) {
        lines.push("");
        lines.push("producer swap: where the time goes (median)");
        const sm = phaseMedians(r.swap.map((x) => x.breakdown));
        lines.push(table(["phase", "stack", "chain"], [
            ...PHASE_ROWS.filter((p) => (sm[p] ?? 0) > 0).map((p) => [`  ${p}`, secs(sm[p]), ""]),
            ["  vote in a block -> new schedule active (election, at most once a minute)", "", secs(median(r.swap.map((x) => x.electionWait)))],
            ["  schedule active -> LIB past its first block", "", secs(median(r.swap.map((x) => x.libWait)))],
            ["  total", secs(median(r.swap.map((x) => x.stack))), secs(median(r.swap.map((x) => x.chain)))],
        ]));
        lines.push(`  runs: ${r.swap.map((x) => `${x.direction}: ${secs(x.stack)} / ${secs(x.chain)}`).join("; ")}`);
    }
    if (o.only.has("accounts") && r.accounts.length > 0) {
        lines.push("");
        lines.push("accounts: growth with the count");
        lines.push(table(["added", "up", "accounts/s", "first 10%", "last 10%", "ms/account", "floor/s", "state before", "state after", "bytes/account", "resources after"], r.accounts.map((a) => [
            String(a.count), `${secs(a.seconds)}${a.timedOut ? "*" : ""}`, (a.done / a.seconds).toFixed(1), Number.isFinite(a.rateFirstTenth) ? a.rateFirstTenth.toFixed(1) : "-",
            Number.isFinite(a.rateLastTenth) ? a.rateLastTenth.toFixed(1) : "-", ((a.seconds * 1000) / Math.max(1, a.done)).toFixed(0), (a.count / a.floorSeconds).toFixed(0),
            bytes(a.stateBefore), bytes(a.stateAfter), a.inState > 0 ? bytes((a.stateAfter - a.stateBefore) / a.inState) : "-", String(a.resourcesAfter),
        ])));
        if (r.accounts.some((a) => a.timedOut)) {
            lines.push(`  * stopped after --accounts-timeout (${o.accountsTimeout} s); rates and state count the accounts created until then`);
        }
        const big = [...r.accounts].sort((a, b) => b.done - a.done)[0];
        if (big.curve.length > 0) {
            lines.push(`  +${big.count}, seconds to the k-th account: ${big.curve.map((p) => `${p.x}: ${secs(p.y)}`).join(", ")}`);
        }
        const last = r.accounts[r.accounts.length - 1];
        const sm = last.breakdown.phases;
        lines.push(`  +${last.count}: ${Object.entries(sm).map(([k, v]) => `${k} ${secs(v)}`).join(", ")}; at most ${last.breakdown.maxConcurrency} steps at once`);
    }
    for (const size of o.sizes) {
        const c = r.cycles[size];
        if (!c || !o.only.has("state") || c.state.length === 0) {
            continue;
        }
        const s = c.state[c.state.length - 1];
        lines.push("");
        lines.push(`state, ${size}: ${bytes(s.fileBytes)} for ${s.resources} resources (${bytes(s.bytesPerResource)} each as stored; largest ${s.largest.kind} ${bytes(s.largest.bytes)} compact)`);
        const kinds = Object.entries(s.byKind).sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8).map(([k, v]) => `${k.replace(/^pulumi:providers:/, "provider:")} ${v.count} x ${bytes(v.bytes / v.count)}`);
        lines.push(`  by type (compact JSON): ${kinds.join("; ")}`);
        lines.push(`  resources holding a ciphertext: ${s.withCiphertext} (${ciphertextByKind(s)}); beyond providers and key pairs: ${s.withCiphertextBeyondKeys}`);
    }
    if (r.baseline) {
        lines.push("");
        lines.push(`before (${r.baseline.rev}, dynamic providers) and after (this checkout, eosnet provider plugin) — issue 9`);
        const brow: string[][] = [];
        for (const size of o.sizes) {
            const b = r.baseline.cycles[size];
            const a = r.cycles[size];
            if (!b) {
                continue;
            }
            const last = (c: CycleResult | undefined) => c?.state[c.state.length - 1];
            const bs = last(b);
            const as = last(a);
            brow.push([`${size}: state per resource`, bs ? bytes(bs.bytesPerResource) : "-", as ? bytes(as.bytesPerResource) : "-"]);
            brow.push([`${size}: state file`, bs ? `${bytes(bs.fileBytes)} / ${bs.resources} res.` : "-", as ? `${bytes(as.fileBytes)} / ${as.resources} res.` : "-"]);
            brow.push([`${size}: resources with a ciphertext`, bs ? String(bs.withCiphertext) : "-", as ? String(as.withCiphertext) : "-"]);
            brow.push([`${size}:   beyond providers and key pairs`, bs ? String(bs.withCiphertextBeyondKeys) : "-", as ? String(as.withCiphertextBeyondKeys) : "-"]);
            brow.push([`${size}:   by type`, bs ? ciphertextByKind(bs) : "-", as ? ciphertextByKind(as) : "-"]);
            brow.push([`${size}: cold up`, secsRange(b.cold.map((x) => x.seconds)), a ? secsRange(a.cold.map((x) => x.seconds)) : "-"]);
            brow.push([`${size}: no-op preview`, secsRange(b.preview), a ? secsRange(a.preview) : "-"]);
            brow.push([`${size}: destroy`, secsRange(b.destroy), a ? secsRange(a.destroy) : "-"]);
        }
        lines.push(table(["", `before ${r.baseline.rev}`, "after"], brow));
    }
    return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------

function preflight(): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    let version = "";
    try {
        version = execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
    } catch (e) {
        throw new Error(`the pulumi CLI is not on PATH (${(e as Error).message}); run \`npm run setup\``);
    }
    if (version !== `v${pkg.dependencies["@pulumi/pulumi"]}`) {
        throw new Error(`pulumi ${version} is not the pinned v${pkg.dependencies["@pulumi/pulumi"]}; run \`npm run setup\``);
    }
    const dev = trackedConfig(ROOT, "dev");
    if (spawnSync("docker", ["image", "inspect", dev.node.image], { stdio: "ignore" }).status !== 0) {
        throw new Error(`node image ${dev.node.image} is missing (or docker is not running); run \`npm run setup\``);
    }
    return version;
}

async function main(): Promise<void> {
    const o = parseArgs(process.argv.slice(2));
    if (o.baseline) {
        // The "after" of the before/after table comes from this checkout's cycles.
        for (const f of ["cold", "preview", "state"] as Figure[]) {
            o.only.add(f);
        }
    }
    const version = preflight();
    // Requests to a node that does not answer yet hold only unref'd timers: stay alive.
    const keepAlive = setInterval(() => undefined, 60_000);
    const results: Results = {
        options: { ...o, only: [...o.only] },
        machine: { cpus: require("os").cpus().length, load: require("os").loadavg(), pulumi: version },
        cycles: {},
        empty: [],
        swap: [],
        accounts: [],
        readme: [],
    };
    const stop = async (signal: string) => {
        log(`${signal}: removing what this run made`);
        for (const c of [...cleanups.values()]) {
            await c();
        }
        process.exit(130);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));

    const needCycle = ["cold", "preview", "state", "destroy"].some((f) => o.only.has(f as Figure));
    const empty: Reference = { previews: results.empty };
    try {
        if (o.only.has("preview") && needCycle) {
            empty.project = emptyProgram(ROOT);
            const e = await newBenchStack(empty.project.dir, {}, { namespace: "bench-empty" });
            empty.stack = e;
            registerCleanup(`stack ${e.name}`, () => e.cleanup());
            await e.run("up");
        }
        if (o.only.has("readme")) {
            log("== npm run up (the README path)");
            results.readme = await readmeFigure(o);
        }
        for (const size of o.sizes) {
            if (!needCycle) {
                break;
            }
            const cfg = trackedConfig(ROOT, size);
            const out = (results.cycles[size] = emptyCycle());
            const runs = size === "dev" ? o.runs : o.stagingRuns;
            const previews = o.only.has("preview") ? Math.max(1, Math.ceil(o.runs / runs)) : 0;
            for (let i = 0; i < runs; i++) {
                log(`== ${size} cycle ${i + 1}/${runs}`);
                await cycle(ROOT, size, cfg, o, out, o.only.has("cold") || o.only.has("destroy"), previews, empty, `${size} ${i + 1}`);
            }
        }
        if (o.only.has("swap")) {
            log("== producer swap");
            results.swap = await swapFigure(o);
        }
        if (o.only.has("accounts")) {
            log("== accounts");
            results.accounts = await accountsFigure(o);
        }
        if (o.baseline) {
            const wt = baselineWorktree(ROOT, o.baseline);
            registerCleanup(`worktree ${wt.label}`, async () => wt.cleanup());
            results.baseline = { rev: wt.label, cycles: {} };
            try {
                for (const size of o.sizes) {
                    log(`== baseline ${wt.label}: ${size}`);
                    const out = (results.baseline.cycles[size] = emptyCycle());
                    await cycle(wt.dir, size, trackedConfig(wt.dir, size), o, out, false, o.only.has("preview") ? 1 : 0, undefined, `${wt.label} ${size}`);
                }
            } finally {
                wt.cleanup();
            }
        }
    } finally {
        for (const c of [...cleanups.values()]) {
            await c();
        }
        empty.project?.cleanup();
        clearInterval(keepAlive);
    }
    if (o.json) {
        fs.writeFileSync(o.json, JSON.stringify(results, (k, v) => (k === "steps" ? undefined : v), 2));
        log(`measurements written to ${o.json}`);
    }
    process.stdout.write(`\n${report(results, o)}\n`);
}

main().catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
});

