// The policy pack and the config checks through the real CLI: `pulumi preview --policy-pack policies`
// fails on a stack that breaks a rule, with the rule's message, and passes once the stack is fixed;
// an `up` with a bad config fails with the config path and leaves nothing behind. The pack is the one
// `npm run up/preview` use: built as JavaScript by scripts/lib/policy-pack.js.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertToolchain, freePort, leftovers, newTestStack, NODE_IMAGE, ROOT, TestStack } from "./harness";

const PRODUCERS = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];
const POLICY_PACK = execFileSync("node", [path.join(ROOT, "scripts", "lib", "policy-pack.js"), ROOT], { encoding: "utf8" }).trim();

async function config(runsNode: boolean[], httpBindAddress: string) {
    return {
        node: { image: NODE_IMAGE, httpBindAddress },
        bootNode: { httpPort: await freePort() },
        producers: await Promise.all(PRODUCERS.map(async (name, i) => ({ name, runsNode: runsNode[i], httpPort: await freePort() }))),
        accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: PRODUCERS }],
    };
}

/** Output of a command that must fail (Automation API CommandError carries stdout and stderr). */
async function failure(run: () => Promise<unknown>): Promise<string> {
    try {
        await run();
    } catch (e) {
        return String((e as Error).message);
    }
    assert.fail("the command succeeded");
}

describe("policy pack and config checks through the CLI", function () {
    this.timeout(10 * 60 * 1000);
    let t: TestStack;

    before(async () => {
        assertToolchain();
        // Two of four producers without a node, HTTP on every interface: two mandatory rules broken.
        t = await newTestStack(await config([true, false, false, true], "0.0.0.0"));
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
    });

    it("preview fails with the policies' messages", async () => {
        const out = await failure(() => t.stack.preview({ policyPacks: [POLICY_PACK] }));
        assert.match(out, /only 2 of 4 scheduled producers run a node here \(no node: producerbbbb, producercccc\); LIB needs 3 \(2\/3\+1\)/);
        assert.match(out, /eosnet-boot-container publishes port \d+ on 0\.0\.0\.0, beyond this machine/);
        assert.match(out, /mandatory policy violation|preview failed/);
    });

    it("an allowed bind address passes the exposure rule (policy config), the quorum still fails", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-policy-"));
        const file = path.join(dir, "policy-config.json");
        fs.writeFileSync(file, JSON.stringify({ "http-loopback-only": { allowedBindAddresses: ["0.0.0.0"] } }));
        try {
            const out = await failure(() => t.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [file] }));
            assert.match(out, /only 2 of 4 scheduled producers run a node here/);
            assert.doesNotMatch(out, /beyond this machine/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the same stack fixed passes, and the pack did run", async () => {
        await t.stack.setConfig("eos-network:node", { value: JSON.stringify({ image: NODE_IMAGE, httpBindAddress: "127.0.0.1" }) });
        const fixed = await config([true, true, true, false], "127.0.0.1");
        await t.stack.setConfig("eos-network:producers", { value: JSON.stringify(fixed.producers) });
        const result = await t.stack.preview({ policyPacks: [POLICY_PACK] });
        assert.match(result.stdout, /Policies:\s*\n\s*✅ eos-network@v/);
        assert.doesNotMatch(result.stdout + result.stderr, /mandatory/);
        assert.ok((result.changeSummary.create ?? 0) > 50, JSON.stringify(result.changeSummary));
        // The schedule the votes will elect is shown before anything exists.
        assert.match(result.stdout, /plannedSchedule\s*:\s*\[\s*\[0\]: "produceraaaa"\s*\[1\]: "producerbbbb"\s*\[2\]: "producercccc"\s*\[3\]: "producerdddd"/);
    });

    it("an up with a bad config fails naming the field, and creates nothing", async () => {
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify([{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["producerzzzz"] }]) });
        const out = await failure(() => t.stack.up({ policyPacks: [POLICY_PACK] }));
        assert.match(out, /eos-network:accounts\[0\]\.votes\[0\]: producerzzzz is not a configured producer/);
        assert.doesNotMatch(out, /at Object\.|\.ts:\d+/, "a config error is printed without a stack trace");
        const state = await t.stack.exportStack();
        const created = (state.deployment.resources ?? []).filter((r: { type: string }) => !r.type.startsWith("pulumi:"));
        assert.deepEqual(created, []);
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
