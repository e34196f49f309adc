// The README's front door on a fresh clone: its own passphrase and state backend are made by
// setup, the dev stack is created and previews, and the run leaves `git status` clean (no
// per-machine salt or secret is written into a tracked stack file).
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertToolchain, ROOT } from "./harness";

describe("a fresh clone: npm run preview creates the dev stack and keeps git clean", function () {
    this.timeout(15 * 60 * 1000);
    let dir = "";

    before(() => {
        assertToolchain();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-clone-"));
        execFileSync("git", ["clone", "--quiet", ROOT, dir]);
    });

    after(() => {
        if (dir) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("runs the README path with nothing carried over from this checkout", () => {
        // Only the machine-wide toolchain is shared; the clone's backend, passphrase and stack files are its own.
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const k of Object.keys(env).filter((k) => /^(PULUMI_|EOSNET_)/.test(k) && k !== "PULUMI_HOME")) {
            delete env[k];
        }
        const run = spawnSync("npm", ["run", "preview"], { cwd: dir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        assert.equal(run.status, 0, `npm run preview failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
        const created = Number(/\+ (\d+) to create/.exec(run.stdout)?.[1] ?? 0);
        assert.ok(created > 50, `the dev stack's plan: ${created} to create`);
        assert.match(run.stdout, /plannedSchedule\s*:\s*\[/);
        assert.ok(fs.existsSync(path.join(dir, ".eosnet", "passphrase")), "setup made the clone's own passphrase");
        assert.ok(fs.existsSync(path.join(dir, ".eosnet", "state", ".pulumi", "stacks", "eos-network", "dev.json")) ||
            fs.readdirSync(path.join(dir, ".eosnet", "state", ".pulumi", "stacks", "eos-network")).some((f) => f.startsWith("dev")), "the dev stack exists");
        assert.match(fs.readFileSync(path.join(dir, ".eosnet", "stacks", "Pulumi.dev.yaml"), "utf8"), /encryptionsalt:/, "the salt lives in the machine's copy");
        const status = execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" });
        assert.equal(status, "", "git status is clean after the run");
    });
});
