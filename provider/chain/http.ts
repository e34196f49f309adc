// HTTP for the chain API: node's http module over kept-alive connections. Node's fetch (undici,
// web streams) took about 1 ms of CPU per call, and a plan with thousands of accounts makes thousands
// of calls in each preview (measured: 1000 get_account, 1.0 s of CPU by fetch, 0.4 s by this).
import * as http from "http";
import * as https from "https";

/** What the provider reads of an answer (the part of a fetch Response that eosjs and the client use). */
export interface HttpAnswer {
    ok: boolean;
    status: number;
    text(): Promise<string>;
    json(): Promise<unknown>;
}

/** Thrown when no whole answer came within the deadline. */
export class HttpTimeout extends Error {
    override name = "TimeoutError";
}

const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
};

function once(url: URL, method: string, body: string, timeoutMs: number): Promise<{ answer?: HttpAnswer; retry?: boolean }> {
    const protocol = url.protocol === "https:" ? "https:" : "http:";
    const send = protocol === "https:" ? https.request : http.request;
    return new Promise((resolve, reject) => {
        let answered = false;
        const req = send(url, {
            method,
            agent: agents[protocol],
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        }, (res) => {
            answered = true;
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("error", fail);
            res.on("end", () => {
                clearTimeout(timer);
                if (!res.complete) {
                    fail(new Error("the connection closed before the whole answer arrived"));
                    return;
                }
                const text = Buffer.concat(chunks).toString("utf8");
                const status = res.statusCode ?? 0;
                resolve({ answer: { ok: status >= 200 && status < 300, status, text: async () => text, json: async () => JSON.parse(text) } });
            });
        });
        const timer = setTimeout(() => req.destroy(new HttpTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
        function fail(e: Error & { code?: string }) {
            clearTimeout(timer);
            // A kept-alive connection the node closed while it was idle: the request never reached
            // it (Node's documented case for one retry on a fresh connection).
            if (req.reusedSocket && !answered && (e.code === "ECONNRESET" || e.code === "EPIPE")) {
                resolve({ retry: true });
                return;
            }
            reject(e);
        }
        req.on("error", fail);
        req.end(body);
    });
}

/** A request with a deadline for the whole answer; rejects with HttpTimeout or the socket's error. */
export async function httpRequest(url: string, init: { method?: string; body?: string }, timeoutMs: number): Promise<HttpAnswer> {
    const u = new URL(url);
    const deadline = Date.now() + timeoutMs;
    const first = await once(u, init.method ?? "GET", init.body ?? "", timeoutMs);
    if (first.answer) {
        return first.answer;
    }
    const second = await once(u, init.method ?? "GET", init.body ?? "", Math.max(1, deadline - Date.now()));
    if (!second.answer) {
        throw Object.assign(new Error("the node closed the connection twice"), { code: "ECONNRESET" });
    }
    return second.answer;
}
