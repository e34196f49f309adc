// The provider's own errors are told apart by class, not by their message, and keep their cause:
// a node that does not answer, a wait that times out, a chain API error, a refused transaction.
// Against closed loopback ports and stand-in nodes, through the real helpers.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { ChainApiError, EosnetError, NodeUnreachable, ScheduleUnreachable, TransactionError, WaitTimedOut } from "../../provider/errors";
import { producerSchedule } from "../../provider/chain/schedule";
import { pollUntil } from "../../provider/poll";
import { ChainClient, fetchWithDeadline } from "../../provider/chain/client";
import { EosnetProvider } from "../../provider/provider";
import { GET_CHAIN_STATE } from "../../provider/functions";
import { action } from "../../provider/chain/action";
import { Context } from "../../provider/framework";
import { TYPES } from "../../sdk/types";
import { writtenDistributionAccounts } from "../../planning/distribution";

const quiet = { log: () => undefined };
const urn = (type: string) => `urn:pulumi:dev::eos-network::${type}::x`;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    return port;
}

/** A stand-in node: `answer` gets the path and request body and says status and body (undefined: never answers). */
async function standIn(answer: (path: string, request: string) => { status: number; body: unknown } | undefined) {
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const a = answer(req.url ?? "", Buffer.concat(chunks).toString());
            if (!a) {
                return; // hangs
            }
            res.statusCode = a.status;
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify(a.body));
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
        }),
    };
}

const INFO = { chain_id: "00".repeat(32), head_block_num: 10, last_irreversible_block_num: 8, head_block_producer: "eosio", head_block_time: "2024-01-01T00:00:00.000" };
const CHAIN_ERROR = { code: 500, message: "Internal Service Error", error: { what: "assertion failure", details: [{ message: "missing authority of voter" }] } };

