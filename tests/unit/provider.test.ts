// The eosnet provider's pure parts: the typed boundary (check failures, secrets in and out), the
// provider configuration (kept keys, a new chain id replaces), diffs that name drifted fields,
// docker API version negotiation, and the package schema.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EosnetProvider, typeOfUrn } from "../../provider/provider";
import { checkProviderConfig, diffProviderConfig } from "../../provider/config";
import { isSecretValue, secretValue, unwrapSecrets, UNKNOWN } from "../../provider/secrets";
import { connectionOptions, demuxLogs, negotiateApiVersion, tar } from "../../provider/docker/engine";
import { isTransientCpuFailure } from "../../provider/chain/client";
import { convergeActions } from "../../provider/chain/account";
import { MODULES } from "../../provider/registry";
import { TYPES } from "../../sdk/types";

const PRIV = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
const PUB = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";
const PUB_B = "EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ";
const urn = (type: string) => `urn:pulumi:dev::eos-network::eosnet:index:Network$${type}::x`;
const quiet = { log: () => undefined };

describe("eosnet provider: the typed boundary", () => {
    const provider = new EosnetProvider("0.0.0-test", quiet);

    it("finds the type token in a URN with parents", () => {
        assert.equal(typeOfUrn(urn(TYPES.vote)), "eosnet:chain:Vote");
    });

    it("serves every type the program declares, and nothing else", () => {
        assert.deepEqual([...MODULES.keys()].sort(), Object.values(TYPES).sort());
    });

    it("reports schema violations per property, before anything is done", async () => {
        const r = await provider.check(urn(TYPES.vote), {}, { voter: "voteraaaaaaa", producers: "produceraaaa" });
        assert.deepEqual(r.failures, [{ property: "producers", reason: "Expected array, received string" }]);
        const r2 = await provider.check(urn(TYPES.vote), {}, { voter: "voteraaaaaaa", producers: ["b", "a"], proxy: "p" });
        assert.deepEqual(r2.failures, [{ property: "proxy", reason: "a voter votes for producers or through a proxy, not both" }]);
    });

    it("passes values unknown in preview through unchecked", async () => {
        const news = { voter: "voteraaaaaaa", producers: UNKNOWN };
        assert.deepEqual(await provider.check(urn(TYPES.vote), {}, news), { inputs: news });
    });

    it("generates a key pair in check, keeps it from the old inputs, and returns the private key as a secret", async () => {
        const first = await provider.check(urn(TYPES.keyPair), {}, { purpose: "producer a" });
        assert.ok(isSecretValue(first.inputs.privateKey), "the private key leaves the provider wrapped as a secret");
        assert.match(first.inputs.publicKey, /^EOS/);
        const again = await provider.check(urn(TYPES.keyPair), first.inputs, { purpose: "producer a" });
        assert.deepEqual(again.inputs, first.inputs, "the same key on every later check");
        const other = await provider.check(urn(TYPES.keyPair), first.inputs, { purpose: "producer b" });
        assert.notEqual(other.inputs.publicKey, first.inputs.publicKey, "a new purpose makes a new key");
        const created = await provider.create(urn(TYPES.keyPair), first.inputs);
        assert.equal(created.id, first.inputs.publicKey);
        assert.ok(isSecretValue(created.outs.privateKey));
    });

    it("unwraps secrets deeply and tells which properties held one", () => {
        const v = { a: secretValue(["k"]), b: [1, { c: secretValue("s") }] };
        assert.deepEqual(unwrapSecrets(v), { value: { a: ["k"], b: [1, { c: "s" }] }, secret: true });
    });
});

describe("eosnet provider configuration", () => {
    it("keeps keys it held before, so it can sign a rotation away from them, and keeps them secret", () => {
        const r = checkProviderConfig({ keys: secretValue(["old"]) }, { endpoint: "http://127.0.0.1:8888", keys: secretValue(["new"]) });
        assert.deepEqual(r.failures, []);
        assert.ok(isSecretValue(r.inputs.keys));
        assert.deepEqual(unwrapSecrets(r.inputs.keys).value, ["new", "old"]);
    });

    it("refuses a malformed chain id, naming the field", () => {
        const r = checkProviderConfig({}, { chainId: "abc" });
        assert.deepEqual(r.failures, [{ property: "chainId", reason: "a chain id is 64 hex digits" }]);
    });

    it("replaces everything on a new chain id, and only updates for new keys or endpoint", () => {
        const a = "a".repeat(64);
        const b = "b".repeat(64);
        assert.deepEqual(diffProviderConfig({ chainId: a }, { chainId: b }), { changed: ["chainId"], replaces: ["chainId"] });
        assert.deepEqual(diffProviderConfig({ chainId: a, keys: secretValue(["1"]) }, { chainId: a, keys: secretValue(["1", "2"]) }), { changed: ["keys"], replaces: [] });
        assert.deepEqual(diffProviderConfig({ chainId: a }, { chainId: a }), { changed: [], replaces: [] });
    });
});

