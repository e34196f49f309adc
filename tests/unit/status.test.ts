// npm run status (scripts/status.ts): the tables and exit code for healthy and broken networks, the
// engine targets a host is knocked at, and the chain reads (get_info, peers, the scan for each
// producer's last block) against a stand-in node on 127.0.0.1.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import {
    assess, collect, engineTarget, hostTarget, knock, knockOnce, NodeReading, parseOutputs, readNode, render, Scan, scanSigners, StackOutputs, verdict,
} from "../../scripts/status";

const CHAIN = "36d9db49a0e5b7c2f0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3";
const OTHER = "ffee0011223344556677889900aabbccddeeff00112233445566778899aabbcc";
const GENESIS = Date.parse("2026-01-01T00:00:00.000Z");
/** nodeos' block time: UTC without a zone, half a second per block. */
const blockTime = (n: number) => new Date(GENESIS + n * 500).toISOString().slice(0, -1);

/** Four hosts, a boot node beside producera, one producer node on each other host. */
function fourHosts(): StackOutputs {
    const hosts: StackOutputs["hosts"] = {};
    for (let i = 1; i <= 4; i++) hosts[`host${i}`] = { address: `10.240.0.1${i}`, docker: i === 4 ? `ssh://eos@10.240.0.14` : `tcp://10.240.0.1${i}:2376` };
    const nodes: StackOutputs["nodes"] = {
        boot: { host: "host1", httpEndpoint: "http://10.240.0.11:8888", p2pAddress: "10.240.0.11:9876", producers: [] },
    };
    ["producera", "producerb", "producerc", "producerd"].forEach((p, i) => {
        nodes[p] = { host: `host${i + 1}`, httpEndpoint: `http://10.240.0.1${i + 1}:${8889 + i}`, p2pAddress: `10.240.0.1${i + 1}:${9877 + i}`, producers: [p] };
    });
    return { chainId: CHAIN, hosts, nodes };
}
const SCHEDULE = ["producera", "producerb", "producerc", "producerd"];

function reading(head: number, peers: number | null, chainId = CHAIN): NodeReading {
    return { info: { chainId, headBlock: head, lib: head - 30, headTime: blockTime(head) }, peers };
}

/** A scan back from block 5000 that found `signed` (producer -> block). */
function scanOf(signed: Record<string, number>, scanned = 48): Scan {
    return {
        source: "boot", head: 5000, headTime: blockTime(5000), limit: 96, scanned,
        lastSigned: Object.fromEntries(Object.entries(signed).map(([p, b]) => [p, { block: b, timestamp: blockTime(b) }])),
    };
}

const healthyReadings = (): Record<string, NodeReading> => ({
    boot: reading(5000, 4), producera: reading(5000, 4), producerb: reading(4999, 4), producerc: reading(5000, 4), producerd: reading(4998, 4),
});

