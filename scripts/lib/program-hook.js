// The program's TypeScript, transpiled once per file content and kept (Pulumi.yaml: nodeargs).
// Why: with `typescript: true` the SDK registers ts-node in every run, and `npm run up` runs the
// program twice (preview, update): loading TypeScript and transpiling the program each time took
// about 0.5-0.9 s of each run here. This hook transpiles the same way ts-node did (transpile only,
// tsconfig.pulumi.json's options, no type check: `npm test` and `npm run build` type-check), but
// only a file it has not seen with that content; TypeScript itself is loaded only then. Source maps
// are inline, and the SDK's runner maps stack traces with source-map-support, to which this hook
// hands the JavaScript it ran (as ts-node did): errors and Pulumi's recorded source positions
// still name the .ts lines.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const cache = process.env.EOSNET_PROGRAM_CACHE || path.join(root, ".eosnet", "build", "program");
const tsconfigPath = path.join(root, "tsconfig.pulumi.json");
let compiler; // { ts, options }, loaded for the first file not in the cache

function outputSalt() {
    // What else decides the output: this hook, the tsconfig files and TypeScript's version.
    const h = crypto.createHash("sha256");
    for (const f of [__filename, tsconfigPath, path.join(root, "tsconfig.json"), require.resolve("typescript/package.json", { paths: [root] })]) {
        h.update(fs.readFileSync(f));
    }
    return h.digest("hex");
}
let salt;

// Entries no run has used for this long are removed: each edit of a program file leaves its old
// entry behind. A hit refreshes its entry's time; the sweep runs once per process, after a miss.
const UNUSED_DAYS = 14;
let swept = false;

function sweep() {
    swept = true;
    const cutoff = Date.now() - UNUSED_DAYS * 86400e3;
    for (const name of fs.readdirSync(cache)) {
        const file = path.join(cache, name);
        try {
            // An entry, or a temporary file of a run that died before its rename.
            if (/\.js(\.tmp-\d+)?$/.test(name) && fs.statSync(file).mtimeMs < cutoff) {
                fs.rmSync(file, { force: true });
            }
        } catch {
            // gone already (a concurrent sweep)
        }
    }
}

