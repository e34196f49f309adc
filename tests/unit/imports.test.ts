// The module layout README's Layout promises, read from the sources: the import graph of the
// program, provider and SDK (type-only imports, re-exports, require() and import() included) has
// no cycle; rules/ is dependency-free, components/ holds no provider code, planning/ no
// components, SDK or provider; and each rule has one definition (its literal only in rules/).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");
const FOLDERS = ["config", "planning", "rules", "components", "sdk", "policies", "keys", "provider"];

interface Dependency {
    /** As written: "./x", "zod". */
    specifier: string;
    /** The project file it resolves to (relative to the root), for a relative specifier. */
    file?: string;
    /** import, export-from, import-equals, require, import(), import-type. */
    kind: string;
    line: number;
}

interface SourceFile {
    file: string;
    sf: ts.SourceFile;
    deps: Dependency[];
}

function tsFilesUnder(dir: string): string[] {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) {
        return [];
    }
    return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
        const rel = path.posix.join(dir, e.name);
        if (e.isDirectory()) {
            return e.name === "node_modules" || e.name === "bin" ? [] : tsFilesUnder(rel);
        }
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && !e.name.endsWith(".test.ts") ? [rel] : [];
    });
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) {
        return undefined;
    }
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
        const abs = path.join(ROOT, candidate);
        if (fs.existsSync(abs) && fs.statSync(abs).isFile()) {
            return candidate;
        }
    }
    return `${base} (unresolved)`;
}

function parse(file: string): SourceFile {
    const sf = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
    const deps: Dependency[] = [];
    const add = (node: ts.Node, spec: ts.Expression | undefined, kind: string) => {
        if (spec && ts.isStringLiteralLike(spec)) {
            deps.push({ specifier: spec.text, file: resolveSpecifier(file, spec.text), kind, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
        }
    };
    const visit = (n: ts.Node) => {
        if (ts.isImportDeclaration(n)) {
            add(n, n.moduleSpecifier, n.importClause?.isTypeOnly ? "import type" : "import");
        } else if (ts.isExportDeclaration(n) && n.moduleSpecifier) {
            add(n, n.moduleSpecifier, "export from");
        } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
            add(n, n.moduleReference.expression, "import =");
        } else if (ts.isCallExpression(n) && n.arguments.length > 0) {
            if (n.expression.kind === ts.SyntaxKind.ImportKeyword) {
                add(n, n.arguments[0], "import()");
            } else if (ts.isIdentifier(n.expression) && n.expression.text === "require") {
                add(n, n.arguments[0], "require");
            }
        } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
            add(n, n.argument.literal as ts.Expression, "import type()");
        }
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return { file, sf, deps };
}

const files = ["index.ts", ...FOLDERS.flatMap(tsFilesUnder)].map(parse);
const byFile = new Map(files.map((f) => [f.file, f]));
const under = (dir: string) => (file: string | undefined) => file !== undefined && file.startsWith(`${dir}/`);
const where = (f: SourceFile, d: Dependency) => `${f.file}:${d.line} ${d.kind} "${d.specifier}"`;

/** The first cycle of the graph, as a path that ends where it starts, or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (n: string): string[] | undefined => {
        state.set(n, "open");
        stack.push(n);
        for (const m of graph.get(n) ?? []) {
            if (state.get(m) === "open") {
                return [...stack.slice(stack.indexOf(m)), m];
            }
            if (!state.has(m)) {
                const found = visit(m);
                if (found) {
                    return found;
                }
            }
        }
        stack.pop();
        state.set(n, "done");
        return undefined;
    };
    for (const n of [...graph.keys()].sort()) {
        if (!state.has(n)) {
            const found = visit(n);
            if (found) {
                return found;
            }
        }
    }
    return undefined;
}

describe("module layout: the import graph", () => {
    it("reads the sources of every folder (the parser sees imports of each kind)", () => {
        for (const dir of FOLDERS) {
            assert.ok(files.some((f) => under(dir)(f.file)), `no .ts file found under ${dir}/`);
        }
        const kinds = new Set(files.flatMap((f) => f.deps.map((d) => d.kind)));
        for (const k of ["import", "import type", "export from", "require"]) {
            assert.ok(kinds.has(k), `no "${k}" found: the parser misses a form of import (found ${[...kinds].join(", ")})`);
        }
        const unresolved = files.flatMap((f) => f.deps.filter((d) => d.file?.endsWith("(unresolved)")).map((d) => where(f, d)));
        assert.deepEqual(unresolved, [], "relative imports that name no file");
    });

    it("has no import cycle", () => {
        const graph = new Map(files.map((f) => [f.file, [...new Set(f.deps.flatMap((d) => (d.file && byFile.has(d.file) ? [d.file] : [])))]]));
        const cycle = findCycle(graph);
        assert.equal(cycle, undefined, `import cycle: ${cycle?.join(" -> ")}`);
        // The detector itself finds a cycle when there is one.
        assert.deepEqual(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]])), ["a", "b", "c", "a"]);
    });

    it("components/ imports nothing from provider/ (wiring of the plan only)", () => {
        const bad = files.filter((f) => under("components")(f.file)).flatMap((f) => f.deps.filter((d) => under("provider")(d.file)).map((d) => where(f, d)));
        assert.deepEqual(bad, []);
    });

    it("rules/ imports nothing: no package, no project file (its index only re-exports its own files)", () => {
        const bad = files.filter((f) => under("rules")(f.file)).flatMap((f) =>
            f.deps.filter((d) => !(d.kind === "export from" && under("rules")(d.file))).map((d) => where(f, d)));
        assert.deepEqual(bad, []);
    });

    it("planning/ imports nothing from components/, sdk/ or provider/", () => {
        const bad = files.filter((f) => under("planning")(f.file)).flatMap((f) =>
            f.deps.filter((d) => ["components", "sdk", "provider"].some((dir) => under(dir)(d.file))).map((d) => where(f, d)));
        assert.deepEqual(bad, []);
    });
});

/** The literals of a file (strings, template parts, regexes), and the code of its `... + 1` expressions (where a quorum formula would be). */
function literalsAndCode(f: SourceFile): { literals: { text: string; line: number }[]; code: { text: string; line: number }[] } {
    const literals: { text: string; line: number }[] = [];
    const code: { text: string; line: number }[] = [];
    const lineOf = (pos: number) => f.sf.getLineAndCharacterOfPosition(pos).line + 1;
    const visit = (n: ts.Node) => {
        if (ts.isStringLiteralLike(n) || ts.isRegularExpressionLiteral(n)) {
            literals.push({ text: n.text, line: lineOf(n.getStart(f.sf)) });
            return;
        }
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isNumericLiteral(n.right) && /^1n?$/.test(n.right.getText(f.sf))) {
            code.push({ text: n.getText(f.sf), line: lineOf(n.getStart(f.sf)) });
        }
        if (ts.isTemplateExpression(n)) {
            for (const part of [n.head, ...n.templateSpans.map((s) => s.literal)]) {
                literals.push({ text: part.text, line: lineOf(part.getStart(f.sf)) });
            }
        }
        ts.forEachChild(n, visit);
    };
    visit(f.sf);
    return { literals, code };
}

