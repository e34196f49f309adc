// node scripts/lib/policy-pack.js ROOT: prints the directory of the policy pack as JavaScript, built
// from policies/index.ts and the modules it imports (transpiled only, one file each).
// Why: the SDK's policy-pack runner registers ts-node with typeCheck on, so a TypeScript pack is
// type-checked on every preview and every update (about 2.5 s each here). `npm test` and
// `npm run build` type-check the same sources. The build is kept until a source changes.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(process.argv[2] || path.join(__dirname, "..", ".."));
const out = path.join(root, ".eosnet", "build", "policy-pack");
const manifestFile = path.join(out, "manifest.json");
const entry = path.join(root, "policies", "index.ts");
const packFiles = ["PulumiPolicy.yaml"];

function stamp(file) {
    const s = fs.statSync(file);
    return `${s.mtimeMs}:${s.size}`;
}

function upToDate() {
    let manifest;
    try {
        manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    } catch {
        return false;
    }
    // The import graph only changes when one of its files does, so the files' stamps suffice.
    return Object.entries(manifest.files).every(([rel, s]) => {
        try {
            return stamp(path.join(root, rel)) === s;
        } catch {
            return false;
        }
    });
}

function resolveImport(from, spec) {
    const base = path.resolve(path.dirname(from), spec);
    for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
            return candidate;
        }
    }
    throw new Error(`policy pack: ${path.relative(root, from)} imports ${spec}, which is not a file under ${root}`);
}

function build() {
    const ts = require(require.resolve("typescript", { paths: [root] }));
    const tsconfig = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    if (tsconfig.error) {
        throw new Error(`policy pack: tsconfig.json: ${ts.flattenDiagnosticMessageText(tsconfig.error.messageText, "\n")}`);
    }
    const { options } = ts.convertCompilerOptionsFromJson(tsconfig.config.compilerOptions, root);
    const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: true, inlineSources: false };

    const tmp = `${out}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const files = {};
    const queue = [entry];
    while (queue.length > 0) {
        const file = queue.pop();
        const rel = path.relative(root, file);
        if (rel in files) {
            continue;
        }
        if (rel.startsWith("..")) {
            throw new Error(`policy pack: ${file} is outside ${root}`);
        }
        files[rel] = stamp(file);
        const source = fs.readFileSync(file, "utf8");
        const target = path.join(tmp, rel.replace(/\.ts$/, ".js"));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (!file.endsWith(".ts")) {
            fs.writeFileSync(target, source);
            continue;
        }
        const specs = new Set();
        for (const m of source.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
            specs.add(m[1]);
        }
        for (const spec of specs) {
            queue.push(resolveImport(file, spec));
        }
        const result = ts.transpileModule(source, { compilerOptions, fileName: file, reportDiagnostics: false });
        fs.writeFileSync(target, result.outputText);
    }
    for (const f of packFiles) {
        const src = path.join(root, "policies", f);
        files[path.relative(root, src)] = stamp(src);
        fs.copyFileSync(src, path.join(tmp, "policies", f));
    }
    fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify({ files }, null, 1));
    // Another run may be building too: the last rename wins, and both builds are whole.
    fs.rmSync(out, { recursive: true, force: true });
    try {
        fs.renameSync(tmp, out);
    } catch (err) {
        if (!fs.existsSync(manifestFile)) {
            throw err;
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

try {
    if (!upToDate()) {
        build();
    }
    process.stdout.write(`${path.join(out, "policies")}\n`);
} catch (err) {
    process.stderr.write(`${err && err.message ? err.message : err}\n`);
    process.exit(1);
}
