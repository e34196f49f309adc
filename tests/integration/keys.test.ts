// Keys given with `pulumi config set --secret` are used instead of generated ones, and stay secret.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertToolchain, freePort, leftovers, newTestStack, NODE_IMAGE, progress, TestStack } from "./harness";

describe("configured keys: eos-network:keys (secret)", function () {
    this.timeout(15 * 60 * 1000);
    let t: TestStack;
    let privateKey = "";
    let publicKey = "";

    before(async () => {
        assertToolchain();
        const { generateKeyPair } = await import("eosjs/dist/eosjs-key-conversions");
        const { KeyType } = await import("eosjs/dist/eosjs-numeric");
        const pair = generateKeyPair(KeyType.k1, { secureEnv: true });
        privateKey = pair.privateKey.toLegacyString();
        publicKey = pair.publicKey.toLegacyString();
        t = await newTestStack({ node: { image: NODE_IMAGE }, bootNode: { httpPort: await freePort() } });
        await t.stack.setConfig("eos-network:keys", { value: JSON.stringify({ eosio: privateKey }), secret: true });
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
    });

    it("boots with the configured eosio key and keeps it out of plain state, stack file and docker", async () => {
        const res = await t.stack.up({ onOutput: progress });
        assert.equal(res.outputs.bootPublicKey.value, publicKey);
        const info = await (await fetch(`${res.outputs.httpEndpoint.value}/v1/chain/get_account`, { method: "POST", body: JSON.stringify({ account_name: "eosio.token" }) })).json();
        assert.equal(info.permissions.find((p: any) => p.perm_name === "active").required_auth.keys[0].key, publicKey);

        const places = [
            fs.readFileSync(path.join(t.stack.workspace.workDir, ".eosnet", "stacks", `Pulumi.${t.name}.yaml`), "utf8"),
            execFileSync("docker", ["inspect", `eosnet-${t.name}-boot`], { encoding: "utf8" }),
            ...(fs.readdirSync(t.backendDir, { recursive: true }) as string[])
                .map((f) => path.join(t.backendDir, f))
                .filter((f) => fs.statSync(f).isFile())
                .map((f) => fs.readFileSync(f, "utf8")),
        ];
        for (const text of places) {
            assert.ok(!text.includes(privateKey), "configured private key found in plain text");
        }
        assert.ok(places.length > 2, "the backend must hold state files to check");
        await t.stack.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] });
    });
});
