import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nodeCommand, nodeHealthcheck, renderConfigIni, renderGenesis } from "../../components/node";
import { tar } from "../../providers/docker/engine";
import { changedKeys, demuxLogs, filesDigest } from "../../providers/docker/resources";

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
    it("puts keys, producers and peers in config.ini", () => {
        const ini = renderConfigIni(settings, [key]);
        assert.ok(ini.includes(`signature-provider = ${key.publicKey}=KEY:${key.privateKey}\n`));
        assert.ok(ini.includes("producer-name = eosio\n"));
        assert.equal(ini.match(/^p2p-peer-address = /gm)?.length, 2);
        assert.ok(ini.includes("enable-stale-production = true\n"));
        assert.ok(ini.includes("max-transaction-time = 200\n"));
    });

    it("never puts a key on the command line or in the healthcheck", () => {
        const visible = [...nodeCommand(), ...nodeHealthcheck()].join(" ");
        assert.ok(!visible.includes(key.privateKey));
        assert.ok(!/KEY:|signature-provider/.test(visible));
    });

    it("renders a genesis with the initial key and timestamp", () => {
        const g = JSON.parse(renderGenesis("2026-01-01T00:00:00.000", key.publicKey));
        assert.equal(g.initial_key, key.publicKey);
        assert.equal(g.initial_timestamp, "2026-01-01T00:00:00.000");
        assert.equal(g.initial_configuration.max_authority_depth, 6);
    });
});

describe("docker provider helpers", () => {
    it("builds a tar archive that tar(1) reads back byte for byte", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-tar-"));
        const archive = path.join(dir, "a.tar");
        fs.writeFileSync(archive, tar([
            { path: "/eos/config/config.ini", content: "a = 1\n", mode: 0o600 },
            { path: "/eos/config/genesis.json", content: "x".repeat(1000), mode: 0o644 },
        ]));
        execFileSync("tar", ["-xf", archive, "-C", dir]);
        assert.equal(fs.readFileSync(path.join(dir, "eos/config/config.ini"), "utf8"), "a = 1\n");
        assert.equal(fs.readFileSync(path.join(dir, "eos/config/genesis.json"), "utf8"), "x".repeat(1000));
        assert.equal(fs.statSync(path.join(dir, "eos/config/config.ini")).mode & 0o777, 0o600);
        fs.rmSync(dir, { recursive: true });
    });

    it("reports exactly the changed inputs, whatever the key order", () => {
        const olds = { image: "a", labels: { x: "1", y: "2" }, ports: [{ hostPort: 1 }] };
        assert.deepEqual(changedKeys(olds, { image: "a", labels: { y: "2", x: "1" }, ports: [{ hostPort: 1 }] }, ["image", "labels", "ports"]), []);
        assert.deepEqual(changedKeys(olds, { image: "b", labels: { x: "1", y: "2" }, ports: [{ hostPort: 2 }] }, ["image", "labels", "ports"]), ["image", "ports"]);
    });

    it("digests files so a changed key shows as a change without storing the content", () => {
        const a = filesDigest([{ path: "/c", content: "k1", mode: 0o600 }]);
        assert.equal(a, filesDigest([{ path: "/c", content: "k1", mode: 0o600 }]));
        assert.notEqual(a, filesDigest([{ path: "/c", content: "k2", mode: 0o600 }]));
        assert.ok(!a.includes("k1"));
    });

    it("demultiplexes the engine's log frames", () => {
        const frame = (stream: number, text: string) => {
            const h = Buffer.alloc(8);
            h[0] = stream;
            h.writeUInt32BE(Buffer.byteLength(text), 4);
            return Buffer.concat([h, Buffer.from(text)]);
        };
        assert.equal(demuxLogs(Buffer.concat([frame(1, "out\n"), frame(2, "err\n")])), "out\nerr\n");
        assert.equal(demuxLogs("plain text"), "plain text");
    });
});

describe("genesis CPU limits and transient failures", () => {
    const { isTransientCpuFailure } = require("../../providers/chain/client") as typeof import("../../providers/chain/client");

    it("writes configured CPU limits and refuses a transaction limit above the block's", () => {
        const g = JSON.parse(renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 450000, maxTransactionCpuUsageUs: 400000 }));
        assert.equal(g.initial_configuration.max_block_cpu_usage, 450000);
        assert.equal(g.initial_configuration.max_transaction_cpu_usage, 400000);
        assert.throws(() => renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 1000, maxTransactionCpuUsageUs: 2000 }), /maxTransactionCpuUsageUs must be below/);
    });

    it("retries only time-limit failures", () => {
        assert.ok(isTransientCpuFailure("transaction abc was executing for too long 159223us reached on chain max_transaction_cpu_usage 150000us"));
        assert.ok(isTransientCpuFailure("deadline exceeded 30000us"));
        assert.ok(!isTransientCpuFailure("missing authority of eosio"));
        assert.ok(!isTransientCpuFailure("overdrawn balance"));
    });
});

describe("docker network and volume providers (check/diff)", () => {
    const { networkProvider, volumeProvider } = require("../../providers/docker/resources") as typeof import("../../providers/docker/resources");

    it("reject invalid names and replace on any change", async () => {
        for (const [kind, p] of [["network", networkProvider], ["volume", volumeProvider]] as const) {
            const bad = await p.check!({}, { name: "-bad name", labels: {} });
            assert.deepEqual(bad.failures, [{ property: "name", reason: `invalid docker ${kind} name '-bad name'` }]);
            const ok = await p.check!({}, { name: "eosnet-dev-net" });
            assert.deepEqual(ok.failures, []);
            assert.deepEqual(ok.inputs, { name: "eosnet-dev-net", labels: {} });
            const same = await p.diff!("id", { name: "a1", labels: { x: "1" } }, { name: "a1", labels: { x: "1" } });
            assert.equal(same.changes, false);
            const changed = await p.diff!("id", { name: "a1", labels: { x: "1" } }, { name: "a1", labels: { x: "2" } });
            assert.deepEqual(changed.replaces, ["labels"]);
        }
    });
});
