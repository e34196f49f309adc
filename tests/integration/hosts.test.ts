// One testnet across several hosts: real docker engines in network namespaces of their own
// (tests/hosts/testHosts.ts), reached over TLS and one over ssh. Boot, placement refusal, faults
// made with plain tools (SIGSTOP of dockerd, `ip link set down`, dockerd stopped and started, the
// data root removed) and a producer's move, each checked on the chain with the image's cleos run on
// the hosts themselves, each followed by a second up with no changes.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { JsonRpc } from "eosjs";
import { createTestHosts, cutOff, destroyTestHosts, dockerCli, heal, replaceWithEmpty, startEngine, stopEngine, TestHost, TestHosts } from "../hosts/testHosts";
import { assertToolchain, chainRpc, newTestStack, NODE_IMAGE, previewRefusal, PRODUCERS, progress, ROOT, stackKeys, statusOf, TestStack } from "./harness";

const POLICY_PACK = path.join(ROOT, "policies");
// Producer i on host i+1 (the boot node beside produceraaaa on host1); host5 is a spare for the move.
const HOST_COUNT = 5;

describe("several hosts: 4 producers on 4 docker engines, reached over TLS and ssh", function () {
    this.timeout(25 * 60 * 1000);
    let set: TestHosts;
    let t: TestStack;
    let hosts: TestHost[];
    let chainId = "";
    const producerHosts = () => PRODUCERS.map((_, i) => `host${i + 1}`);

    const producersConfig = (placed: string[]) => PRODUCERS.map((name, i) => ({ name, host: placed[i] }));
    const container = (role: string) => `eosnet-${t.name}-${role}`;
    const hostOf = (name: string) => hosts.find((h) => h.name === name.replace("host", "eosth"))!;
    const endpoint = (h: TestHost, port: number) => `http://${h.address}:${port}`;
    const rpcOn = (h: TestHost, port: number) => chainRpc(endpoint(h, port));

    /** cleos of the node image, run in a node's container on its own host (over that host's engine). */
    const cleos = async (h: TestHost, role: string, args: string[]) =>
        JSON.parse(await dockerCli(h, ["exec", container(role), "cleos", "-u", "http://127.0.0.1:8888", ...args]));

    /** Producers seen signing on `h`'s node from its head on, until all of `want` are seen or two rounds pass. */
    async function signers(rpc: JsonRpc, want: string[], rounds = 2): Promise<Set<string>> {
        const seen = new Set<string>();
        const from = (await rpc.get_info()).head_block_num + 1;
        for (let n = from; n < from + rounds * 12 * PRODUCERS.length && !want.every((p) => seen.has(p));) {
            if ((await rpc.get_info()).head_block_num < n) {
                await new Promise((r) => setTimeout(r, 250));
                continue;
            }
            seen.add((await rpc.get_block(n)).producer);
            n++;
        }
        return seen;
    }

    /** LIB on `rpc` passes where it is now within `rounds` rounds of blocks. */
    async function libMoves(rpc: JsonRpc, what: string, rounds = 3): Promise<void> {
        const start = await rpc.get_info();
        for (let now = start; now.last_irreversible_block_num <= start.last_irreversible_block_num; now = await rpc.get_info()) {
            assert.ok(now.head_block_num < start.head_block_num + rounds * 12 * PRODUCERS.length, `${what}: LIB stuck at ${now.last_irreversible_block_num} (head ${now.head_block_num})`);
            await new Promise((r) => setTimeout(r, 250));
        }
    }

    /**
     * The network as cleos on every host sees it: one chain, the planned schedule, LIB moving; every
     * producer signs. A node back from a fault first catches up (its LIB reaches the others' LIB, within
     * 3 minutes) and reconnects (nodeos retries a lost peer every 30 s): so up to 4 rounds.
     */
    async function healthy(what: string, placed = producerHosts()): Promise<void> {
        const target = (await rpcOn(hostOf("host1"), 8888).get_info()).last_irreversible_block_num;
        for (const [i, producer] of PRODUCERS.entries()) {
            const h = hostOf(placed[i]);
            const deadline = Date.now() + 180_000;
            for (let lib = 0; lib < target; lib = (await cleos(h, producer, ["get", "info"])).last_irreversible_block_num) {
                assert.ok(Date.now() < deadline, `${what}: ${producer}'s node on ${h.name} is at LIB ${lib}, not ${target}, after 3 minutes`);
                await new Promise((r) => setTimeout(r, 1000));
            }
        }
        for (const [i, producer] of PRODUCERS.entries()) {
            const h = hostOf(placed[i]);
            const info = await cleos(h, producer, ["get", "info"]);
            assert.equal(info.chain_id, chainId, `${what}: ${producer}'s node on ${h.name} follows this chain`);
            const schedule = await cleos(h, producer, ["get", "schedule"]);
            assert.deepEqual(schedule.active.producers.map((p: { producer_name: string }) => p.producer_name).sort(), PRODUCERS, `${what}: active schedule on ${h.name}`);
        }
        const rpc = rpcOn(hostOf(placed[0]), 8889);
        assert.deepEqual([...await signers(rpc, PRODUCERS, 4)].sort(), PRODUCERS, `${what}: every producer signs within four rounds`);
        await libMoves(rpc, what);
    }

    const status = () => statusOf(t);

    before(async function () {
        this.timeout(15 * 60 * 1000);
        assertToolchain();
        set = await createTestHosts({ count: HOST_COUNT, sshHosts: [4], image: NODE_IMAGE, log: (l) => progress(`${l}\n`) });
        hosts = set.hosts;
        const config = {
            node: { image: NODE_IMAGE },
            hosts: hosts.map((h) => ({
                name: `host${h.index}`, docker: h.dockerHost, address: h.address,
                ...(h.ssh ? { sshHostKey: h.ssh.hostPublicKey } : { tls: { ca: h.tls.ca, cert: h.tls.cert } }),
            })),
            bootNode: { host: "host1" },
            producers: producersConfig(producerHosts()),
            accounts: [
                { name: "voteraaaaaaa", funds: "100000000.0000 SYS", votes: PRODUCERS },
                { name: "voterbbbbbbb", funds: "100000000.0000 SYS", votes: PRODUCERS },
            ],
        };
        t = await newTestStack(config);
        const credentials = Object.fromEntries(hosts.map((h) => [`host${h.index}`, h.ssh ? { sshKey: h.ssh.privateKey } : { tlsKey: h.tls.key }]));
        await t.stack.setConfig("eos-network:hostCredentials", { value: JSON.stringify(credentials), secret: true });
    });

    after(async function () {
        this.timeout(10 * 60 * 1000);
        try {
            if (t && set) {
                for (const h of hosts) {
                    execFile("kill", ["-CONT", String(h.pid)]);
                    await heal(h).catch(() => undefined);
                }
                await t.cleanup();
            }
        } finally {
            if (set) {
                destroyTestHosts(set);
            }
        }
    });

    it("one up boots the network over 4 hosts; cleos on each host shows the schedule, LIB moves, every producer signs", async () => {
        const res = await t.stack.up({ onOutput: progress, policyPacks: [POLICY_PACK] });
        assert.equal(res.summary.result, "succeeded");
        assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
        chainId = res.outputs.chainId.value;
        const nodes = res.outputs.nodes.value as Record<string, { host: string; httpEndpoint: string; p2pAddress: string }>;
        assert.deepEqual(Object.fromEntries(Object.entries(nodes).map(([r, n]) => [r, n.host])),
            { boot: "host1", produceraaaa: "host1", producerbbbb: "host2", producercccc: "host3", producerdddd: "host4" });
        assert.equal(nodes.producercccc.p2pAddress, `${hostOf("host3").address}:9879`);
        // Each host runs only its own nodes, on its own engine.
        for (const [i, h] of hosts.slice(0, 4).entries()) {
            const names = (await dockerCli(h, ["ps", "--format", "{{.Names}}"])).split("\n").filter(Boolean).sort();
            assert.deepEqual(names, i === 0 ? [container("boot"), container(PRODUCERS[0])].sort() : [container(PRODUCERS[i])], `containers on ${h.name}`);
        }
        // Peers across hosts by address: producerdddd's node dials the others at their hosts' addresses.
        const ini = await dockerCli(hostOf("host4"), ["exec", container("producerdddd"), "grep", "^p2p-", "/eos/config/config.ini"]);
        assert.match(ini, new RegExp(`p2p-peer-address = ${hosts[2].address.replace(/\./g, "\\.")}:9879`));
        assert.match(ini, new RegExp(`p2p-server-address = ${hosts[3].address.replace(/\./g, "\\.")}:9880`));
        await healthy("after the boot");
    });

    it("keeps the engines' TLS and ssh keys and the producers' keys out of plain state, the stack file and docker inspect on every host", async () => {
        const keys = [...(await stackKeys(t)).values()];
        assert.equal(keys.length, 7, "the boot key, 4 producers and 2 voters");
        const secrets = [...keys, ...hosts.map((h) => (h.ssh ? h.ssh.privateKey : h.tls.key))]
            // A PEM's middle body line: the armour and an OpenSSH key's first line are the same in every key.
            .map((k) => {
                const body = k.split("\n").filter((l) => l && !l.startsWith("-----"));
                return body[Math.floor(body.length / 2)];
            });
        const places = [
            fs.readFileSync(path.join(ROOT, ".eosnet", "stacks", `Pulumi.${t.name}.yaml`), "utf8"),
            ...await Promise.all(PRODUCERS.map((p, i) => dockerCli(hostOf(producerHosts()[i]), ["inspect", container(p)]))),
            ...(fs.readdirSync(t.backendDir, { recursive: true }) as string[]).map((f) => path.join(t.backendDir, f))
                .filter((f) => fs.statSync(f).isFile()).map((f) => fs.readFileSync(f, "utf8")),
        ];
        assert.ok(places.length > 5, "the backend holds state files to check");
        for (const [i, secret] of secrets.entries()) {
            assert.ok(secret.length > 20, `secret ${i} is a key`);
            for (const text of places) {
                assert.ok(!text.includes(secret), `secret ${i} found in plain text`);
            }
        }
    });

    it("a second up changes nothing", async () => {
        await t.stack.up({ expectNoChanges: true, onOutput: progress, policyPacks: [POLICY_PACK] });
    });

    it("npm run status: every host reachable, every node up with its peers, every producer's last block; exit 0", async () => {
        const { code, out } = await status();
        assert.equal(code, 0, out);
        for (const [i, p] of PRODUCERS.entries()) {
            assert.match(out, new RegExp(`${p}\\s+host${i + 1}\\s`), `a row for ${p} on host${i + 1}:\n${out}`);
        }
        assert.match(out, /host4\s+10\.240\.0\.14/);
    });

    it("preview refuses a placement where losing one host stops LIB, naming the host and its producers", async () => {
        const placed = ["host1", "host2", "host3", "host3"];
        await t.stack.setConfig("eos-network:producers", { value: JSON.stringify(producersConfig(placed)) });
        const refused = await previewRefusal(t.stack, { policyPacks: [POLICY_PACK] }, "two producers on host3");
        assert.match(refused, /losing host host3 stops LIB: it runs 2 of the 4 scheduled producers \(producercccc, producerdddd\); the 2 left are fewer than the 3 \(2\/3\+1\) LIB needs/);
        assert.match(refused, /at least 4 hosts, at most 1 on each/);
        await t.stack.setConfig("eos-network:producers", { value: JSON.stringify(producersConfig(producerHosts())) });
    });

    it("fault 1, an engine that does not answer (dockerd stopped with SIGSTOP): preview names the host and changes nothing; the chain goes on; up converges once it is back", async () => {
        const h2 = hostOf("host2");
        process.kill(h2.pid, "SIGSTOP");
        try {
            let message = "";
            try {
                await t.stack.preview({ refresh: true, policyPacks: [POLICY_PACK] });
            } catch (e) {
                message = String((e as Error).message);
            }
            assert.match(message, /host host2 \(tcp:\/\/10\.240\.0\.12:2376\)/, "preview names the host");
            // producerbbbb's node still runs (only its engine is frozen): the chain goes on.
            await libMoves(rpcOn(hostOf("host1"), 8888), "while host2's engine is frozen");
        } finally {
            process.kill(h2.pid, "SIGCONT");
        }
        await t.stack.up({ onOutput: progress, policyPacks: [POLICY_PACK], refresh: true });
        await t.stack.up({ expectNoChanges: true, onOutput: progress, refresh: true });
        await healthy("after host2's engine answered again");
    });

    it("fault 2, a host cut off the network and healed: LIB moves with 3 of 4; after the heal its producer signs again", async () => {
        const h3 = hostOf("host3");
        cutOff(h3);
        try {
            const rpc = rpcOn(hostOf("host1"), 8888);
            await libMoves(rpc, "with host3 cut off", 4);
            const seen = await signers(rpc, PRODUCERS);
            assert.ok(!seen.has("producercccc"), "producercccc's blocks do not reach the others while its host is cut off");
            const { code, out } = await status();
            assert.equal(code, 1, out);
            assert.match(out, /host3.*unreachable/, `the row of host3 says it is unreachable:\n${out}`);
            assert.match(out, /producercccc/);
        } finally {
            await heal(h3);
        }
        await healthy("after host3 healed");
        await t.stack.up({ expectNoChanges: true, onOutput: progress, refresh: true });
    });

    it("fault 3, a host restarted (its dockerd stopped and started): its node comes back and its producer signs again", async () => {
        const h2 = hostOf("host2");
        stopEngine(h2);
        await libMoves(rpcOn(hostOf("host1"), 8888), "with host2 stopped");
        await startEngine(h2);
        await healthy("after host2 restarted");
        await t.stack.up({ expectNoChanges: true, onOutput: progress, refresh: true });
    });

    it("fault 4, a host replaced by an empty one: preview shows its node made again, up recreates it, it syncs the same chain and signs", async () => {
        const h3 = hostOf("host3");
        await replaceWithEmpty(h3, { loadImage: true, image: NODE_IMAGE });
        assert.equal((await dockerCli(h3, ["ps", "-aq"])).trim(), "", "the new host3 has no container");
        const preview = await t.stack.preview({ refresh: true, policyPacks: [POLICY_PACK] });
        assert.ok((preview.changeSummary.create ?? 0) >= 3, `preview creates host3's network, volume and node: ${JSON.stringify(preview.changeSummary)}`);
        await t.stack.up({ onOutput: progress, refresh: true, policyPacks: [POLICY_PACK] });
        assert.equal((await cleos(h3, "producercccc", ["get", "info"])).chain_id, chainId, "the same chain, not a new one");
        await healthy("after host3 was replaced");
        await t.stack.up({ expectNoChanges: true, onOutput: progress, refresh: true });
    });

    it("moves producerdddd to the spare host5 in one up: the old node stops before the new one signs, never two signers", async () => {
        const rpc = rpcOn(hostOf("host1"), 8888);
        const before = (await rpc.get_info()).head_block_num;
        // While the move runs, every node's head is read 4 times a second: a block producerdddd signed
        // twice at one height (old and new node) would show as two ids at that height on some node.
        const nodes: [TestHost, number][] = [[hostOf("host1"), 8888], [hostOf("host1"), 8889], [hostOf("host2"), 8890], [hostOf("host3"), 8891], [hostOf("host4"), 8892], [hostOf("host5"), 8892]];
        const seen = new Map<number, Set<string>>();
        let watching = true;
        const watcher = (async () => {
            while (watching) {
                await Promise.all(nodes.map(async ([h, port]) => {
                    const info = await rpcOn(h, port).get_info().catch(() => undefined);
                    if (info && info.head_block_producer === "producerdddd") {
                        seen.set(info.head_block_num, new Set([...(seen.get(info.head_block_num) ?? []), info.head_block_id]));
                    }
                }));
                await new Promise((r) => setTimeout(r, 250));
            }
        })();
        const placed = ["host1", "host2", "host3", "host5"];
        try {
            await t.stack.setConfig("eos-network:producers", { value: JSON.stringify(producersConfig(placed)) });
            await t.stack.up({ onOutput: progress, refresh: true, policyPacks: [POLICY_PACK] });
            assert.equal((await dockerCli(hostOf("host4"), ["ps", "-aq"])).trim(), "", "nothing is left on host4");
            assert.equal((await dockerCli(hostOf("host4"), ["volume", "ls", "-q"])).trim(), "", "no volume is left on host4");
            await healthy("after the move", placed);
        } finally {
            watching = false;
            await watcher;
        }
        const twice = [...seen].filter(([, ids]) => ids.size > 1).map(([n]) => n);
        assert.deepEqual(twice, [], "heights at which producerdddd's blocks differ between nodes");
        assert.ok([...seen.keys()].some((n) => n > before), "the watcher saw producerdddd's blocks after the move");
        const after = (await rpc.get_info()).last_irreversible_block_num;
        // And every node holds the same irreversible blocks over the move.
        for (let n = before; n <= after; n++) {
            const ids = new Set(await Promise.all(nodes.filter(([h]) => h.name !== "eosth4").map(([h, port]) => rpcOn(h, port).get_block(n).then((b) => b.id))));
            assert.equal(ids.size, 1, `block ${n}: the nodes hold different blocks`);
        }
        await t.stack.up({ expectNoChanges: true, onOutput: progress, refresh: true });
    });
});
