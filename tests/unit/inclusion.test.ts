// A pushed transaction that is in none of the next blocks is pushed again, signed as before (same
// id), against a stand-in node on loopback: the chain's answer decides what happens next.
import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { ChainClient } from "../../provider/chain/client";

interface FakeChain {
    head: number;
    blocks: Map<number, string[]>;
}

async function fakeNode(chain: FakeChain): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            res.setHeader("content-type", "application/json");
            if (req.url === "/v1/chain/get_info") {
                // Each look at the chain sees one more block.
                chain.head++;
                res.end(JSON.stringify({ chain_id: "00".repeat(32), head_block_num: chain.head, last_irreversible_block_num: chain.head - 2 }));
                return;
            }
            if (req.url === "/v1/chain/get_block") {
                const num = JSON.parse(body).block_num_or_id as number;
                res.end(JSON.stringify({ block_num: num, transactions: (chain.blocks.get(num) ?? []).map((id) => ({ trx: { id } })) }));
                return;
            }
            res.statusCode = 404;
            res.end("{}");
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

function duplicateError(id: string): Error {
    return Object.assign(new Error("duplicate"), { json: { error: { name: "tx_duplicate", details: [{ message: `duplicate transaction ${id}` }] } } });
}

/** A client whose signing and pushing are the test's: `push(n)` answers the n-th push. */
function clientOn(url: string, push: (n: number) => { transaction_id: string; processed: { block_num: number } }) {
    const client = new ChainClient(url, undefined, []);
    const api = (client as unknown as { api: Record<string, unknown> }).api;
    const signed = { signatures: ["SIG_K1_same"], serializedTransaction: new Uint8Array([1, 2, 3]) };
    const pushedArgs: unknown[] = [];
    api.transact = async (_tx: unknown, options: { broadcast?: boolean }) => {
        assert.strictEqual(options.broadcast, false, "signed once, pushed by the client");
        return signed;
    };
    api.pushSignedTransaction = async (args: unknown) => {
        pushedArgs.push(args);
        return push(pushedArgs.length);
    };
    return { client, pushedArgs, signed };
}

const ACTIONS = [{ account: "eosio", name: "voteproducer", authorization: [{ actor: "voter", permission: "active" }], data: {} }];

describe("chain client: a transaction missing from the blocks", function () {
    this.timeout(20_000);

    it("is found where it landed, without a resend, when it lands within a few blocks", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map([[13, ["aa"]]]) };
        const node = await fakeNode(chain);
        try {
            const { client, pushedArgs } = clientOn(node.url, () => ({ transaction_id: "aa", processed: { block_num: 11 } }));
            const included = await client.transact(ACTIONS as never);
            assert.deepStrictEqual(included, { transactionId: "aa", blockNum: 13 });
            assert.strictEqual(pushedArgs.length, 1);
        } finally {
            await node.close();
        }
    });

    it("is pushed again as the same signed transaction; a node that still holds it says duplicate and the scan goes on", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map([[19, ["bb"]]]) };
        const node = await fakeNode(chain);
        try {
            const { client, pushedArgs, signed } = clientOn(node.url, (n) => {
                if (n === 1) {
                    return { transaction_id: "bb", processed: { block_num: 11 } };
                }
                throw duplicateError("bb");
            });
            const included = await client.transact(ACTIONS as never);
            assert.deepStrictEqual(included, { transactionId: "bb", blockNum: 19 });
            assert.strictEqual(pushedArgs.length, 2);
            assert.ok(pushedArgs.every((a) => a === signed), "every push is the one signed transaction");
        } finally {
            await node.close();
        }
    });

    it("a dropped transaction is applied by the resend and found in its block", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map() };
        const node = await fakeNode(chain);
        try {
            const { client, pushedArgs } = clientOn(node.url, (n) => {
                if (n === 2) {
                    chain.blocks.set(chain.head + 1, ["cc"]);
                    return { transaction_id: "cc", processed: { block_num: chain.head + 1 } };
                }
                return { transaction_id: "cc", processed: { block_num: 11 } };
            });
            const included = await client.transact(ACTIONS as never);
            assert.strictEqual(pushedArgs.length, 2);
            assert.ok(included.blockNum > 15, `found in the block after the resend, got ${included.blockNum}`);
        } finally {
            await node.close();
        }
    });

    it("gives up with the blocks scanned and the resends made when the chain never takes it", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map() };
        const node = await fakeNode(chain);
        try {
            const { client, pushedArgs } = clientOn(node.url, () => ({ transaction_id: "dd", processed: { block_num: 11 } }));
            await assert.rejects(client.transact(ACTIONS as never), /transaction dd is in none of blocks 11\.\.\d+, also after 3 resends/);
            assert.strictEqual(pushedArgs.length, 4);
        } finally {
            await node.close();
        }
    });

    it("a transaction the chain rejects on the resend fails with the chain's message", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map() };
        const node = await fakeNode(chain);
        try {
            const { client } = clientOn(node.url, (n) => {
                if (n === 1) {
                    return { transaction_id: "ee", processed: { block_num: 11 } };
                }
                throw Object.assign(new Error("x"), { json: { error: { details: [{ message: "expired transaction ee" }] } } });
            });
            await assert.rejects(client.transact(ACTIONS as never), /transaction \[eosio::voteproducer\] failed: expired transaction ee/);
        } finally {
            await node.close();
        }
    });
});