describe("status: tables and exit code", () => {
    it("(a) a healthy 4-host network: every host reachable, every producer signed, exit 0", () => {
        const s = assess(fourHosts(), {}, healthyReadings(), {
            schedule: SCHEDULE, scan: scanOf({ producera: 4963, producerb: 4975, producerc: 4987, producerd: 5000 }),
        });
        const v = verdict(s);
        assert.deepEqual(v, { code: 0, reasons: [] });
        assert.equal(render(s, v), [
            `chain ${CHAIN}  |  schedule producera producerb producerc producerd  |  scanned 48 blocks back from #5000 (boot)`,
            "",
            "HOST   ADDRESS      ENGINE                  STATE",
            "host1  10.240.0.11  tcp://10.240.0.11:2376  reachable",
            "host2  10.240.0.12  tcp://10.240.0.12:2376  reachable",
            "host3  10.240.0.13  tcp://10.240.0.13:2376  reachable",
            "host4  10.240.0.14  ssh://eos@10.240.0.14   reachable",
            "",
            "NODE       HOST   STATE  HEAD  LIB   PEERS  LAST SIGNED",
            "boot       host1  up     5000  4970  4      -",
            "producera  host1  up     5000  4970  4      producera #4963 18.5s ago",
            "producerb  host2  up     4999  4969  4      producerb #4975 12.5s ago",
            "producerc  host3  up     5000  4970  4      producerc #4987 6.5s ago",
            "producerd  host4  up     4998  4968  4      producerd #5000 0s ago",
            "",
        ].join("\n"));
        assert.ok(!render(s, v).includes("\x1b["), "no colour unless asked (stdout not a TTY)");
        assert.ok(render(s, v, true).includes("\x1b[32mreachable"), "colour on a TTY");
    });

    it("(b) one host unreachable and its producer signed nothing: the row names the host, exit 1", () => {
        const readings = healthyReadings();
        readings.producerc = { error: "/v1/chain/get_info: timed out after 3s", peers: null };
        const s = assess(fourHosts(), { host3: "timed out after 2s" }, readings, {
            schedule: SCHEDULE, scan: scanOf({ producera: 4963, producerb: 4975, producerd: 5000 }, 96),
        });
        const v = verdict(s);
        assert.equal(v.code, 1);
        assert.deepEqual(v.reasons, [
            "host host3 (10.240.0.13) does not answer: nodes producerc",
            "producer producerc signed no block in the last 2 rounds (96 blocks)",
        ]);
        const lines = render(s, v).split("\n");
        assert.ok(lines.some((l) => /^host3\s+10\.240\.0\.13\s+tcp:\/\/10\.240\.0\.13:2376\s+unreachable \(timed out after 2s\)$/.test(l)), lines.join("\n"));
        assert.ok(lines.some((l) => /^producerc\s+host3\s+down \(no answer\)\s+-\s+-\s+-\s+producerc none in 96 blocks$/.test(l)), lines.join("\n"));
        assert.deepEqual(lines.slice(-3), [v.reasons[0], v.reasons[1], ""], "the reasons close the output");
    });

    it("(c) a node on another chain id is down and says so, exit 1", () => {
        const readings = healthyReadings();
        readings.producerd = reading(123, 2, OTHER);
        const s = assess(fourHosts(), {}, readings, {
            schedule: SCHEDULE, scan: scanOf({ producera: 4963, producerb: 4975, producerc: 4987 }, 96),
        });
        const d = s.nodes.find((n) => n.role === "producerd")!;
        assert.equal(d.up, false);
        assert.deepEqual(d.down, { why: "other chain", detail: "serves chain ffee00112233…, not the stack's 36d9db49a0e5…" });
        const v = verdict(s);
        assert.equal(v.code, 1);
        assert.deepEqual(v.reasons, [
            "node producerd serves chain ffee00112233…, not the stack's 36d9db49a0e5…",
            "producer producerd signed no block in the last 2 rounds (96 blocks)",
        ]);
        assert.match(render(s, v), /^producerd\s+host4\s+down \(other chain\)\s+-\s+-\s+-\s+producerd none in 96 blocks$/m);
    });

    it("sorts hosts by name and nodes boot first, and gives a node's unlisted host a row", () => {
        const o = fourHosts();
        o.nodes.aaa = { host: "host9", httpEndpoint: "http://x:1", p2pAddress: "x:2", producers: ["aaa"] };
        const s = assess(o, {}, { ...healthyReadings(), aaa: { error: "no", peers: null } }, { schedule: SCHEDULE, scan: scanOf({}) });
        assert.deepEqual(s.nodes.map((n) => n.role), ["boot", "aaa", "producera", "producerb", "producerc", "producerd"]);
        assert.deepEqual(s.hosts.map((h) => [h.name, h.reachable]), [["host1", true], ["host2", true], ["host3", true], ["host4", true], ["host9", false]]);
        assert.equal(verdict(s).reasons[0], "host host9 (?) does not answer: nodes aaa");
    });

    it("exits 2 when no node answers, or the outputs are missing", () => {
        const none = Object.fromEntries(Object.keys(fourHosts().nodes).map((r) => [r, { error: "/v1/chain/get_info: connection refused", peers: null }]));
        const v = verdict(assess(fourHosts(), {}, none, {}));
        assert.equal(v.code, 2);
        assert.match(v.reasons[0], /^no node answers \(boot: \/v1\/chain\/get_info: connection refused;.*\): run `npm run up` first$/);
        assert.deepEqual(parseOutputs("{}"), { missing: "the stack has no outputs" });
        assert.deepEqual(parseOutputs(JSON.stringify({ chainId: CHAIN, httpEndpoint: "http://x" })), { missing: "the stack's outputs lack nodes, hosts" });
        assert.deepEqual(parseOutputs(""), { missing: "the stack has no outputs" });
        assert.equal((parseOutputs(JSON.stringify(fourHosts())) as StackOutputs).chainId, CHAIN);
    });
});