function load() {
    if (compiler) {
        return compiler;
    }
    const ts = require(require.resolve("typescript", { paths: [root] }));
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(`program: ${tsconfigPath}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    } });
    // No outDir: the map's sources are then relative to the file itself, where node looks.
    const { outDir, rootDir, ...rest } = parsed.options;
    const options = { ...rest, sourceMap: false, inlineSourceMap: true, inlineSources: false, declaration: false, noEmit: false };
    compiler = { ts, options };
    return compiler;
}

function transpiled(filename, source) {
    salt ??= outputSalt();
    const key = crypto.createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(source).digest("hex");
    const file = path.join(cache, `${key}.js`);
    try {
        const js = fs.readFileSync(file, "utf8");
        const now = new Date();
        fs.utimesSync(file, now, now);
        return js;
    } catch {
        // not cached yet (or swept by a concurrent run)
    }
    const { ts, options } = load();
    const out = ts.transpileModule(source, { compilerOptions: options, fileName: filename, reportDiagnostics: false });
    fs.mkdirSync(cache, { recursive: true });
    // Written whole, then renamed: a concurrent run reads the old entry or the new one, never part.
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, out.outputText);
    fs.renameSync(tmp, file);
    if (!swept) {
        sweep();
    }
    return out.outputText;
}

/** filename -> the JavaScript run for it, for source-map-support to find the inline map in. */
const ran = new Map();

function sourceMapSupport() {
    // The SDK's copy (its runner requires source-map-support/register): one module, one set of handlers.
    try {
        const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd(), root] }));
        return require(require.resolve("source-map-support", { paths: [sdk] }));
    } catch {
        return undefined; // stack traces then show the JavaScript's lines
    }
}
const sms = sourceMapSupport();
sms?.install({ environment: "node", handleUncaughtExceptions: false, retrieveFile: (p) => ran.get(p) ?? null });

// Two kinds of trace the SDK takes by the thousand are rendered here more cheaply; every other trace
// (errors) is mapped through source maps as before:
// - The stack trace stamped on each of the SDK's internal promises (runtime/debuggable.js) is shown
//   only with PULUMI_DEBUG_PROMISE_LEAKS set; otherwise it is left empty. Mapping them took about
//   0.9 s of CPU in a staging preview, and writing out their frames unmapped 80 ms in a reference one.
// - The stack Pulumi records for each resource (Resource.callsites): only the program's frames are
//   mapped. The SDK's are dropped from it anyway (recordProgramFramesOnly, below), and mapping them
//   meant reading the SDK's own source maps.
const mapped = Error.prepareStackTrace;
// Read once, as the SDK reads it (runtime/debuggable.js).
const debugPromiseLeaks = !!process.env.PULUMI_DEBUG_PROMISE_LEAKS;
/** A frame of the SDK's code (its packages under node_modules/@pulumi), mapped or not. */
const sdkFrame = /[\\/]node_modules[\\/]@pulumi[\\/]/;
const isSdkCall = (frame, fn, file) => frame && frame.getFunctionName() === fn && file.test(frame.getFileName() ?? "");
if (mapped && sms) {
    Error.prepareStackTrace = function prepareStackTrace(error, frames) {
        if (isSdkCall(frames[0], "debuggablePromise", /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/)) {
            return debugPromiseLeaks ? `${error}${frames.map((f) => `\n    at ${f}`).join("")}` : `${error}`;
        }
        if (isSdkCall(frames[0], "callsites", /[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/)) {
            // As source-map-support renders a trace (last frame first: a frame's name comes from the next one's position).
            const state = { nextPosition: null, curPosition: null };
            const lines = new Array(frames.length);
            for (let i = frames.length - 1; i >= 0; i--) {
                const f = frames[i];
                if (sdkFrame.test(f.getFileName() ?? "")) {
                    lines[i] = `${f}`;
                    state.curPosition = null;
                } else {
                    lines[i] = `${sms.wrapCallSite(f, state)}`;
                }
                state.nextPosition = state.curPosition;
            }
            return `${error}${lines.map((l) => `\n    at ${l}`).join("")}`;
        }
        return mapped(error, frames);
    };
}

require.extensions[".ts"] = function (module, filename) {
    if (filename.includes(`${path.sep}node_modules${path.sep}`)) {
        throw new Error(`program: ${filename} is TypeScript inside node_modules; packages ship JavaScript`);
    }
    const js = transpiled(filename, fs.readFileSync(filename, "utf8"));
    ran.set(filename, js);
    module._compile(js, filename);
};

// Pulumi records in state, for each resource, the stack its constructor was called from (its
// first frame is the resource's source position). Left out here: the SDK's frames
// (node_modules/@pulumi, mapped to their TypeScript), this hook's, and frames without a position
// (node's internals, anonymous callbacks), which are stored as empty frames. A node's container
// recorded 9 frames, 4 of them the program's: about 0.5 KB of each resource's state as stored.
// A resource the SDK registers itself (the stack) is left with no frame and no source position.
function recordProgramFramesOnly() {
    let Resource;
    try {
        Resource = require(require.resolve("@pulumi/pulumi/resource", { paths: [process.cwd(), root] })).Resource;
    } catch {
        return; // not a Pulumi program: nothing records positions
    }
    const hook = require("url").pathToFileURL(__filename).toString();
    const all = Resource.stackTrace;
    Resource.stackTrace = function stackTrace(skip) {
        // One more frame to skip: this function's.
        return all.call(this, skip + 1).filter((f) => f !== undefined && f.uri !== hook && !sdkFrame.test(f.uri));
    };
}
recordProgramFramesOnly();