describe("errors: told apart by class, causes kept", function () {
    this.timeout(20_000);

    it("an unreachable endpoint on a closed loopback port is a NodeUnreachable that names the endpoint", async () => {
        const port = await closedPort();
        const endpoint = `http://127.0.0.1:${port}`;
        const e = await new ChainClient(endpoint, undefined, []).getInfo().then(() => undefined, (x: unknown) => x);
        assert.ok(e instanceof NodeUnreachable, `got ${String(e)}`);
        assert.ok(e instanceof EosnetError && e instanceof Error);
        assert.equal(e.endpoint, endpoint);
        assert.equal(e.url, `${endpoint}/v1/chain/get_info`);
        assert.equal(e.timedOut, false);
        assert.match(e.message, /^cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chain\/get_info: /);
        assert.ok(e.cause instanceof Error, "the fetch failure is kept as the cause");
    });

    it("a node that accepts and never answers is a NodeUnreachable that timed out", async () => {
        const node = await standIn(() => undefined);
        try {
            const e = await fetchWithDeadline(`${node.url}/v1/chain/get_info`, { method: "POST", body: "{}" }, 200).then(() => undefined, (x: unknown) => x);
            assert.ok(e instanceof NodeUnreachable);
            assert.equal(e.timedOut, true);
            assert.equal(e.endpoint, node.url);
            assert.match(e.message, /^no answer from .* within 0.2s$/);
            assert.ok(e.cause instanceof Error);
        } finally {
            await node.close();
        }
    });

    it("only an unreachable node is passed over for a fallback; a chain API error is the answer", async () => {
        const down = `http://127.0.0.1:${await closedPort()}`;
        const up = await standIn((p) => (p === "/v1/chain/get_info" ? { status: 200, body: INFO } : { status: 500, body: CHAIN_ERROR }));
        try {
            const client = new ChainClient(down, undefined, [], [up.url]);
            assert.equal((await client.getInfo()).head_block_num, 10);
            assert.equal(client.answering, up.url);
            const failing = new ChainClient(up.url, undefined, [], [down]);
            const e = await failing.post("/v1/chain/get_table_rows", {}).then(() => undefined, (x: unknown) => x);
            assert.ok(e instanceof ChainApiError, `got ${String(e)}`);
            assert.equal(e.status, 500);
            assert.equal(e.path, "/v1/chain/get_table_rows");
            assert.equal(e.message, "missing authority of voter");
            assert.equal(failing.answering, up.url, "not failed over");
        } finally {
            await up.close();
        }
    });

    it("calls to a node share one kept-alive connection; a connection the node closes after answering costs no call", async () => {
        let connections = 0;
        const server = http.createServer((req, res) => {
            req.resume();
            req.on("end", () => {
                res.setHeader("content-type", "application/json");
                res.end(JSON.stringify(INFO));
            });
        });
        server.on("connection", () => connections++);
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
        try {
            const client = new ChainClient(url, undefined, []);
            for (let i = 0; i < 20; i++) {
                assert.equal((await client.getInfo()).head_block_num, 10);
            }
            assert.equal(connections, 1, "one connection for 20 calls in a row");
        } finally {
            server.closeAllConnections();
            await new Promise<void>((r) => server.close(() => r()));
        }
        // A node that resets each connection right after its answer: the next call may go out on
        // the dead connection before its reset is seen, and must then go again on a fresh one.
        const rude = net.createServer((socket) => {
            socket.once("data", () => {
                const body = JSON.stringify(INFO);
                socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`, () => socket.resetAndDestroy());
            });
            socket.on("error", () => undefined);
        });
        await new Promise<void>((r) => rude.listen(0, "127.0.0.1", r));
        const rudeUrl = `http://127.0.0.1:${(rude.address() as net.AddressInfo).port}`;
        try {
            const client = new ChainClient(rudeUrl, undefined, []);
            for (let i = 0; i < 30; i++) {
                assert.equal((await client.getInfo()).head_block_num, 10, `call ${i}`);
            }
        } finally {
            await new Promise<void>((r) => rude.close(() => r()));
        }
    });

    it("an answer cut short is a NodeUnreachable, not a parse error", async () => {
        const cut = net.createServer((socket) => {
            socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"chain_id\":", () => socket.destroy()));
            socket.on("error", () => undefined);
        });
        await new Promise<void>((r) => cut.listen(0, "127.0.0.1", r));
        const url = `http://127.0.0.1:${(cut.address() as net.AddressInfo).port}`;
        try {
            const e = await fetchWithDeadline(`${url}/v1/chain/get_info`, { method: "POST", body: "{}" }, 2000).then(() => undefined, (x: unknown) => x);
            assert.ok(e instanceof NodeUnreachable, `got ${String(e)}`);
            assert.equal(e.timedOut, false);
            assert.match(e.message, /^cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chain\/get_info: /);
        } finally {
            await new Promise<void>((r) => cut.close(() => r()));
        }
    });

    it("a wait that times out through the real poll helper is a WaitTimedOut with the last attempt's failure as cause", async () => {
        const url = `http://127.0.0.1:${await closedPort()}/v1/chain/get_info`;
        let attempts = 0;
        const e = await pollUntil("the node to answer", 300, 50, async (attempt) => {
            attempts++;
            return fetchWithDeadline(url, { method: "POST", body: "{}" }, 500).then((r) => r.ok, (x) => {
                attempt.failed(x);
                return false;
            });
        }, () => "it never did").then(() => undefined, (x: unknown) => x);
        assert.ok(e instanceof WaitTimedOut, `got ${String(e)}`);
        assert.equal(e.message, "gave up waiting for the node to answer after 0s; it never did");
        assert.equal(e.what, "the node to answer");
        assert.ok(attempts > 1);
        assert.ok(e.cause instanceof NodeUnreachable, "the last attempt's failure is the cause");
        const plain = await pollUntil("nothing", 50, 10, async () => false).then(() => undefined, (x: unknown) => x);
        assert.ok(plain instanceof WaitTimedOut);
        assert.equal(plain.message, "gave up waiting for nothing after 0s");
        assert.equal(plain.cause, undefined);
    });

    it("a check that throws ends the wait with its own error, not a timeout", async () => {
        const boom = new Error("container exited");
        const e = await pollUntil("x", 1000, 10, async () => {
            throw boom;
        }).then(() => undefined, (x: unknown) => x);
        assert.equal(e, boom);
    });

    it("getChainState reports an unreachable chain as not reachable, and a chain API error as an error", async () => {
        const provider = new EosnetProvider("0.0.0-test", quiet);
        provider.configure({ endpoint: `http://127.0.0.1:${await closedPort()}` });
        const r = await provider.invoke(GET_CHAIN_STATE, { accounts: ["alice"], coreSymbol: "SYS" });
        assert.equal(r.outputs.reachable, false);
        const node = await standIn(() => ({ status: 500, body: CHAIN_ERROR }));
        try {
            provider.configure({ endpoint: node.url });
            const e = await provider.invoke(GET_CHAIN_STATE, { accounts: [], coreSymbol: "" }).then(() => undefined, (x: unknown) => x);
            assert.ok(e instanceof ChainApiError, `got ${String(e)}`);
        } finally {
            await node.close();
        }
    });

    it("getChainState reads one by one only the accounts that may hold less than planned, and those without a planned stake", async () => {
        const reads: string[] = [];
        let voterReads = 0;
        const account = (name: string) => ({ account_name: name, permissions: [], core_liquid_balance: "7.0000 SYS",
            self_delegated_bandwidth: { from: name, to: name, net_weight: "1.0000 SYS", cpu_weight: "2.0000 SYS" } });
        // Chain: alice (voters 3 SYS), bob (voters 3 SYS), carol (no voters row), dave (voters 5 SYS), creator; erin missing.
        const node = await standIn((p, request) => {
            const answers: Record<string, () => unknown> = {
                "/v1/chain/get_info": () => INFO,
                "/v1/chain/get_table_by_scope": () => ({ rows: ["alice", "bob", "carol", "constructor", "dave", "creator"].map((scope) => ({ scope })), more: "" }),
                "/v1/chain/get_table_rows": () => (voterReads++, { rows: [{ owner: "alice", staked: 30000 }, { owner: "bob", staked: "30000" }, { owner: "dave", staked: 50000 }, { owner: "constructor", staked: 1 }], more: false, next_key: "" }),
                "/v1/chain/get_producer_schedule": () => ({ active: { version: 0, producers: [] } }),
                "/v1/chain/get_account": () => {
                    const name = (JSON.parse(request) as { account_name: string }).account_name;
                    reads.push(name);
                    return name === "eosio" ? { account_name: "eosio", permissions: [] } : account(name);
                },
            };
            const a = answers[p];
            return a ? { status: 200, body: a() } : { status: 404, body: {} };
        });
        try {
            const provider = new EosnetProvider("0.0.0-test", quiet);
            provider.configure({ endpoint: node.url });
            const r = await provider.invoke(GET_CHAIN_STATE, {
                accounts: ["alice", "bob", "carol", "dave", "erin", "creator", "constructor"], coreSymbol: "",
                plannedStakes: { alice: "3.0000 SYS", bob: "3.0001 SYS", carol: "1.0000 SYS", dave: "1.0000 SYS", erin: "1.0000 SYS" },
            });
            assert.deepEqual(r.outputs.existingAccounts, ["alice", "bob", "carol", "dave", "creator", "constructor"]);
            // alice and dave hold at least what is planned; bob may not; carol has no voters row; creator
            // and constructor (a name that is also an object's own property) have no planned stake.
            assert.deepEqual(reads.filter((n) => n !== "eosio").sort(), ["bob", "carol", "constructor", "creator"]);
            const seen = r.outputs.accounts as { name: string; staked: string; liquid: string }[];
            assert.deepEqual(seen.map((a) => a.name), ["bob", "carol", "creator", "constructor"], "in the order asked");
            assert.equal(voterReads, 1);
            assert.deepEqual(seen.find((a) => a.name === "bob"), { name: "bob", staked: "3.0000 SYS", liquid: "7.0000 SYS" });
            // Nothing planned to compare with: the voters table is not read, every existing account is.
            reads.length = 0;
            await provider.invoke(GET_CHAIN_STATE, { accounts: ["alice", "erin"], coreSymbol: "" });
            assert.deepEqual([voterReads, reads.filter((n) => n !== "eosio")], [1, ["alice"]]);
        } finally {
            await node.close();
        }
    });

    it("getChainState derives a distribution's accounts and planned stakes, and looks them up as if listed", async () => {
        const distribution = { count: 3, total: "300.0000 SYS", minimum: "10.0000 SYS", alpha: 1.2, seed: 7, namePrefix: "gen", votesPerAccount: 1,
            producers: ["produceraaaa"], ram: "0.1000 SYS", minStake: "1.0000 SYS", maxLiquid: "1.0000 SYS" };
        const generated = writtenDistributionAccounts(distribution)!;
        const [first, second, third] = generated;
        const reads: string[] = [];
        // first holds its planned stake in the voters table, second one unit less; third is not on the chain.
        const node = await standIn((p, request) => {
            const answers: Record<string, () => unknown> = {
                "/v1/chain/get_info": () => INFO,
                "/v1/chain/get_table_by_scope": () => ({ rows: ["alice", first.name, second.name].map((scope) => ({ scope })), more: "" }),
                "/v1/chain/get_table_rows": () => ({ rows: [{ owner: "alice", staked: 30000 }, { owner: first.name, staked: String(first.cpu + first.net) },
                    { owner: second.name, staked: String(second.cpu + second.net - 1n) }], more: false, next_key: "" }),
                "/v1/chain/get_producer_schedule": () => ({ active: { version: 0, producers: [] } }),
                "/v1/chain/get_account": () => {
                    const name = (JSON.parse(request) as { account_name: string }).account_name;
                    reads.push(name);
                    return { account_name: name, permissions: [], core_liquid_balance: "1.0000 SYS" };
                },
            };
            const a = answers[p];
            return a ? { status: 200, body: a() } : { status: 404, body: {} };
        });
        try {
            const provider = new EosnetProvider("0.0.0-test", quiet);
            provider.configure({ endpoint: node.url });
            const r = await provider.invoke(GET_CHAIN_STATE, { accounts: ["alice"], plannedStakes: { alice: "3.0000 SYS" }, coreSymbol: "", distribution });
            assert.deepEqual(r.outputs.existingAccounts, ["alice", first.name, second.name], `${third.name} is not on the chain`);
            assert.deepEqual(reads.filter((n) => n !== "eosio"), [second.name], "only the generated account whose stake may be below its planned one");
        } finally {
            await node.close();
        }
    });

    it("a contract checked while the chain does not answer is left for later, not refused", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-errors-"));
        try {
            fs.writeFileSync(path.join(dir, "c.wasm"), Buffer.from([0, 97, 115, 109]));
            fs.writeFileSync(path.join(dir, "c.abi"), JSON.stringify({ version: "eosio::abi/1.1" }));
            const provider = new EosnetProvider("0.0.0-test", quiet);
            provider.configure({ endpoint: `http://127.0.0.1:${await closedPort()}` });
            const r = await provider.check(urn(TYPES.contract), {}, { account: "hello", wasmPath: path.join(dir, "c.wasm"), abiPath: path.join(dir, "c.abi") });
            assert.deepEqual(r.failures, []);
            assert.equal(r.inputs.deployVia, "");
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("a transaction the chain refuses is a TransactionError with the chain's reason, its cause the node's error; an Action keeps it as cause", async () => {
        const node = await standIn((p) => (p === "/v1/chain/get_required_keys" ? { status: 200, body: { required_keys: [] } } : { status: 404, body: {} }));
        try {
            const client = new ChainClient(node.url, undefined, []);
            const api = (client as unknown as { api: Record<string, unknown> }).api;
            const rpcError = Object.assign(new Error("assertion failure"), { json: CHAIN_ERROR });
            api.transact = async () => ({ signatures: [], serializedTransaction: new Uint8Array([1]) });
            api.pushSignedTransaction = async () => {
                throw rpcError;
            };
            const actions = [{ account: "eosio", name: "voteproducer", authorization: [{ actor: "voter", permission: "active" }], data: {} }];
            const e = await client.transact(actions).then(() => undefined, (x: unknown) => x);
            assert.ok(e instanceof TransactionError, `got ${String(e)}`);
            assert.equal(e.chainMessage, "missing authority of voter");
            assert.equal(e.message, "transaction [eosio::voteproducer] failed: missing authority of voter");
            assert.equal(e.cause, rpcError);

            const ctx = { config: { fallbackEndpoints: [], keys: [] }, chain: () => client, docker: () => Promise.reject(new Error("no docker")), progress: () => undefined, preview: false } as unknown as Context;
            const inputs = action.inputs.parse({ account: "eosio", name: "voteproducer", authorization: [{ actor: "voter", permission: "active" }], label: "here" });
            const wrapped = await action.create(ctx, inputs).then(() => undefined, (x: unknown) => x);
            assert.ok(wrapped instanceof EosnetError, `got ${String(wrapped)}`);
            assert.equal(wrapped.message, "here: eosio::voteproducer failed: missing authority of voter");
            assert.ok(wrapped.cause instanceof TransactionError);
        } finally {
            await node.close();
        }
    });
});

describe("errors: a schedule the chain can no longer reach", () => {
    const planned = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];
    const chainWith = (active: string[], votes: Record<string, number>) => ({
        post: async (p: string) => {
            assert.equal(p, "/v1/chain/get_producer_schedule");
            return { active: { version: 3, producers: active.map((producer_name) => ({ producer_name })) }, pending: null, proposed: null };
        },
        rows: async () => Object.entries(votes).map(([owner, v]) => ({ owner, total_votes: v.toFixed(17) })),
        getInfo: async () => assert.fail("no wait for LIB: the schedule is never reached"),
    });
    const ctxOn = (chain: object) => ({ config: { endpoint: "http://stand-in", keys: [] }, chain: () => chain, progress: () => undefined, preview: false }) as unknown as Context;

    it("fails at once, naming a remainder of withdrawn votes that keeps a producer elected", async () => {
        const chain = chainWith([...planned, "producereeee"], { produceraaaa: 2.7e20, producerbbbb: 2.0e20, producercccc: 2.0e20, producerdddd: 2.0e20, producereeee: 32768 });
        const started = Date.now();
        const err = await producerSchedule.update!(ctxOn(chain), "schedule", {} as never, { producers: planned, timeoutSeconds: 600 }).then(() => undefined, (e) => e);
        assert.ok(err instanceof ScheduleUnreachable, String(err));
        assert.ok(Date.now() - started < 5000, "no waiting for the timeout");
        assert.match(err.message, /never shrinks the schedule/);
        assert.match(err.message, /producereeee holds a vote weight of 32768 .*floating-point/);
    });

    it("says no more than the rule when the extra producer is really voted", async () => {
        const chain = chainWith([...planned, "producereeee"], { produceraaaa: 2.7e20, producerbbbb: 2.0e20, producercccc: 2.0e20, producerdddd: 2.0e20, producereeee: 1.0e20 });
        const err = await producerSchedule.update!(ctxOn(chain), "schedule", {} as never, { producers: planned, timeoutSeconds: 600 }).then(() => undefined, (e) => e);
        assert.ok(err instanceof ScheduleUnreachable, String(err));
        assert.doesNotMatch(err.message, /floating-point/);
    });
});
