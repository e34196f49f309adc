// A contract team's testnet: a team account with a two-key permission, a linkauth, eosio.token as
// its contract and two setup actions (create + issue of its own token), declared in the stack.
// Each claim is checked on the chain with the image's cleos or eosjs called here, never with the
// project's own code: bad team config is refused in preview, the boot sets it all up (before eosio
// resigns), a second up changes nothing, a changed wasm is previewed and set with the team's own
// key on the resigned chain, changed action data runs the action again, a failing action names its
// config path and the chain's message, and destroy leaves nothing behind.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { JsonRpc } from "eosjs";
import { assertToolchain, chainRpc, freePort, leftovers, newTestStack, NODE_IMAGE, previewRefusal, progress, ROOT, stackKeys, TestStack } from "./harness";

const TOKEN_BUILD = path.join(ROOT, ".eosnet", "contracts", "eosio.token", "eosio.token");

/** A wasm custom section (id 0): the VM ignores it, so the contract behaves the same with another hash. */
function customSection(name: string, content: string): Buffer {
    const leb = (n: number) => {
        const out: number[] = [];
        do {
            let b = n & 0x7f;
            n >>>= 7;
            if (n !== 0) {
                b |= 0x80;
            }
            out.push(b);
        } while (n !== 0);
        return Buffer.from(out);
    };
    const payload = Buffer.concat([leb(Buffer.byteLength(name)), Buffer.from(name), Buffer.from(content)]);
    return Buffer.concat([Buffer.from([0]), leb(payload.length), payload]);
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("team: a contract team's accounts, permissions, contract and setup actions in the stack", function () {
    this.timeout(40 * 60 * 1000);
    let t: TestStack;
    let rpc: JsonRpc;
    // The team's contract files live in a folder of the project, named by relative paths as a user would.
    let dir = "";
    let rel = "";
    const createAction = { name: "create", authorization: ["teamtoken@active"], data: { issuer: "teamtoken", maximum_supply: "1000000.0000 TEAM" } };
    const issueAction = (quantity: string) => ({ name: "issue", authorization: ["teamtoken@issuer"], data: { to: "teamtoken", quantity, memo: "team setup" } });
    const teamToken = (actions: object[] = [createAction, issueAction("1000.0000 TEAM")]) => ({
        name: "teamtoken",
        // CPU/NET in proportion to the voters' 200M: a contract account needs a real share to set code.
        ram: "10.0000 SYS", cpu: "10000.0000 SYS", net: "10000.0000 SYS",
        permissions: [{ name: "issuer", threshold: 2, keys: [{ weight: 1 }, { weight: 1 }] }],
        links: [{ action: "issue", permission: "issuer" }],
        contract: { wasm: `${rel}/token.wasm`, abi: `${rel}/token.abi` },
        actions,
    });
    const setTeam = (team: object[]) => t.stack.setConfig("eos-network:teamAccounts", { value: JSON.stringify(team) });
    const cleos = (...args: string[]) => execFileSync("docker", ["exec", `eosnet-${t.name}-boot`, "cleos", "-u", "http://127.0.0.1:8888", ...args], { encoding: "utf8" });

    before(async () => {
        assertToolchain();
        t = await newTestStack({
            node: { image: NODE_IMAGE },
            bootNode: { httpPort: await freePort() },
            producers: [{ name: "produceraaaa", httpPort: await freePort() }],
            accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa"] }],
        });
        rel = path.join(".eosnet", `team-${t.name}`);
        dir = path.join(ROOT, rel);
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(`${TOKEN_BUILD}.wasm`, path.join(dir, "token.wasm"));
        fs.copyFileSync(`${TOKEN_BUILD}.abi`, path.join(dir, "token.abi"));
    });

    after(async () => {
        try {
            if (t) {
                await t.cleanup();
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses bad team config in preview, naming the path, with nothing created", async () => {
        const bad: [string, object[], string][] = [
            ["unknown permission in an action's authorization",
                [teamToken([createAction, { ...issueAction("1.0000 TEAM"), authorization: ["teamtoken@minter"] }])],
                "eos-network:teamAccounts[0].actions[1].authorization[0]: teamtoken has no permission minter (owner, active, or one in teamAccounts[0].permissions)"],
            ["wasm path missing",
                [{ ...teamToken(), contract: { wasm: `${rel}/missing.wasm`, abi: `${rel}/token.abi` } }],
                `eos-network:teamAccounts[0].contract.wasm: ${path.join(dir, "missing.wasm")} does not exist (relative paths are read from the project folder ${ROOT})`],
            ["setup action on an account without a contract",
                [teamToken(), { name: "teamusers", funds: "10.0000 SYS", actions: [{ name: "init", authorization: ["teamusers@active"] }] }],
                "eos-network:teamAccounts[1].actions: teamusers has no contract (teamAccounts[1].contract): setup actions run on the account's own contract"],
        ];
        for (const [label, team, expected] of bad) {
            await setTeam(team);
            const message = await previewRefusal(t.stack, {}, label);
            assert.ok(message.includes(expected), `${label}: the preview did not refuse with "${expected}"; it said:\n${message.slice(-2000)}`);
        }
        const state = await t.stack.exportStack();
        assert.deepEqual(state.deployment.resources ?? [], [], "nothing is in the state");
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });

    it("boots with the team set up: code hash, two-key permission, link and token supply on the chain; eosio resigned", async () => {
        await setTeam([teamToken()]);
        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        rpc = chainRpc(res.outputs.httpEndpoint.value);

        // Through the image's cleos.
        assert.match(cleos("get", "code", "teamtoken"), new RegExp(`code hash: ${sha256(path.join(dir, "token.wasm"))}`));
        const account = JSON.parse(cleos("get", "account", "teamtoken", "-j"));
        const issuer = account.permissions.find((p: { perm_name: string }) => p.perm_name === "issuer");
        assert.ok(issuer, `no issuer permission: ${JSON.stringify(account.permissions)}`);
        assert.equal(issuer.parent, "active");
        assert.equal(issuer.required_auth.threshold, 2);
        const keys = await stackKeys(t);
        const { PrivateKey, PublicKey } = await import("eosjs/dist/eosjs-key-conversions");
        const pub = (priv: string) => PrivateKey.fromString(priv).getPublicKey().toLegacyString();
        assert.deepEqual(
            issuer.required_auth.keys.map((k: { key: string; weight: number }) => `${PublicKey.fromString(k.key).toLegacyString()}/${k.weight}`).sort(),
            [pub(keys.get("teamtoken-issuer-0")!), pub(keys.get("teamtoken-issuer-1")!)].map((k) => `${k}/1`).sort(),
            "the two generated keys, weight 1 each",
        );
        const stats = JSON.parse(cleos("get", "currency", "stats", "teamtoken", "TEAM"));
        assert.deepEqual(stats.TEAM, { supply: "1000.0000 TEAM", max_supply: "1000000.0000 TEAM", issuer: "teamtoken" });

        // Through eosjs: the link, and who controls eosio.
        const viaEosjs = (await rpc.get_account("teamtoken")) as { permissions: { perm_name: string; linked_actions?: { account: string; action?: string }[] }[] };
        const linked = viaEosjs.permissions.find((p) => p.perm_name === "issuer")?.linked_actions ?? [];
        assert.deepEqual(linked, [{ account: "teamtoken", action: "issue" }]);
        const eosio = (await rpc.get_account("eosio")) as { permissions: { perm_name: string; required_auth: { accounts: { permission: { actor: string } }[] } }[] };
        assert.equal(eosio.permissions.find((p) => p.perm_name === "owner")!.required_auth.accounts[0]?.permission.actor, "eosio.prods", "eosio has resigned");
    });

    it("a second up changes nothing (setup actions do not run again)", async () => {
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
        const stats = JSON.parse(cleos("get", "currency", "stats", "teamtoken", "TEAM"));
        assert.equal(stats.TEAM.supply, "1000.0000 TEAM");
    });

    it("a changed wasm shows in preview as an update with both hashes, and up sets it with the team's key on the resigned chain", async () => {
        const wasm = path.join(dir, "token.wasm");
        const before = sha256(wasm);
        fs.appendFileSync(wasm, customSection("eosnet-test", "v2"));
        const after = sha256(wasm);
        const preview = await t.stack.preview({ refresh: true, diff: true });
        assert.match(preview.stdout, /eosnet-contract-teamtoken[\s\S]*?codeHash/, preview.stdout.slice(-3000));
        assert.ok(preview.stdout.includes(before) && preview.stdout.includes(after), "the preview shows the hash before and after");
        assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));

        await t.stack.up({ refresh: true, onOutput: progress });
        assert.match(cleos("get", "code", "teamtoken"), new RegExp(`code hash: ${after}`));
        // The contract still works: the token is there and the account can act with it.
        const stats = JSON.parse(cleos("get", "currency", "stats", "teamtoken", "TEAM"));
        assert.equal(stats.TEAM.supply, "1000.0000 TEAM");
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("changed action data: preview says it runs again and why, up runs it once more", async () => {
        await setTeam([teamToken([createAction, issueAction("500.0000 TEAM")])]);
        const preview = await t.stack.preview({ refresh: true, diff: true });
        assert.match(preview.stdout, /eosnet-action-teamtoken-issue[\s\S]*?data/, preview.stdout.slice(-3000));
        // With --diff the CLI prints the provider's messages on stderr.
        assert.match(preview.stdout + preview.stderr, /eos-network:teamAccounts\[0\]\.actions\[1\]: teamtoken::issue will run again: its data changed \(digest [0-9a-f]{12} -> [0-9a-f]{12}\)/);
        assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
        await t.stack.up({ refresh: true, onOutput: progress });
        const stats = JSON.parse(cleos("get", "currency", "stats", "teamtoken", "TEAM"));
        assert.equal(stats.TEAM.supply, "1500.0000 TEAM", "issue ran once more, with the new data");
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("a failing action names its config path and the chain's message", async () => {
        const overdraw = { name: "transfer", authorization: ["teamtoken@active"], data: { from: "teamtoken", to: "voteraaaaaaa", quantity: "999999.0000 TEAM", memo: "" } };
        await setTeam([teamToken([createAction, issueAction("500.0000 TEAM"), overdraw])]);
        let message = "";
        try {
            await t.stack.up({ refresh: true, onOutput: progress });
        } catch (e) {
            message = String((e as Error).message);
        }
        assert.match(message, /eos-network:teamAccounts\[0\]\.actions\[2\]: teamtoken::transfer failed: .*overdrawn balance/);
        await setTeam([teamToken([createAction, issueAction("500.0000 TEAM")])]);
        await t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });
    });

    it("destroy leaves no container, volume or network", async () => {
        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
