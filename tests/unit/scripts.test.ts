// The project's shell-side helpers, run as the scripts run them: the stack-file merge (tracked
// config wins, this machine's salt and secrets stay) and the clean-up after a killed run.
import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as url from "url";

const scripts = path.join(__dirname, "..", "..", "scripts", "lib");

describe("stack files: the tracked config and this machine's copy", () => {
    const { merge } = require(path.join(scripts, "stack-config.js"));

    it("takes the tracked config, keeps the machine's salt, secrets and local-only values", () => {
        const tracked = { config: { "eos-network:node": { image: "a:1" }, "eos-network:resign": false } };
        const local = {
            encryptionsalt: "v1:salt",
            config: { "eos-network:node": { image: "old:0" }, "eos-network:keys": { eosio: { secure: "v1:x" } }, "eos-network:extra": 1 },
        };
        const { doc, localOnlyPlain } = merge(tracked, local);
        assert.deepEqual(doc, {
            encryptionsalt: "v1:salt",
            config: { "eos-network:node": { image: "a:1" }, "eos-network:resign": false, "eos-network:keys": { eosio: { secure: "v1:x" } }, "eos-network:extra": 1 },
        });
        assert.deepEqual(localOnlyPlain, ["eos-network:extra"]);
    });

    it("uses a salt the tracked file carries (a team sharing one passphrase)", () => {
        assert.equal(merge({ encryptionsalt: "v1:team", config: {} }, { encryptionsalt: "v1:mine" }).doc.encryptionsalt, "v1:team");
    });
});

describe("after a killed run: interrupted-run.js", () => {
    let backend: string;
    const stacks = () => path.join(backend, ".pulumi", "stacks", "eos-network");
    const locks = () => path.join(backend, ".pulumi", "locks", "organization", "eos-network", "dev");
    const run = () => execFileSync("node", [path.join(scripts, "interrupted-run.js"), backend, "eos-network", "dev"], { encoding: "utf8" }).trim();

    beforeEach(() => {
        backend = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-killed-"));
        fs.mkdirSync(stacks(), { recursive: true });
        fs.mkdirSync(locks(), { recursive: true });
    });
    afterEach(() => fs.rmSync(backend, { recursive: true, force: true }));

    it("removes the dead run's lock and a cut sidecar, and counts pending operations", async () => {
        // A process that has ended: its pid is free.
        const child = spawn("true");
        const pid = await new Promise<number>((resolve) => child.on("exit", () => resolve(child.pid!)));
        fs.writeFileSync(path.join(locks(), "dead.json"), JSON.stringify({ pid, hostname: os.hostname(), timestamp: "t" }));
        fs.writeFileSync(path.join(locks(), "live.json"), JSON.stringify({ pid: process.pid, hostname: os.hostname(), timestamp: "t" }));
        fs.writeFileSync(path.join(stacks(), "dev.json"), JSON.stringify({ checkpoint: { latest: { pending_operations: [{ type: "creating" }, { type: "creating" }] } } }));
        fs.writeFileSync(path.join(stacks(), "dev.json.attrs"), "");
        fs.writeFileSync(path.join(stacks(), "dev.json.bak.attrs"), '{"md5":"x"}');

        assert.equal(run(), "2");
        assert.deepEqual(fs.readdirSync(locks()), ["live.json"], "a live run's lock stays");
        assert.ok(!fs.existsSync(path.join(stacks(), "dev.json.attrs")), "the cut sidecar is gone");
        assert.ok(fs.existsSync(path.join(stacks(), "dev.json.bak.attrs")), "a whole sidecar stays");
        assert.ok(fs.existsSync(path.join(stacks(), "dev.json")), "the state itself is left alone");
    });

    it("says 0 for a stack without state", () => {
        assert.equal(run(), "0");
    });
});

