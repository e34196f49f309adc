// Nodes on Kubernetes: a 4-producer network whose nodes run as workloads of a real one-node cluster
// made on this machine (scripts/cluster: Kubernetes built from the Go module proxy, containerd, CNI,
// the official Pulumi Kubernetes provider plugin). Checked with the node image's cleos inside the
// pods and over the NodePorts; drift made with kubectl; keys looked for in every object's YAML.
import { strict as assert } from "assert";
import { execFile, execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JsonRpc } from "eosjs";
import { assertToolchain, chainRpc, freePort, leftovers, newTestStack, NODE_IMAGE, PRODUCERS, progress, ROOT, signersSince, stackKeys, statusOf, TestStack } from "../integration/harness";

const CLUSTER = path.join(ROOT, "scripts", "cluster");
const POLICY_PACK = path.join(ROOT, "policies");
/** The cluster node's address (scripts/cluster/up.sh): its NodePorts answer there. */
const NODE_ADDRESS = "10.241.0.2";
/** As scripts/cluster/lib/common.sh finds the cache. */
const K8S_CACHE = process.env.EOSNET_K8S_CACHE ?? path.join(process.env.EOSNET_CACHE ?? path.join(process.env.HOME ?? "/root", ".cache", "eos-network"), "k8s");
const KUBECTL = path.join(K8S_CACHE, "bin", "kubectl");

