// The project used from another Pulumi program: examples/team-contract boots a dev network with the
// Network component and adds its own account, contract and setup action. Run through the Automation
// API in that folder, checked on the chain with eosjs called here.
import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { assertToolchain, chainRpc, freePort, leftovers, NODE_IMAGE, progress, ROOT } from "./harness";

const WORK_DIR = path.join(ROOT, "examples", "team-contract");
const PROJECT = "eosnet-example-team";
const TOKEN_WASM = path.join(ROOT, ".eosnet", "contracts", "eosio.token", "eosio.token.wasm");

describe("examples/team-contract: another program imports the Network component and adds its own account and contract", function () {
    this.timeout(20 * 60 * 1000);
    const name = `itest-${crypto.randomBytes(3).toString("hex")}`;
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-example-backend-"));
    let stack: Stack | undefined;

    before(async () => {
        assertToolchain();
        stack = await LocalWorkspace.createStack({ stackName: name, workDir: WORK_DIR }, {
            envVars: {
                PULUMI_BACKEND_URL: `file://${backendDir}`,
                PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(16).toString("hex"),
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            },
        });
        await stack.setConfig(`${PROJECT}:httpPort`, { value: String(await freePort()) });
        await stack.setConfig(`${PROJECT}:image`, { value: NODE_IMAGE });
    });

    after(async () => {
        try {
            if (stack) {
                await stack.destroy();
                await stack.workspace.removeStack(name);
            }
        } finally {
            fs.rmSync(path.join(WORK_DIR, `Pulumi.${name}.yaml`), { force: true });
            fs.rmSync(backendDir, { recursive: true, force: true });
        }
    });

    it("boots the network, sets the program's contract on its account and runs its setup action; a second up changes nothing; destroy leaves nothing", async () => {
        const res = await stack!.up({ onOutput: progress });
        assert.equal(res.summary.result, "succeeded");
        const rpc = chainRpc(res.outputs.httpEndpoint.value);
        assert.equal((await rpc.get_info()).chain_id, res.outputs.chainId.value);

        const code = (await rpc.fetch("/v1/chain/get_code_hash", { account_name: "hello" })) as { code_hash: string };
        assert.equal(code.code_hash, crypto.createHash("sha256").update(fs.readFileSync(TOKEN_WASM)).digest("hex"), "the program's contract is on its account");
        const stats = (await rpc.fetch("/v1/chain/get_currency_stats", { code: "hello", symbol: "HI" })) as Record<string, { max_supply: string; issuer: string }>;
        assert.deepEqual([stats.HI?.max_supply, stats.HI?.issuer], ["1000000.0000 HI", "hello"], "the program's setup action ran");
        const hello = (await rpc.get_account("hello")) as { permissions: { perm_name: string; required_auth: { keys: { key: string }[] } }[] };
        assert.equal(hello.permissions.find((p) => p.perm_name === "active")!.required_auth.keys.length, 1, "the account has its own key");

        await stack!.up({ refresh: true, expectNoChanges: true, onOutput: progress });
        await stack!.destroy({ onOutput: progress });
        assert.deepEqual(await leftovers(`${PROJECT}/${name}`), { containers: [], volumes: [], networks: [] });
    });
});