describe("diffs name the drifted field", () => {
    const provider = new EosnetProvider("0.0.0-test", quiet);

    it("vote: another client's vote is an update of producers", async () => {
        const d = await provider.diffDetailed("v", urn(TYPES.vote), { voter: "v", producers: ["a"], proxy: "" }, { voter: "v", producers: ["a", "b"], proxy: "" });
        assert.deepEqual(d, { changes: true, replaces: [], changed: ["producers"] });
    });

    it("producer: an unregprod is an update of isActive", async () => {
        const olds = { producer: "p", producerKey: PUB, url: "u", location: 0, isActive: false, unpaidBlocks: 0, lastClaimTime: "" };
        const d = await provider.diffDetailed("p", urn(TYPES.producerRegistration), olds, { producer: "p", producerKey: PUB, url: "u", location: 0 });
        assert.deepEqual(d, { changes: true, replaces: [], changed: ["isActive"] });
    });

    it("container: a stopped node is an update, a new image a replacement", async () => {
        const inputs = {
            name: "n1", image: "img:1", network: "net", aliases: ["n1"], httpPort: 8888, httpBindAddress: "127.0.0.1", volume: "v", labels: {},
            genesis: "{}", settings: { producerNames: [], enableStaleProduction: false, peers: [], p2pServerAddress: "n1:9876", chainStateDbSizeMb: 64, maxTransactionTimeMs: 30, agentName: "n1", extraConfig: [] },
            signingKeys: [], startTimeoutSeconds: 10, running: true, configDigest: "d",
        };
        const olds = { ...inputs, containerId: "c", imageId: "i", restartPolicy: "unless-stopped", httpEndpoint: "http://127.0.0.1:8888" };
        const stopped = await provider.diffDetailed("c", urn(TYPES.nodeosContainer), { ...olds, running: false }, inputs);
        assert.deepEqual(stopped, { changes: true, replaces: [], changed: ["running"], deleteBeforeReplace: true });
        const newImage = await provider.diffDetailed("c", urn(TYPES.nodeosContainer), olds, { ...inputs, image: "img:2" });
        assert.deepEqual(newImage?.replaces, ["image"]);
        const same = await provider.diffDetailed("c", urn(TYPES.nodeosContainer), olds, inputs);
        assert.equal(same?.changes, false);
    });

    it("account: keys and stake converge with updateauth and delegatebw/undelegatebw signed by the account", () => {
        const desired = { name: "a", creator: "eosio", ownerKey: PUB, activeKey: PUB, ram: "0.1000 SYS", cpu: "10.0000 SYS", net: "10.0000 SYS", liquid: "", manageKeys: true };
        const now = { ...desired, ownerKey: PUB_B, activeKey: PUB, cpu: "4.0000 SYS", net: "12.0000 SYS", ramBytes: 3000, balance: "100.0000 SYS" };
        const actions = convergeActions(now, desired);
        assert.deepEqual(actions.map((a) => a.name), ["updateauth", "delegatebw", "undelegatebw"]);
        assert.deepEqual((actions[1].data as any).stake_cpu_quantity, "6.0000 SYS");
        assert.deepEqual((actions[2].data as any).unstake_net_quantity, "2.0000 SYS");
        assert.ok(actions.every((a) => a.authorization[0].actor === "a"));
        assert.deepEqual(convergeActions({ ...now, ownerKey: PUB_B }, { ...desired, manageKeys: false, cpu: "4.0000 SYS", net: "12.0000 SYS" }), [],
            "accounts handed over to another authority keep it");
    });
});