describe("the program's TypeScript loader: program-hook.js", () => {
    let dir: string;
    const hook = path.join(scripts, "program-hook.js");
    let cache: string;
    const run = (file: string, env: Record<string, string> = {}) => {
        try {
            return { out: execFileSync("node", ["--require", hook, "--require", "source-map-support/register", file], {
                encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "", EOSNET_PROGRAM_CACHE: cache, ...env },
            }), err: "" };
        } catch (e) {
            return { out: String((e as { stdout?: string }).stdout ?? ""), err: String((e as { stderr?: string }).stderr ?? "") };
        }
    };
    const entries = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith(".js")).length : 0);

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-hook-"));
        cache = path.join(dir, "cache");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("runs TypeScript, transpiles a file once per content, and errors name the .ts line", () => {
        const main = path.join(dir, "main.ts");
        fs.writeFileSync(path.join(dir, "lib.ts"), "export function twice(n: number): number {\n    return n * 2;\n}\n");
        fs.writeFileSync(main, `import { twice } from "./lib";\nconst x: number = twice(${Date.now() % 1000});\nconsole.log("value", x);\n`);
        assert.equal(entries(), 0);
        assert.match(run(main).out, /^value \d+$/m);
        assert.equal(entries(), 2, "both files transpiled and kept");
        assert.match(run(main).out, /^value \d+$/m);
        assert.equal(entries(), 2, "the second run transpiles nothing");
        fs.writeFileSync(main, "type T = { a: number };\n\nconst t: T = { a: 1 };\nthrow new Error(`boom ${t.a}`);\n");
        const r = run(main);
        assert.match(r.err, /boom 1/);
        assert.ok(r.err.includes(`(${main}:4:7)`), `the stack names main.ts line 4:\n${r.err}`);
        assert.equal(entries(), 3, "a changed file is transpiled again");
    });

    it("removes entries no run used for 14 days, after a run that transpiled something", () => {
        const main = path.join(dir, "main.ts");
        fs.writeFileSync(path.join(dir, "lib.ts"), "export const one: number = 1;\n");
        fs.writeFileSync(main, `import { one } from "./lib";\nconsole.log("value", one + ${Date.now() % 1000});\n`);
        assert.match(run(main).out, /^value \d+$/m);
        const month = (Date.now() - 30 * 86400e3) / 1000;
        const first = fs.readdirSync(cache);
        fs.writeFileSync(path.join(cache, "0".repeat(64) + ".js.tmp-12345"), "cut");
        for (const f of fs.readdirSync(cache)) {
            fs.utimesSync(path.join(cache, f), month, month);
        }
        // Nothing changed: no sweep, and the hits make both entries recent again.
        assert.match(run(main).out, /^value \d+$/m);
        assert.equal(fs.readdirSync(cache).length, 3);
        for (const f of first) {
            fs.utimesSync(path.join(cache, f), month, month);
        }
        fs.writeFileSync(main, `import { one } from "./lib";\nconsole.log("changed", one);\n`);
        assert.match(run(main).out, /^changed 1$/m);
        const left = fs.readdirSync(cache);
        assert.equal(left.length, 2, `lib's entry (used in this run) and main's new one: ${left.join(", ")}`);
        assert.ok(!left.some((f) => f.includes(".tmp-")), "a dead run's temporary file is gone");
        assert.ok(left.filter((f) => first.includes(f)).length === 1, "of the first run's entries, only the one still used is kept");
    });

    it("loads the program without @pulumi/pulumi's index (its Automation API) or @pulumi/kubernetes", () => {
        const probe = path.join(dir, "probe.ts");
        fs.writeFileSync(probe, `require(${JSON.stringify(path.join(scripts, "..", "..", "index.ts"))});\n` +
            "const loaded = Object.keys(require.cache);\n" +
            `console.log(JSON.stringify({ index: !!require.cache[${JSON.stringify(require.resolve("@pulumi/pulumi"))}], automation: loaded.some((k) => k.includes("/@pulumi/pulumi/automation/")), ` +
            `kubernetes: loaded.some((k) => k.includes("/@pulumi/kubernetes/")), modules: loaded.length }));\n`);
        const r = run(probe);
        const seen = JSON.parse(r.out.trim().split("\n").pop() || "{}") as { index?: boolean; automation?: boolean; kubernetes?: boolean; modules?: number };
        assert.ok((seen.modules ?? 0) > 50, `the program loaded: ${r.out}${r.err}`);
        assert.deepEqual({ index: seen.index, automation: seen.automation, kubernetes: seen.kubernetes }, { index: false, automation: false, kubernetes: false }, r.out + r.err);
    });

    it("records a resource's stack with the program's frames only: not the SDK's, not node's positionless ones", () => {
        const main = path.join(dir, "main.ts");
        // A stand-in for SDK code the call passes through, where the SDK's own files are.
        const sdk = path.join(dir, "node_modules", "@pulumi", "stand-in");
        fs.mkdirSync(sdk, { recursive: true });
        fs.writeFileSync(path.join(sdk, "index.js"), "exports.through = function through(f) {\n    return f();\n};\n");
        // Skip 2 as the SDK's constructors skip theirs (stackTrace's own frame, then inner's): the first
        // frame kept is register's call (line 10), whatever frames the hook adds. Lines 1-3 vanish in
        // the JavaScript, so an unmapped frame would say another line.
        fs.writeFileSync(main, "type T = {\n    a: number;\n};\n" +
            `const { Resource } = require(${JSON.stringify(require.resolve("@pulumi/pulumi/resource"))});\n` +
            `const { through } = require(${JSON.stringify(sdk)});\nfunction inner(): unknown[] {\n    return Resource.stackTrace(2);\n}\n` +
            "function register(): unknown[] {\n    return inner();\n}\n" +
            "function viaSdk() {\n    return through(register);\n}\n" +
            "const raw: { file?: string }[] = Resource.callsites();\n" +
            "console.log(JSON.stringify({ sdk: raw[0].file, frames: [1].map(function each() { return viaSdk(); })[0] }));\n");
        const r = run(main);
        const { sdk: sdkFile, frames } = JSON.parse(r.out.trim().split("\n").pop() || "{}") as { sdk?: string; frames?: ({ uri: string; line: number } | null)[] };
        assert.ok(Array.isArray(frames), `frames: ${r.out}${r.err}`);
        const file = url.pathToFileURL(main).toString();
        assert.deepEqual(frames.map((f) => f?.uri), frames.map(() => file), `main.ts's frames only:\n${JSON.stringify(frames, null, 1)}`);
        // register's call, viaSdk's (the stand-in's frame between them left out), each's, the top level (Array.map's frame left out).
        assert.deepEqual(frames.map((f) => f!.line), [10, 13, 16, 16]);
        // The SDK's frames are not mapped (they are dropped): its resource.js, not the resource.ts its map names.
        assert.match(sdkFile ?? "", /[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/, r.out + r.err);
    });

    it("leaves the SDK's promise stamps empty (unmapped with PULUMI_DEBUG_PROMISE_LEAKS) and maps every other stack", () => {
        const main = path.join(dir, "main.ts");
        const debuggable = require.resolve("@pulumi/pulumi/runtime/debuggable");
        // Lines 1-3 vanish in the JavaScript: a mapped frame says line 5, an unmapped one another line.
        fs.writeFileSync(main, `type T = {\n    a: number;\n};\nconst { debuggablePromise } = require(${JSON.stringify(debuggable)});\nconst p = Promise.resolve(1); debuggablePromise(p, "t"); const e = new Error("e");\n` +
            "console.log(JSON.stringify({ stamp: (p as any)._debugStackTrace, error: e.stack }));\n");
        const seen = (env: Record<string, string>) => {
            const r = run(main, env);
            return { ...JSON.parse(r.out.trim().split("\n").pop() || "{}") as { stamp?: string; error?: string }, err: r.err };
        };
        const plain = seen({});
        assert.ok(plain.error?.includes(`${main}:5:`), `an error's stack names main.ts line 5:\n${plain.error}\n${plain.err}`);
        assert.equal(plain.stamp, "Error", "a stamp nobody reads holds no frames");
        const debugging = seen({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
        assert.ok(debugging.error?.includes(`${main}:5:`), `an error's stack names main.ts line 5:\n${debugging.error}\n${debugging.err}`);
        const stamp = debugging.stamp ?? "";
        assert.ok(stamp.includes(`${main}:`) && !stamp.includes(`${main}:5:`), `the SDK's promise stamp keeps the JavaScript's line:\n${stamp}\n${debugging.err}`);
        assert.match(stamp, /debuggablePromise/);
    });
});