describe("status: where a host's engine is knocked at", () => {
    it("reads tcp, ssh, unix and the implicit local engine", () => {
        assert.deepEqual(engineTarget("tcp://10.240.0.13:2376"), { kind: "tcp", host: "10.240.0.13", port: 2376 });
        assert.deepEqual(engineTarget("ssh://eos@10.240.0.14"), { kind: "tcp", host: "10.240.0.14", port: 22 });
        assert.deepEqual(engineTarget("ssh://eos@10.240.0.14:2222"), { kind: "tcp", host: "10.240.0.14", port: 2222 });
        assert.deepEqual(engineTarget("unix:///run/user/1000/docker.sock"), { kind: "unix", path: "/run/user/1000/docker.sock" });
        assert.deepEqual(engineTarget("", {}), { kind: "unix", path: "/var/run/docker.sock" });
        assert.deepEqual(engineTarget("", { DOCKER_HOST: "tcp://127.0.0.1:2375" }), { kind: "tcp", host: "127.0.0.1", port: 2375 });
        assert.throws(() => engineTarget("http://x"), /unknown engine URL/);
    });

    it("a host on a cluster is knocked at its first node's NodePort on the host's address", () => {
        const outputs: StackOutputs = {
            chainId: CHAIN,
            hosts: { k1: { address: "10.241.0.2", docker: "", kubernetes: "staging" }, h2: { address: "10.240.0.12", docker: "tcp://10.240.0.12:2376" } },
            nodes: {
                producerbbbb: { host: "k1", httpEndpoint: "http://10.241.0.2:30890", p2pAddress: "10.241.0.2:31878", producers: ["producerbbbb"] },
                produceraaaa: { host: "k1", httpEndpoint: "http://10.241.0.2:30889", p2pAddress: "10.241.0.2:31877", producers: ["produceraaaa"] },
                boot: { host: "h2", httpEndpoint: "http://10.240.0.12:8888", p2pAddress: "10.240.0.12:9876", producers: [] },
            },
        };
        assert.deepEqual(hostTarget(outputs, "k1", {}), { kind: "tcp", host: "10.241.0.2", port: 30889 });
        assert.deepEqual(hostTarget(outputs, "h2", {}), { kind: "tcp", host: "10.240.0.12", port: 2376 });
        // A cluster host with no node of the stack: nothing to knock, shown as not checked, not as a fault.
        const empty = { ...outputs, nodes: { boot: outputs.nodes.boot } };
        assert.equal(hostTarget(empty, "k1", {}), undefined);
        const e = assess(empty, { k1: null }, {}, {});
        assert.equal(e.hosts.find((h) => h.name === "k1")!.reachable, null);
        assert.match(render(e, verdict(e)), /^k1\s+10\.241\.0\.2\s+kubernetes namespace staging\s+not checked \(no node here\)$/m);
        assert.ok(!verdict(e).reasons.some((r) => /k1/.test(r)), "not a reason for a non-zero code");
        const s = assess(outputs, {}, {}, {});
        assert.match(render(s, verdict(s)), /kubernetes namespace staging/);
    });

    it("a listening port or socket is reachable; a closed one is not", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-status-"));
        const tcp = net.createServer((s) => s.destroy());
        const unix = net.createServer((s) => s.destroy());
        try {
            await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
            await new Promise<void>((r) => unix.listen(path.join(dir, "docker.sock"), r));
            const port = (tcp.address() as net.AddressInfo).port;
            assert.equal(await knock({ kind: "tcp", host: "127.0.0.1", port }), undefined);
            assert.equal(await knock({ kind: "unix", path: path.join(dir, "docker.sock") }), undefined);
            assert.equal(await knock({ kind: "tcp", host: "127.0.0.1", port: await closedPort() }), "connection refused");
            assert.equal(await knock({ kind: "unix", path: path.join(dir, "none.sock") }), "no such socket");
            // Busy past the timeout right after dialling (a loaded machine): the connect the kernel made counts.
            const busy = knockOnce({ kind: "tcp", host: "127.0.0.1", port }, 50);
            const until = Date.now() + 300;
            while (Date.now() < until) { /* the loop is blocked */ }
            assert.equal(await busy, undefined);
        } finally {
            tcp.close();
            unix.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

/** A port that was just free: nothing listens on it. */
async function closedPort(): Promise<number> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
}

/** A stand-in nodeos: get_info, get_block (who signed block n), get_producer_schedule, net/connections. */
interface FakeChain {
    chainId: string; head: number; schedule: string[];
    producerOf: (n: number) => string;
    connections?: { peer: string; connecting: boolean; last_handshake?: { p2p_address: string } }[];
}
async function fakeNode(chain: FakeChain) {
    const requested: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const reply = (status: number, json: unknown) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(json)); };
            switch (req.url) {
                case "/v1/chain/get_info":
                    return reply(200, { chain_id: chain.chainId, head_block_num: chain.head, last_irreversible_block_num: chain.head - 20, head_block_time: blockTime(chain.head) });
                case "/v1/chain/get_producer_schedule":
                    return reply(200, { active: { version: 2, producers: chain.schedule.map((p) => ({ producer_name: p })) } });
                case "/v1/net/connections":
                    return chain.connections ? reply(200, chain.connections) : reply(404, { code: 404, message: "Not Found" });
                case "/v1/chain/get_block": {
                    const n = Number(JSON.parse(body).block_num_or_id);
                    requested.push(n);
                    inFlight++;
                    maxInFlight = Math.max(maxInFlight, inFlight);
                    // A little latency, so requests overlap and the concurrency bound shows.
                    return setTimeout(() => {
                        inFlight--;
                        if (n < 1 || n > chain.head) return reply(500, { code: 500, message: "unknown block" });
                        reply(200, { block_num: n, producer: chain.producerOf(n), timestamp: blockTime(n) });
                    }, 3);
                }
                default:
                    return reply(404, { code: 404 });
            }
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    return { endpoint, requested, maxInFlight: () => maxInFlight, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("status: reading the chain", () => {
    const abc = ["producera", "producerb", "producerc"];
    /** 12 blocks each, in schedule order. */
    const rotation = (schedule: string[]) => (n: number) => schedule[Math.floor(n / 12) % schedule.length];

    it("finds each producer's last block and stops once every scheduled producer is found", async () => {
        // Head 1000: producerc signs 996..1007, producerb 984..995, producera 972..983.
        const node = await fakeNode({ chainId: CHAIN, head: 1000, schedule: abc, producerOf: rotation(abc) });
        try {
            const scan = await scanSigners("boot", node.endpoint, 1000, blockTime(1000), abc);
            assert.deepEqual(scan.lastSigned, {
                producerc: { block: 1000, timestamp: blockTime(1000) },
                producerb: { block: 995, timestamp: blockTime(995) },
                producera: { block: 983, timestamp: blockTime(983) },
            });
            assert.equal(scan.limit, 72);
            // 18 blocks reach producera's; the scan goes 8 at a time, so it stops after 24.
            assert.equal(scan.scanned, 24);
            assert.deepEqual([...node.requested].sort((a, b) => b - a), Array.from({ length: 24 }, (_, i) => 1000 - i));
            assert.ok(node.maxInFlight() <= 8 && node.maxInFlight() > 1, `in flight at most 8 at once, and more than one (saw ${node.maxInFlight()})`);
        } finally {
            await node.close();
        }
    });

    it("stops after 2 rounds of the active schedule when a producer signs nothing", async () => {
        // producerc is scheduled but its blocks are signed by the others (it is missing its slots).
        const node = await fakeNode({ chainId: CHAIN, head: 1000, schedule: abc, producerOf: rotation(["producera", "producerb"]) });
        try {
            const scan = await scanSigners("boot", node.endpoint, 1000, blockTime(1000), abc);
            assert.equal(scan.scanned, 72, "2 rounds of 3 producers");
            assert.equal(node.requested.length, 72);
            assert.equal(Math.min(...node.requested), 929, "nothing below head - 2 rounds");
            assert.deepEqual(Object.keys(scan.lastSigned).sort(), ["producera", "producerb"]);
            assert.equal(scan.error, undefined);
        } finally {
            await node.close();
        }
    });

    it("reads peers through net_api_plugin and shows none when the node lacks it", async () => {
        const withNet = await fakeNode({
            chainId: CHAIN, head: 50, schedule: ["eosio"], producerOf: () => "eosio",
            // Two dialled peers, one incoming (no peer name, a handshake), one still connecting, one incoming without a handshake yet.
            connections: [{ peer: "10.240.0.12:9877", connecting: false }, { peer: "10.240.0.13:9878", connecting: false },
                { peer: "", connecting: false, last_handshake: { p2p_address: "10.240.0.14:9880 - 715df92" } }, { peer: "", connecting: true },
                { peer: "", connecting: false, last_handshake: { p2p_address: "" } }],
        });
        const withoutNet = await fakeNode({ chainId: CHAIN, head: 50, schedule: ["eosio"], producerOf: () => "eosio" });
        try {
            assert.deepEqual(await readNode(withNet.endpoint), { info: { chainId: CHAIN, headBlock: 50, lib: 30, headTime: blockTime(50) }, peers: 3 });
            assert.equal((await readNode(withoutNet.endpoint)).peers, null);
            const refused = await readNode(`http://127.0.0.1:${await closedPort()}`);
            assert.equal(refused.info, undefined);
            assert.equal(refused.error, "/v1/chain/get_info: connection refused");
        } finally {
            await withNet.close();
            await withoutNet.close();
        }
    });

    it("collects a whole network: a reachable and an unreachable host, a node on another chain, the scan", async () => {
        const schedule = ["producera", "producerb"];
        const ours = await fakeNode({ chainId: CHAIN, head: 400, schedule, producerOf: rotation(["producera"]), connections: [{ peer: "p", connecting: false }] });
        const theirs = await fakeNode({ chainId: OTHER, head: 7, schedule: ["eosio"], producerOf: () => "eosio" });
        const closed = await closedPort();
        try {
            const outputs: StackOutputs = {
                chainId: CHAIN,
                hosts: {
                    host1: { address: "127.0.0.1", docker: `tcp://127.0.0.1:${new URL(ours.endpoint).port}` },
                    host2: { address: "127.0.0.2", docker: `tcp://127.0.0.1:${closed}` },
                },
                nodes: {
                    producera: { host: "host1", httpEndpoint: ours.endpoint, p2pAddress: "127.0.0.1:9877", producers: ["producera"] },
                    boot: { host: "host1", httpEndpoint: theirs.endpoint, p2pAddress: "127.0.0.1:9876", producers: [] },
                    producerb: { host: "host2", httpEndpoint: `http://127.0.0.1:${closed}`, p2pAddress: "127.0.0.2:9878", producers: ["producerb"] },
                },
            };
            const s = await collect(outputs, { hostTimeoutMs: 1000, httpTimeoutMs: 1000 });
            assert.deepEqual(s.hosts.map((h) => [h.name, h.reachable, h.error]), [["host1", true, undefined], ["host2", false, "connection refused"]]);
            assert.deepEqual(s.nodes.map((n) => [n.role, n.up, n.down?.why, n.peers]), [
                ["boot", false, "other chain", null], ["producera", true, undefined, 1], ["producerb", false, "no answer", null],
            ]);
            assert.equal(s.scan?.source, "producera", "the scan reads the first node on the stack's chain");
            assert.equal(s.scan?.scanned, 48);
            assert.equal(s.nodes[1].signed[0].block, 400);
            const v = verdict(s);
            assert.equal(v.code, 1);
            assert.deepEqual(v.reasons, [
                "host host2 (127.0.0.2) does not answer: nodes producerb",
                "node boot serves chain ffee00112233…, not the stack's 36d9db49a0e5…",
                "producer producerb signed no block in the last 2 rounds (48 blocks)",
            ]);
        } finally {
            await ours.close();
            await theirs.close();
        }
    });
});
