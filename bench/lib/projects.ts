// The projects the bench runs besides this checkout: an empty Pulumi program with the same
// toolchain (the reference for preview), and an earlier commit checked out into a temporary git
// worktree (the "before" of --baseline).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

export interface TempProject {
    dir: string;
    label: string;
    cleanup(): void;
}

/**
 * An empty TypeScript program (it imports @pulumi/pulumi and registers nothing) run by the same
 * CLI, language host, runtime options (the project's TypeScript loader) and SDK as the project:
 * node_modules is the project's.
 */
export function emptyProgram(root: string): TempProject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-bench-empty-"));
    const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime: { name: string; options?: Record<string, unknown> } };
    const options = { ...project.runtime.options };
    if (typeof options.nodeargs === "string") {
        // Relative to the project's directory there, to this one's here.
        options.nodeargs = options.nodeargs.replace(/(^|\s)\.\//g, `$1${root}/`);
    }
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.dump({ name: "bench-empty", runtime: { name: project.runtime.name, options } }));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-empty", main: "index.ts", private: true }, null, 2));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), fs.readFileSync(path.join(root, "tsconfig.json"), "utf8").replace(/"include":\s*\[[^\]]*\]/, '"include": ["index.ts"]'));
    fs.writeFileSync(path.join(dir, "index.ts"), 'import * as pulumi from "@pulumi/pulumi";\n\nexport const stack = pulumi.getStack();\n');
    fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules")), path.join(dir, "node_modules"));
    return { dir, label: "empty program", cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `git rev-parse --short` of a revision. */
export function shortRev(root: string, rev: string): string {
    return execFileSync("git", ["-C", root, "rev-parse", "--short", `${rev}^{commit}`], { encoding: "utf8" }).trim();
}

/**
 * `rev` checked out (detached) into a temporary worktree, with the project's node_modules and
 * contracts linked in. Removed again with `git worktree remove`.
 */
export function baselineWorktree(root: string, rev: string): TempProject {
    const short = shortRev(root, rev);
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-bench-baseline-"));
    const dir = path.join(parent, `eos-network-${short}`);
    execFileSync("git", ["-C", root, "worktree", "add", "--detach", dir, short], { stdio: "ignore" });
    fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules")), path.join(dir, "node_modules"));
    fs.mkdirSync(path.join(dir, ".eosnet"), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(root, ".eosnet", "contracts")), path.join(dir, ".eosnet", "contracts"));
    return {
        dir,
        label: short,
        cleanup: () => {
            try {
                execFileSync("git", ["-C", root, "worktree", "remove", "--force", dir], { stdio: "ignore" });
            } catch (e) {
                process.stderr.write(`bench: could not remove the worktree ${dir} (${(e as Error).message}); \`git worktree prune\` forgets it\n`);
            }
            fs.rmSync(parent, { recursive: true, force: true });
        },
    };
}