describe("each rule has one definition (its literal only in rules/)", () => {
    const sources = files.map((f) => ({ f, ...literalsAndCode(f) }));
    const outsideRules = sources.filter((s) => !under("rules")(s.f.file));
    const inRules = sources.filter((s) => under("rules")(s.f.file));
    const rules: [string, "literal" | "code", (text: string) => boolean][] = [
        ["the account-name pattern [a-z1-5.]{1,12}", "literal", (t) => t.includes("[a-z1-5.]{1,12}")],
        ["an io.eos-network.* docker label", "literal", (t) => /\bio\.eos-network\.[a-z]/.test(t)],
        ["the docker-name pattern [a-zA-Z0-9][a-zA-Z0-9_.-]+", "literal", (t) => t.includes("[a-zA-Z0-9][a-zA-Z0-9_.-]+")],
        ["the 2/3+1 quorum formula", "code", (t) => /\(\s*2n?\s*\*[^;]*\)\s*\/\s*3n?\s*\)\s*\+\s*1n?\b/.test(t)],
        ["the never-shrinks wording", "literal", (t) => /never\s+shrinks?/i.test(t)],
    ];

    for (const [what, kind, matches] of rules) {
        it(`${what}: in rules/, and nowhere else`, () => {
            const hits = (s: (typeof sources)[number]) => (kind === "literal" ? s.literals : s.code).filter((x) => matches(x.text)).map((x) => `${s.f.file}:${x.line}`);
            assert.ok(inRules.flatMap(hits).length > 0, `rules/ no longer defines ${what} (or this test's pattern is stale)`);
            assert.deepEqual(outsideRules.flatMap(hits), [], `${what} is defined outside rules/ too`);
        });
    }

    it("every io.eos-network.* label of rules/labels.ts is found by the label check", () => {
        const labels = require("../../rules/labels") as Record<string, unknown>;
        const values = Object.values(labels).filter((v): v is string => typeof v === "string" && v.startsWith("io.eos-network."));
        assert.ok(values.length >= 5, `labels found: ${values.join(", ")}`);
        for (const v of values) {
            assert.ok(/\bio\.eos-network\.[a-z]/.test(v), v);
        }
    });
});
