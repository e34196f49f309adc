// The tests' own chain client goes again on a connection reset before any answer (a node that an
// `up` restarted), and only on that.
import { strict as assert } from "assert";
import * as http from "http";
import * as net from "net";
import { chainRpc } from "../chainRpc";

/** A node stand-in: `answer(n)` for the n-th request (1-based) says whether to answer or reset the connection. */
async function node(answer: (n: number) => boolean): Promise<{ url: string; requests: () => number; close: () => void }> {
    let n = 0;
    const server = http.createServer((req, res) => {
        n++;
        if (!answer(n)) {
            (req.socket as net.Socket).resetAndDestroy();
            return;
        }
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ head_block_num: 42 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    return { url: `http://127.0.0.1:${port}`, requests: () => n, close: () => { server.closeAllConnections(); server.close(); } };
}

describe("tests' chain client", () => {
    it("goes again on a fresh connection when the node resets one before answering", async () => {
        const n = await node((i) => i !== 2);
        try {
            const rpc = chainRpc(n.url);
            assert.equal((await rpc.get_info()).head_block_num, 42);
            assert.equal((await rpc.get_info()).head_block_num, 42, "the reset second request went again");
            assert.equal(n.requests(), 3);
        } finally {
            n.close();
        }
    });

    it("gives up after three resets, with the reset as the cause", async () => {
        const n = await node(() => false);
        try {
            await assert.rejects(chainRpc(n.url).get_info(), (e: Error & { cause?: { code?: string } }) => e.cause?.code === "ECONNRESET");
            assert.equal(n.requests(), 3);
        } finally {
            n.close();
        }
    });

    it("does not go again when the node is not there", async () => {
        const n = await node(() => true);
        n.close();
        await assert.rejects(chainRpc(n.url).get_info(), (e: Error & { cause?: { code?: string } }) => e.cause?.code === "ECONNREFUSED");
    });
});