const vote = (voter: string) => [{ account: "eosio", name: "voteproducer", authorization: [{ actor: voter, permission: "active" }], data: { voter } }];

/**
 * A client whose signed transactions carry their voters' names, against the stand-in chain: each
 * push is recorded in `tried`; one `refuse` answers with an error fails, any other is `applied` and
 * lands in the next block.
 */
function votingClient(url: string, chain: FakeChain, refuse: (voters: string[]) => Error | undefined = () => undefined) {
    const client = new ChainClient(url, undefined, []);
    const api = (client as unknown as { api: Record<string, unknown> }).api;
    const tried: string[][] = [];
    const applied: string[][] = [];
    let ids = 0;
    api.transact = async (tx: { actions: { data: { voter: string } }[] }) => ({ signatures: ["SIG_K1_x"], serializedTransaction: new Uint8Array([1]), voters: tx.actions.map((a) => a.data.voter) });
    api.pushSignedTransaction = async (signed: { voters: string[] }) => {
        tried.push(signed.voters);
        const refusal = refuse(signed.voters);
        if (refusal) {
            throw refusal;
        }
        applied.push(signed.voters);
        const id = `t${++ids}`;
        chain.blocks.set(chain.head + 1, [...(chain.blocks.get(chain.head + 1) ?? []), id]);
        return { transaction_id: id, processed: { block_num: chain.head } };
    };
    return { client, tried, applied };
}

describe("chain client: transactions the chain stops for their CPU time", function () {
    this.timeout(20_000);
    const tooLong = (n: number) => Object.assign(new Error("tx_cpu_usage_exceeded"), { json: { error: { name: "tx_cpu_usage_exceeded",
        details: [{ message: `transaction ${n} was executing for too long ${n * 100000}us reached on chain max_transaction_cpu_usage 400000us` }] } } });

    it("go again as two, in order, down to parts of one account each; every part stays whole", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map() };
        const node = await fakeNode(chain);
        try {
            // The chain takes at most three actions' CPU time in one transaction.
            const { client, tried, applied } = votingClient(node.url, chain, (voters) => (voters.length > 3 ? tooLong(voters.length) : undefined));
            // One transaction of three parts (two accounts of two actions and one of one) and one of two parts.
            const parts = (names: string[]) => names.map((n) => (n.endsWith("2") ? [...vote(n), ...vote(n)] : vote(n)));
            const totals: number[] = [];
            await client.transactMany([parts(["a2", "b2", "c"]), parts(["d2", "e"])] as never, (_p, _i, total) => totals.push(total));
            assert.deepStrictEqual(applied, [["a2", "a2"], ["b2", "b2"], ["c"], ["d2", "d2", "e"]], "split in order, parts whole");
            assert.deepStrictEqual(tried.slice(0, 2), [["a2", "a2", "b2", "b2", "c"], ["a2", "a2", "b2", "b2"]], "the whole transaction first, then its first half");
            assert.strictEqual(tried.length, 6, "each too-long transaction tried once");
            assert.strictEqual(Math.max(...totals), 4, "progress counts the split transactions");
        } finally {
            await node.close();
        }
    });
});

describe("chain client: concurrent callers' actions in one transaction", function () {
    this.timeout(20_000);

    it("waits for callers that arrive spread out (each 15 ms after the one before), within a bound", async () => {
        const chain: FakeChain = { head: 10, blocks: new Map() };
        const node = await fakeNode(chain);
        try {
            const { client, applied: pushed } = votingClient(node.url, chain);
            const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
            const spread = async (voters: string[], gapMs: number) => {
                const calls: Promise<unknown>[] = [];
                for (const v of voters) {
                    calls.push(client.transactBatched(vote(v)));
                    await pause(gapMs);
                }
                await Promise.all(calls);
            };
            await spread(["a", "b", "c"], 15);
            assert.deepStrictEqual(pushed, [["a", "b", "c"]], "three votes 15 ms apart: one transaction");
            pushed.length = 0;
            // A steady stream is cut at the bound: 25 ms apart for ~0.5 s makes more than one batch.
            await spread(["d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w"], 25);
            assert.ok(pushed.length >= 2 && pushed.length <= 4, `batches of a steady stream: ${JSON.stringify(pushed)}`);
            assert.deepStrictEqual(pushed.flat(), "defghijklmnopqrstuvw".split(""), "every action once, in order");
        } finally {
            await node.close();
        }
    });
});
