// Automation API stacks for the bench: each on its own temporary file backend with a random
// passphrase and a unique name (bench-xxxxxx), config put in with setConfig (so no committed salt
// ever matters). Timed operations run the pulumi CLI directly with --event-log, so the wall time
// is the CLI's alone (the Automation API's up adds `stack output` and `stack history` calls) and
// every engine event is stamped on arrival (the file is polled every 50 ms).
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";

export interface TimedEvent {
    /** Seconds since the command was started. */
    t: number;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    event: any;
}

export interface OpResult {
    seconds: number;
    /** Stopped (SIGINT, then SIGKILL) after the run's time limit. */
    timedOut?: boolean;
    events: TimedEvent[];
    stdout: string;
    stderr: string;
}

export type Op = "up" | "preview" | "destroy" | "refresh";

export interface RunOptions {
    /** Stop the command (SIGINT, SIGKILL 60 s later) after this long and return what it did. */
    timeoutMs?: number;
}

export interface BenchStack {
    name: string;
    /** The project directory the stack runs (the current checkout or a baseline worktree). */
    workDir: string;
    backendDir: string;
    stackLabel: string;
    stack: Stack;
    env: Record<string, string>;
    setConfig(config: Record<string, unknown>): Promise<void>;
    run(op: Op, extraArgs?: string[], onLine?: (line: string) => void, opts?: RunOptions): Promise<OpResult>;
    /** The checkpoint file of the stack in the backend (its bytes are the state size). */
    statePath(): string;
    cleanup(): Promise<void>;
}

const OFFLINE = {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
};

export function randomName(prefix: string): string {
    return `${prefix}-${crypto.randomBytes(3).toString("hex")}`;
}

/** Pulumi config values as the program reads them: strings as they are, the rest as JSON. */
export function configMap(config: Record<string, unknown>, namespace = "eos-network"): Record<string, { value: string }> {
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [`${namespace}:${k}`, { value: typeof v === "string" ? v : JSON.stringify(v) }]));
}

/** The stack config directory of a project (Pulumi.yaml's stackConfigDir, else the project dir). */
function stackConfigDir(workDir: string): string {
    const yaml = fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8");
    const m = /^stackConfigDir:\s*(\S+)\s*$/m.exec(yaml);
    return m ? path.resolve(workDir, m[1]) : workDir;
}

export async function newBenchStack(workDir: string, config: Record<string, unknown>, opts: { namespace?: string; prefix?: string } = {}): Promise<BenchStack> {
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-bench-backend-"));
    const name = randomName(opts.prefix ?? "bench");
    const env: Record<string, string> = {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(16).toString("hex"),
        ...OFFLINE,
    };
    let stack: Stack;
    try {
        stack = await LocalWorkspace.createStack({ stackName: name, workDir }, { envVars: env });
    } catch (e) {
        fs.rmSync(backendDir, { recursive: true, force: true });
        throw e;
    }
    const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
    const b: BenchStack = {
        name,
        workDir,
        backendDir,
        stackLabel: `${project}/${name}`,
        stack,
        env,
        async setConfig(c) {
            await stack.setAllConfig(configMap(c, opts.namespace));
        },
        run: (op, extraArgs = [], onLine, runOpts) => runPulumi(workDir, env, name, op, extraArgs, onLine, runOpts),
        statePath() {
            const dir = path.join(backendDir, ".pulumi", "stacks", project);
            for (const f of [`${name}.json`, `${name}.json.gz`]) {
                if (fs.existsSync(path.join(dir, f))) {
                    return path.join(dir, f);
                }
            }
            throw new Error(`no checkpoint of ${name} in ${dir}`);
        },
        async cleanup() {
            try {
                await stack.workspace.removeStack(name, { force: true });
            } finally {
                fs.rmSync(path.join(stackConfigDir(workDir), `Pulumi.${name}.yaml`), { force: true });
                fs.rmSync(backendDir, { recursive: true, force: true });
            }
        },
    };
    try {
        await b.setConfig(config);
    } catch (e) {
        await b.cleanup().catch(() => undefined);
        throw e;
    }
    return b;
}