describe("docker engine access", () => {
    it("negotiates the highest API version both sides speak", () => {
        assert.equal(negotiateApiVersion("1.41"), "1.41"); // Engine 20.10
        assert.equal(negotiateApiVersion("1.52", "1.44"), "1.47"); // Engine 29: refuses below 1.44
        assert.throws(() => negotiateApiVersion("1.40"), /needs 1.41 or later/);
        assert.throws(() => negotiateApiVersion("1.60", "1.50"), /needs API 1.50 or later/);
    });

    it("reads unix, TLS and ssh engine addresses", () => {
        assert.deepEqual(connectionOptions("unix:///run/docker.sock").options, { socketPath: "/run/docker.sock", timeout: 60_000 });
        const certs = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-certs-"));
        for (const f of ["ca.pem", "cert.pem", "key.pem"]) {
            fs.writeFileSync(path.join(certs, f), f);
        }
        process.env.DOCKER_CERT_PATH = certs;
        try {
            const tls = connectionOptions("tcp://10.0.0.5:2376").options as any;
            assert.equal(tls.protocol, "https");
            assert.equal(tls.port, 2376);
            assert.equal(String(tls.ca), "ca.pem");
        } finally {
            delete process.env.DOCKER_CERT_PATH;
            fs.rmSync(certs, { recursive: true });
        }
        assert.deepEqual(connectionOptions("ssh://ops@builder").options, { protocol: "ssh", host: "builder", port: 22, username: "ops", sshOptions: { readyTimeout: 20_000 } });
        assert.throws(() => connectionOptions("ftp://x"), /not understood/);
    });

    it("takes a host's TLS material and ssh key from the provider's configuration, over DOCKER_CERT_PATH", () => {
        process.env.DOCKER_CERT_PATH = "/nonexistent";
        try {
            const { options, label } = connectionOptions("tcp://10.0.0.5:2376", { hostName: "h1", tlsCa: "CA", tlsCert: "CERT", tlsKey: "KEY" });
            assert.deepEqual(options, { protocol: "https", host: "10.0.0.5", port: 2376, timeout: 60_000, ca: "CA", cert: "CERT", key: "KEY" });
            assert.equal(label, "host h1 (tcp://10.0.0.5:2376)");
        } finally {
            delete process.env.DOCKER_CERT_PATH;
        }
        assert.equal((connectionOptions("tcp://10.0.0.5:2375").options as any).protocol, "http");
        const key = Buffer.from("the host key");
        const ssh = connectionOptions("ssh://root@10.0.0.6:2222", { sshKey: "PEM", sshHostKey: `ssh-ed25519 ${key.toString("base64")} root@h4` }).options as any;
        assert.equal(ssh.port, 2222);
        assert.equal(ssh.sshOptions.privateKey, "PEM");
        assert.equal(ssh.sshOptions.hostVerifier(key), true);
        assert.equal(ssh.sshOptions.hostVerifier(Buffer.from("another key")), false);
    });

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

    it("resends only transactions the chain rejected for time limits", () => {
        assert.ok(isTransientCpuFailure("transaction abc was executing for too long 159223us reached on chain max_transaction_cpu_usage 150000us"));
        assert.ok(isTransientCpuFailure("deadline exceeded 30000us"));
        assert.ok(!isTransientCpuFailure("missing authority of eosio"));
        assert.ok(!isTransientCpuFailure("overdrawn balance"));
    });
});

describe("package schema", () => {
    it("lists every resource with typed inputs and outputs, the private key marked secret", async () => {
        const schema = JSON.parse(await new EosnetProvider("1.2.3", quiet).getSchema());
        assert.equal(schema.name, "eosnet");
        assert.equal(schema.version, "1.2.3");
        assert.deepEqual(Object.keys(schema.resources).sort(), Object.values(TYPES).sort());
        const account = schema.resources[TYPES.account];
        assert.equal(account.inputProperties.name.type, "string");
        assert.ok(account.requiredInputs.includes("name"));
        assert.equal(account.properties.ramBytes.type, "integer");
        assert.equal(schema.resources[TYPES.keyPair].properties.privateKey.secret, true);
        assert.equal(schema.provider.inputProperties.keys.secret, true);
        const settings = schema.resources[TYPES.nodeosContainer].inputProperties.settings.$ref;
        assert.ok(schema.types[settings.replace("#/types/", "")], "nested objects are named types");
    });
});

describe("eosio.msig proposals", () => {
    const { proposalName } = require("../../provider/chain/msig") as typeof import("../../provider/chain/msig");
    it("are named by what they change: a valid account name, the same on a retry", () => {
        const name = proposalName(`eosio${"ab".repeat(32)}`);
        assert.match(name, /^[a-z1-5]{12}$/);
        assert.equal(proposalName(`eosio${"ab".repeat(32)}`), name);
        assert.notEqual(proposalName(`eosio${"cd".repeat(32)}`), name);
    });
});

describe("provider: the diff response the engine gets", () => {
    it("paths below a property (accounts.<name>) replace the property in the detailed diff, each with its kind", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { diffResponse } = require("../../provider/main") as typeof import("../../provider/main");
        const resp = diffResponse(true, ["total", "accounts"], [], false, { "accounts.stakeaaaaaaa": "add", "accounts.stakeaaaaaab": "update", "accounts.stakeaaaaaac": "delete" });
        const detailed: Record<string, number> = {};
        resp.getDetaileddiffMap().forEach((v: { getKind(): number }, k: string) => void (detailed[k] = v.getKind()));
        // PropertyDiff.Kind: ADD 0, DELETE 2, UPDATE 4.
        assert.deepEqual(detailed, { total: 4, "accounts.stakeaaaaaaa": 0, "accounts.stakeaaaaaab": 4, "accounts.stakeaaaaaac": 2 });
        assert.deepEqual(resp.getDiffsList(), ["total", "accounts"]);
    });
});