/** kubectl on the test cluster, in one namespace. */
function kubectlIn(kubeconfig: () => string, namespace: string) {
    return (...args: string[]): Promise<string> => new Promise((resolve, reject) =>
        execFile(KUBECTL, ["--kubeconfig", kubeconfig(), "-n", namespace, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
            err ? reject(new Error(`kubectl ${args.join(" ")}: ${stderr || err.message}`)) : resolve(stdout)));
}

/** Every private key of the stack: in none of the texts (plain or in base64 at any alignment). */
async function noKeyIn(t: TestStack, texts: string[]): Promise<number> {
    const keys = [...(await stackKeys(t)).values()];
    const places = [
        ...texts,
        fs.readFileSync(path.join(ROOT, ".eosnet", "stacks", `Pulumi.${t.name}.yaml`), "utf8"),
        ...(fs.readdirSync(t.backendDir, { recursive: true }) as string[]).map((f) => path.join(t.backendDir, f))
            .filter((f) => fs.statSync(f).isFile()).map((f) => fs.readFileSync(f, "utf8")),
    ];
    const encodings = (key: string) => [0, 1, 2].map((i) => Buffer.from(key.slice(i)).toString("base64").slice(4, -4));
    for (const [i, key] of keys.entries()) {
        for (const text of places) {
            assert.ok(!text.includes(key) && !encodings(key).some((b) => text.includes(b)), `key ${i} found outside a Secret`);
        }
    }
    return keys.length;
}

/** Waits until LIB passes where it was, seen over `rpc`, failing when it stays put for 3 rounds. */
async function libMoves(rpc: JsonRpc): Promise<void> {
    const start = await rpc.get_info();
    for (let now = start; now.last_irreversible_block_num <= start.last_irreversible_block_num; now = await rpc.get_info()) {
        assert.ok(now.head_block_num < start.head_block_num + 3 * 12 * PRODUCERS.length, `LIB stuck at ${now.last_irreversible_block_num}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

/** Every scheduled producer signs within two rounds, seen over `rpc`. */
async function everyProducerSignsAt(rpc: JsonRpc, what: string): Promise<void> {
    const start = await rpc.get_info();
    const seen = await signersSince(rpc, start.head_block_num + 1, PRODUCERS, 2 * 12 * PRODUCERS.length);
    assert.deepEqual([...seen].filter((p) => PRODUCERS.includes(p)).sort(), PRODUCERS, `${what}: every producer signs within two rounds`);
}

/** A test stack of the 4 producers and 2 voters for all of them, laid out as `layout` says, with cluster1's kubeconfig as its credentials. */
async function clusterTestStack(kubeconfig: string, layout: { hosts: unknown[]; bootNode?: unknown; producerHost?: string }): Promise<TestStack> {
    const t = await newTestStack({
        node: { image: NODE_IMAGE, startTimeoutSeconds: 60 },
        hosts: layout.hosts,
        ...(layout.bootNode ? { bootNode: layout.bootNode } : {}),
        producers: PRODUCERS.map((name) => ({ name, ...(layout.producerHost ? { host: layout.producerHost } : {}) })),
        accounts: [
            { name: "voteraaaaaaa", funds: "100000000.0000 SYS", votes: PRODUCERS },
            { name: "voterbbbbbbb", funds: "100000000.0000 SYS", votes: PRODUCERS },
        ],
    });
    await t.stack.setConfig("eos-network:hostCredentials", { value: JSON.stringify({ cluster1: { kubeconfig: fs.readFileSync(kubeconfig, "utf8") } }), secret: true });
    return t;
}

/** Destroys a test stack: nothing of it may be left in its namespace (claims included), then `alsoGone` is checked; the namespace goes either way. */
async function destroyInNamespace(t: TestStack | undefined, kubectl: (...args: string[]) => Promise<string>, namespace: string, alsoGone?: (t: TestStack) => Promise<void>): Promise<void> {
    try {
        if (t) {
            await t.cleanup();
            const left = (await kubectl("get", "statefulsets,pods,services,secrets,configmaps,persistentvolumeclaims", "-l", "io.eos-network.managed=true", "-o", "name")).trim();
            assert.equal(left, "", "nothing of the stack is left in the namespace");
            await alsoGone?.(t);
        }
    } finally {
        await kubectl("delete", "namespace", namespace, "--wait=true", "--timeout=120s").catch(() => undefined);
    }
}

describe("on Kubernetes: a real cluster made on this machine", function () {
    this.timeout(20 * 60 * 1000);
    let kubeconfig = "";

    before(function () {
        this.timeout(40 * 60 * 1000);
        assertToolchain();
        // Build (cached: seconds when done) and bring up the cluster; fails loudly when a part is missing.
        execFileSync("bash", [path.join(CLUSTER, "build.sh")], { stdio: ["ignore", "inherit", "inherit"] });
        kubeconfig = execFileSync("bash", [path.join(CLUSTER, "up.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop()!;
    });

    after(function () {
        this.timeout(5 * 60 * 1000);
        // The cluster is the test's own: nothing of it stays running (namespace, bridge, processes, mounts).
        execFileSync("bash", [path.join(CLUSTER, "down.sh")], { stdio: ["ignore", "inherit", "inherit"] });
    });

    describe("4 producers and the boot node as StatefulSets of the cluster", function () {
        let t: TestStack | undefined;
        const namespace = `eosnet-itest-${crypto.randomBytes(3).toString("hex")}`;
        const kubectl = kubectlIn(() => kubeconfig, namespace);
        const pod = (role: string) => `eosnet-${t!.name}-${role}-0`;
        const cleos = async (role: string, ...args: string[]) => JSON.parse(await kubectl("exec", pod(role), "-c", "nodeos", "--", "cleos", "-u", "http://127.0.0.1:8888", ...args));
        const rpc = (port: number) => chainRpc(`http://${NODE_ADDRESS}:${port}`);
        const bootRpc = () => rpc(30888);

        /** The node's pod exists again and is Ready (the StatefulSet controller makes it anew). */
        async function podReady(role: string, what: string): Promise<void> {
            const deadline = Date.now() + 180_000;
            for (;;) {
                const p = await kubectl("get", "pod", pod(role), "-o", "json").then((o) => JSON.parse(o), () => undefined);
                if (p?.status?.conditions?.some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True") && !p.metadata.deletionTimestamp) {
                    return;
                }
                assert.ok(Date.now() < deadline, `${what}: pod ${pod(role)} not ready after 3 minutes: ${JSON.stringify(p?.status?.containerStatuses ?? p?.status ?? "absent")}`);
                await new Promise((r) => setTimeout(r, 1000));
            }
        }

        const everyProducerSigns = (what: string) => everyProducerSignsAt(bootRpc(), what);

        /** The producer's pod started paused and its production gate resumed production once synced (its log says so). */
        async function gateResumed(role: string, what: string): Promise<void> {
            const deadline = Date.now() + 120_000;
            for (;;) {
                const log = await kubectl("logs", pod(role), "-c", "production-gate").catch((e) => String(e));
                if (/production is paused; the peers' LIB is [1-9]\d*[\s\S]*synced to block \d+: production resumed/.test(log)) {
                    return;
                }
                assert.ok(Date.now() < deadline, `${what}: the production gate of ${role} did not resume production within 2 minutes:\n${log}`);
                await new Promise((r) => setTimeout(r, 1000));
            }
        }

        before(async function () {
            await kubectl("create", "namespace", namespace);
            t = await clusterTestStack(kubeconfig, { hosts: [{ name: "cluster1", kubernetes: { namespace }, address: NODE_ADDRESS }] });
        });

        after(async function () {
            this.timeout(10 * 60 * 1000);
            await destroyInNamespace(t, kubectl, namespace);
        });

        it("one up boots the network in the cluster: cleos in the pods shows the schedule, LIB moves, every producer signs", async () => {
            const res = await t!.stack.up({ onOutput: progress, policyPacks: [POLICY_PACK] });
            assert.equal(res.summary.result, "succeeded");
            assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
            const chainId = res.outputs.chainId.value;
            // Each node is a StatefulSet of one replica, with its own claim and Service.
            const sets = JSON.parse(await kubectl("get", "statefulsets", "-l", "io.eos-network.managed=true", "-o", "json")).items;
            assert.equal(sets.length, 5);
            for (const s of sets) {
                assert.equal(s.spec.replicas, 1);
                assert.equal(s.status.readyReplicas, 1, `${s.metadata.name} ready`);
            }
            const claims = JSON.parse(await kubectl("get", "persistentvolumeclaims", "-o", "json")).items;
            assert.deepEqual(claims.map((c: any) => c.status.phase), Array(5).fill("Bound"));
            for (const role of ["boot", ...PRODUCERS]) {
                const info = await cleos(role, "get", "info");
                assert.equal(info.chain_id, chainId, `${role} follows this chain`);
            }
            const schedule = await cleos("producerdddd", "get", "schedule");
            assert.deepEqual(schedule.active.producers.map((p: { producer_name: string }) => p.producer_name).sort(), PRODUCERS);
            await libMoves(bootRpc());
            for (const p of PRODUCERS) {
                await gateResumed(p, "after the boot");
            }
            await everyProducerSigns("after the boot");
        });

        it("keeps every private key out of the objects' YAML (only the Secrets hold them), out of plain state and the stack file", async () => {
            const yaml = await kubectl("get", "statefulsets,pods,services,configmaps,persistentvolumeclaims,events", "-o", "yaml");
            const secrets = await kubectl("get", "secrets", "-l", "io.eos-network.managed=true", "-o", "json");
            assert.equal(await noKeyIn(t!, [yaml]), 7, "the boot key, 4 producers and 2 voters");
            // The nodes' keys are in their Secrets (config.ini, base64 in the API), one per node.
            const items = JSON.parse(secrets).items as { data: Record<string, string> }[];
            assert.equal(items.length, 5, "a Secret per node");
            const decoded = items.map((s) => Buffer.from(s.data["config.ini"], "base64").toString("utf8")).join("\n");
            assert.ok(PRODUCERS.every((p) => decoded.includes(`producer-name = ${p}`)), "each producer's node has its config");
            assert.equal((decoded.match(/^signature-provider = /gm) ?? []).length, 5, "one signing key per node");
        });

        it("a second up changes nothing", async () => {
            await t!.stack.up({ expectNoChanges: true, onOutput: progress, policyPacks: [POLICY_PACK] });
        });

        it("a pod deleted with kubectl comes back; the chain goes on and the producer signs again; up has nothing to do", async () => {
            const before = JSON.parse(await kubectl("get", "pod", pod("producerbbbb"), "-o", "json")).metadata.uid;
            await kubectl("delete", "pod", pod("producerbbbb"), "--wait=true");
            await podReady("producerbbbb", "after the pod was deleted");
            assert.notEqual(JSON.parse(await kubectl("get", "pod", pod("producerbbbb"), "-o", "json")).metadata.uid, before, "a new pod");
            // The new pod's nodeos started paused: the gate resumed it only once synced.
            await gateResumed("producerbbbb", "after the pod was deleted");
            await everyProducerSigns("after the pod was deleted");
            await t!.stack.up({ expectNoChanges: true, refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
        });

        it("a bad image stalls the rollout and up fails naming it; with the image fixed the next up recovers with no manual step", async () => {
            const node = { image: NODE_IMAGE, startTimeoutSeconds: 60 };
            await t!.stack.setConfig("eos-network:node", { value: JSON.stringify({ ...node, image: `${NODE_IMAGE}-missing` }) });
            const failed = await t!.stack.up({ onOutput: progress, policyPacks: [POLICY_PACK] }).then(() => "", (e) => String((e as Error).message));
            assert.match(failed, /StatefulSet|statefulset/, "up fails on the StatefulSets");
            assert.match(failed, /ErrImagePull|ImagePullBackOff|ErrImageNeverPull|unready|not ready|Unready/i, failed.slice(-3000));
            await t!.stack.setConfig("eos-network:node", { value: JSON.stringify(node) });
            await t!.stack.up({ onOutput: progress, policyPacks: [POLICY_PACK] });
            for (const role of ["boot", ...PRODUCERS]) {
                const p = JSON.parse(await kubectl("get", "pod", pod(role), "-o", "json"));
                assert.equal(p.spec.containers[0].image, NODE_IMAGE, `${role} runs the fixed image`);
            }
            await everyProducerSigns("after the bad image was fixed");
            await t!.stack.up({ expectNoChanges: true, onOutput: progress, policyPacks: [POLICY_PACK] });
        });

        it("the Secret and the ConfigMap edited with kubectl: a refreshed preview shows both, up puts them back", async () => {
            const obj = (suffix: string) => `eosnet-${t!.name}-producercccc-${suffix}`;
            const before = JSON.parse(await kubectl("get", "secret", obj("config"), "-o", "json")).data["config.ini"];
            await kubectl("patch", "secret", obj("config"), "--type=merge", "-p", JSON.stringify({ data: { "config.ini": Buffer.from("# edited by hand\n").toString("base64") } }));
            await kubectl("patch", "configmap", obj("genesis"), "--type=merge", "-p", JSON.stringify({ data: { "genesis.json": "{}" } }));
            const preview = await t!.stack.preview({ refresh: true, diff: true });
            // In place: neither object nor the node's StatefulSet is replaced (the running node's config is the desired one).
            assert.deepEqual([preview.changeSummary.update, preview.changeSummary.replace ?? 0], [2, 0], `preview updates both: ${JSON.stringify(preview.changeSummary)}`);
            assert.match(preview.stdout, /eosnet-node-producercccc-config/);
            assert.match(preview.stdout, /eosnet-node-producercccc-genesis/);
            await t!.stack.up({ refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
            assert.equal(JSON.parse(await kubectl("get", "secret", obj("config"), "-o", "json")).data["config.ini"], before, "config.ini as it was");
            assert.match(JSON.parse(await kubectl("get", "configmap", obj("genesis"), "-o", "json")).data["genesis.json"], /initial_key/);
            await everyProducerSigns("after the Secret and ConfigMap were repaired");
            await t!.stack.up({ expectNoChanges: true, refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
        });

        it("the Service and the StatefulSet deleted with kubectl: a refreshed preview makes them again, up does, the producer signs again", async () => {
            const name = `eosnet-${t!.name}-producerdddd`;
            await kubectl("delete", "service", name, "--wait=true");
            await kubectl("delete", "statefulset", name, "--wait=true");
            await kubectl("wait", "--for=delete", `pod/${pod("producerdddd")}`, "--timeout=180s").catch(() => undefined);
            const preview = await t!.stack.preview({ refresh: true, diff: true });
            assert.ok((preview.changeSummary.create ?? 0) >= 2, `preview creates both: ${JSON.stringify(preview.changeSummary)}`);
            await t!.stack.up({ refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
            await podReady("producerdddd", "after the StatefulSet was made again");
            // The claim stayed: the node went on from its own blocks.
            assert.equal(JSON.parse(await kubectl("get", "persistentvolumeclaim", `${name}-data`, "-o", "json")).status.phase, "Bound");
            await everyProducerSigns("after the Service and StatefulSet were made again");
            await t!.stack.up({ expectNoChanges: true, refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
        });

        it("a StatefulSet scaled to 0 with kubectl: refresh sees it, up puts it back and the producer signs again", async () => {
            await kubectl("scale", "statefulset", `eosnet-${t!.name}-producercccc`, "--replicas=0");
            await kubectl("wait", "--for=delete", `pod/${pod("producercccc")}`, "--timeout=180s");
            const preview = await t!.stack.preview({ refresh: true, diff: true });
            assert.ok((preview.changeSummary.update ?? 0) >= 1, `preview shows the update: ${JSON.stringify(preview.changeSummary)}`);
            assert.match(preview.stdout, /replicas/);
            await t!.stack.up({ refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
            await podReady("producercccc", "after the scale-down was repaired");
            await everyProducerSigns("after the scale-down was repaired");
            await t!.stack.up({ expectNoChanges: true, refresh: true, onOutput: progress, policyPacks: [POLICY_PACK] });
        });
    });

    describe("mixed: the boot node on this machine's docker engine, the 4 producers in the cluster", function () {
        /** This machine's address on the cluster's bridge (scripts/cluster/up.sh): the docker host's nodes publish there. */
        const MACHINE_ADDRESS = "10.241.0.1";
        let t: TestStack | undefined;
        let policyConfig = "";
        let bootHttp = 0;
        const namespace = `eosnet-itest-${crypto.randomBytes(3).toString("hex")}`;
        const kubectl = kubectlIn(() => kubeconfig, namespace);
        const bootRpc = () => chainRpc(`http://${MACHINE_ADDRESS}:${bootHttp}`);
        const cleos = async (role: string, ...args: string[]) => JSON.parse(await kubectl("exec", `eosnet-${t!.name}-${role}-0`, "-c", "nodeos", "--", "cleos", "-u", "http://127.0.0.1:8888", ...args));
        const bootContainer = () => `eosnet-${t!.name}-boot`;
        // One cluster is one host: losing it stops LIB, which host-loss-survival refuses; here that is the point.
        const up = (opts: Record<string, unknown> = {}) => t!.stack.up({ onOutput: progress, policyPacks: [POLICY_PACK], policyPackConfigs: [policyConfig], ...opts });

        before(async function () {
            await kubectl("create", "namespace", namespace);
            bootHttp = await freePort();
            policyConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-policy-")), "config.json");
            fs.writeFileSync(policyConfig, JSON.stringify({ "host-loss-survival": { enforcementLevel: "advisory" } }));
            t = await clusterTestStack(kubeconfig, {
                hosts: [
                    { name: "machine", docker: "unix:///var/run/docker.sock", address: MACHINE_ADDRESS },
                    { name: "cluster1", kubernetes: { namespace }, address: NODE_ADDRESS },
                ],
                bootNode: { host: "machine", httpPort: bootHttp, p2pPort: await freePort() },
                producerHost: "cluster1",
            });
        });

        after(async function () {
            this.timeout(10 * 60 * 1000);
            try {
                await destroyInNamespace(t, kubectl, namespace, async (t) =>
                    assert.deepEqual(await leftovers(t.stackLabel), { containers: [], volumes: [], networks: [] }, "nothing of the stack is left on the docker engine"));
            } finally {
                if (policyConfig) fs.rmSync(path.dirname(policyConfig), { recursive: true, force: true });
            }
        });

        it("one up boots across both: the producers in the cluster sign, the boot node on docker follows and sees LIB move", async () => {
            const res = await up();
            assert.equal(res.summary.result, "succeeded");
            assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
            // The placement the stack reports, and the objects on each side.
            assert.deepEqual(Object.fromEntries(Object.entries(res.outputs.nodes.value as Record<string, { host: string }>).map(([r, n]) => [r, n.host])),
                { boot: "machine", ...Object.fromEntries(PRODUCERS.map((p) => [p, "cluster1"])) });
            const sets = JSON.parse(await kubectl("get", "statefulsets", "-l", "io.eos-network.managed=true", "-o", "json")).items;
            assert.deepEqual(sets.map((s: any) => s.metadata.labels["io.eos-network.role"]).sort(), PRODUCERS);
            assert.equal(JSON.parse(execFileSync("docker", ["inspect", bootContainer()], { encoding: "utf8" }))[0].State.Running, true, "the boot node runs on docker");
            // The producers in the pods follow the boot node's chain (they reached it across, from the node's address).
            const info = await bootRpc().get_info();
            for (const p of PRODUCERS) {
                assert.equal((await cleos(p, "get", "info")).chain_id, info.chain_id, `${p} follows this chain`);
            }
            // Blocks signed in the cluster reach the docker node, and become irreversible there.
            await libMoves(bootRpc());
            await everyProducerSignsAt(bootRpc(), "seen by the boot node on docker");
            // The policy pack saw the nodes on both kinds of host: the cluster is one host whose loss stops LIB.
            assert.match(res.stdout, /host-loss-survival[\s\S]*cluster1/, "the advisory names the cluster host");
        });

        it("keeps every private key out of docker inspect and the cluster's objects; a second up changes nothing; npm run status sees both hosts", async () => {
            const inspect = execFileSync("docker", ["inspect", bootContainer()], { encoding: "utf8" });
            const yaml = await kubectl("get", "statefulsets,pods,services,configmaps,persistentvolumeclaims,events", "-o", "yaml");
            assert.equal(await noKeyIn(t!, [inspect, yaml]), 7);
            await up({ expectNoChanges: true });
            const { code, out } = await statusOf(t!);
            assert.equal(code, 0, out);
            assert.match(out, /^machine\s+10\.241\.0\.1\s+unix:\/\/\/var\/run\/docker\.sock\s+reachable$/m, out);
            assert.match(out, new RegExp(`^cluster1\\s+10\\.241\\.0\\.2\\s+kubernetes namespace ${namespace}\\s+reachable$`, "m"), out);
            assert.match(out, /^boot\s+machine\s+up\s/m, out);
            for (const p of PRODUCERS) {
                assert.match(out, new RegExp(`^${p}\\s+cluster1\\s+up\\s.*${p} #\\d+`, "m"), out);
            }
        });

        it("the boot container removed with the docker CLI: a refreshed up makes it again and it follows the chain from the cluster's producers", async () => {
            execFileSync("docker", ["rm", "-f", bootContainer()]);
            const preview = await t!.stack.preview({ refresh: true, diff: true, policyPacks: [POLICY_PACK], policyPackConfigs: [policyConfig] });
            assert.ok((preview.changeSummary.create ?? 0) >= 1, `preview makes the container: ${JSON.stringify(preview.changeSummary)}`);
            await up({ refresh: true });
            await libMoves(bootRpc());
            await everyProducerSignsAt(bootRpc(), "after the boot container was made again");
            await up({ expectNoChanges: true, refresh: true });
        });
    });
});