/** Runs one pulumi command on a stack, timing it and stamping its engine events on arrival. */
export async function runPulumi(workDir: string, env: Record<string, string>, stackName: string, op: Op, extraArgs: string[], onLine?: (line: string) => void, opts: RunOptions = {}): Promise<OpResult> {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-bench-events-"));
    const logFile = path.join(logDir, "events.jsonl");
    const args = [op, "--stack", stackName, "--non-interactive", "--event-log", logFile];
    if (op === "up" || op === "destroy" || op === "refresh") {
        args.push("--yes", "--skip-preview");
    }
    const opEnv: Record<string, string> = {};
    if (op === "destroy") {
        // As `npm run destroy` runs it (scripts/env.sh, scripts/stack.sh).
        const [parallel, skip] = [process.env.EOSNET_DESTROY_PARALLEL, process.env.EOSNET_DESTROY_SKIP_CHECKPOINTS];
        if (!parallel || !skip) {
            throw new Error("EOSNET_DESTROY_PARALLEL or EOSNET_DESTROY_SKIP_CHECKPOINTS is not set: run the bench through npm run bench (bench/bench.sh sources scripts/env.sh)");
        }
        args.push("--parallel", parallel);
        opEnv.PULUMI_SKIP_CHECKPOINTS = skip;
    }
    args.push(...extraArgs);
    const events: TimedEvent[] = [];
    const t0 = performanceNow();
    let offset = 0;
    let partial = "";
    const drain = () => {
        let fd: number;
        try {
            fd = fs.openSync(logFile, "r");
        } catch {
            return;
        }
        try {
            const size = fs.fstatSync(fd).size;
            if (size <= offset) {
                return;
            }
            const buf = Buffer.alloc(size - offset);
            fs.readSync(fd, buf, 0, buf.length, offset);
            offset = size;
            const t = (performanceNow() - t0) / 1000;
            const text = partial + buf.toString("utf8");
            const lines = text.split("\n");
            partial = lines.pop() ?? "";
            for (const line of lines) {
                if (line.trim()) {
                    try {
                        events.push({ t, event: JSON.parse(line) });
                    } catch {
                        // a torn line: the rest comes with the next read
                    }
                }
            }
        } finally {
            fs.closeSync(fd);
        }
    };
    const poll = setInterval(drain, 50);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const cleanEnv = { ...process.env };
    delete cleanEnv.PULUMI_CONFIG_PASSPHRASE_FILE;
    delete cleanEnv.PULUMI_BACKEND_URL;
    try {
        const code = await new Promise<number>((resolve, reject) => {
            // --event-log is one of the CLI's debug flags (the Automation API sets the same switch).
            const child = spawn("pulumi", args, { cwd: workDir, env: { ...cleanEnv, ...env, ...opEnv, PULUMI_DEBUG_COMMANDS: "true" }, stdio: ["ignore", "pipe", "pipe"] });
            child.stdout.on("data", (d: Buffer) => {
                stdout += d.toString();
                if (onLine) {
                    d.toString().split("\n").filter((l) => l.trim()).forEach(onLine);
                }
            });
            child.stderr.on("data", (d: Buffer) => {
                stderr += d.toString();
            });
            let limit: NodeJS.Timeout | undefined;
            let kill: NodeJS.Timeout | undefined;
            if (opts.timeoutMs) {
                limit = setTimeout(() => {
                    timedOut = true;
                    child.kill("SIGINT");
                    kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
                }, opts.timeoutMs);
            }
            child.on("error", reject);
            child.on("exit", (c) => {
                clearTimeout(limit);
                clearTimeout(kill);
                resolve(c ?? 1);
            });
        });
        const seconds = (performanceNow() - t0) / 1000;
        clearInterval(poll);
        drain();
        if (partial.trim()) {
            try {
                events.push({ t: seconds, event: JSON.parse(partial) });
            } catch {
                // ignore
            }
        }
        if (timedOut) {
            return { seconds, events, stdout, stderr, timedOut };
        }
        if (code !== 0) {
            const diag = events.map((e) => e.event.diagnosticEvent).filter((d) => d && /error/.test(d.severity)).map((d) => d.message.trim());
            throw new Error(`pulumi ${op} on ${stackName} failed (exit ${code}):\n${[...diag, stderr.trim(), stdout.split("\n").slice(-30).join("\n")].filter(Boolean).join("\n").slice(-6000)}`);
        }
        return { seconds, events, stdout, stderr };
    } finally {
        clearInterval(poll);
        fs.rmSync(logDir, { recursive: true, force: true });
    }
}

function performanceNow(): number {
    return Number(process.hrtime.bigint() / 1000n) / 1000;
}
