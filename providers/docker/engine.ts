// A small client for the Docker Engine API over its unix socket. The stack talks to the engine
// directly (no docker provider plugin is obtainable on registry-only machines, see README).
// Everything here is plain functions so that dynamic providers can serialize them.
import * as http from "http";

export interface EngineResponse {
    status: number;
    body: any;
}

/** Thrown for a non-2xx answer; `status` lets callers treat 404/409 as the states they are. */
export class EngineError extends Error {
    constructor(public readonly status: number, public readonly method: string, public readonly path: string, message: string) {
        super(`docker engine: ${method} ${path} -> ${status}: ${message}`);
    }
}

/** The engine's unix socket: DOCKER_HOST=unix://... or the default socket. TCP hosts are refused on purpose. */
export function socketPath(): string {
    const host = process.env.DOCKER_HOST;
    if (!host) {
        return "/var/run/docker.sock";
    }
    if (host.startsWith("unix://")) {
        return host.slice("unix://".length);
    }
    throw new Error(`DOCKER_HOST=${host} is not supported: eos-network only talks to a local engine over its unix socket`);
}

export function request(method: string, path: string, body?: unknown, raw?: { data: Buffer; contentType: string }): Promise<EngineResponse> {
    return new Promise((resolve, reject) => {
        const payload = raw ? raw.data : body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const headers: Record<string, string | number> = {};
        if (payload) {
            headers["Content-Type"] = raw ? raw.contentType : "application/json";
            headers["Content-Length"] = payload.length;
        }
        const req = http.request({ socketPath: socketPath(), method, path: `/v1.41${path}`, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let parsed: any = text;
                if ((res.headers["content-type"] || "").includes("json") && text.length > 0) {
                    try {
                        parsed = JSON.parse(text);
                    } catch {
                        parsed = text;
                    }
                }
                const status = res.statusCode || 0;
                if (status >= 200 && status < 300) {
                    resolve({ status, body: parsed });
                } else {
                    const message = typeof parsed === "object" && parsed && parsed.message ? parsed.message : String(text).trim();
                    reject(new EngineError(status, method, path, message));
                }
            });
            res.on("error", reject);
        });
        req.on("error", (err: Error) =>
            reject(new Error(`docker engine not reachable at ${socketPath()} (${err.message}); is dockerd running? (npm run setup starts it)`)),
        );
        if (payload) {
            req.write(payload);
        }
        req.end();
    });
}

/** Like request, but a 404 answer becomes undefined. */
export async function getOrUndefined(path: string): Promise<any | undefined> {
    try {
        return (await request("GET", path)).body;
    } catch (e) {
        if (e instanceof EngineError && e.status === 404) {
            return undefined;
        }
        throw e;
    }
}

/** DELETE that treats "already gone" (404) as done. */
export async function deleteIfPresent(path: string): Promise<void> {
    try {
        await request("DELETE", path);
    } catch (e) {
        if (!(e instanceof EngineError && e.status === 404)) {
            throw e;
        }
    }
}

export interface TarEntry {
    path: string;
    content: string;
    mode: number;
}

/** A ustar archive of regular files (what PUT /containers/{id}/archive takes). */
export function tar(entries: TarEntry[]): Buffer {
    const blocks: Buffer[] = [];
    for (const entry of entries) {
        const data = Buffer.from(entry.content, "utf8");
        const header = Buffer.alloc(512, 0);
        const name = entry.path.replace(/^\/+/, "");
        if (Buffer.byteLength(name) > 100) {
            throw new Error(`tar: path too long: ${name}`);
        }
        header.write(name, 0, 100, "utf8");
        header.write(entry.mode.toString(8).padStart(7, "0") + "\0", 100, 8, "ascii");
        header.write("0000000\0", 108, 8, "ascii"); // uid
        header.write("0000000\0", 116, 8, "ascii"); // gid
        header.write(data.length.toString(8).padStart(11, "0") + "\0", 124, 12, "ascii");
        header.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, "0") + "\0", 136, 12, "ascii");
        header.write("        ", 148, 8, "ascii"); // checksum placeholder
        header.write("0", 156, 1, "ascii"); // regular file
        header.write("ustar\0" + "00", 257, 8, "ascii");
        let sum = 0;
        for (const b of header) {
            sum += b;
        }
        header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
        blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512, 0));
    }
    blocks.push(Buffer.alloc(1024, 0));
    return Buffer.concat(blocks);
}

/** Names of the project's objects that carry `label` (key=value): used by destroy checks and tests. */
export async function listLabelled(label: string): Promise<{ containers: string[]; volumes: string[]; networks: string[] }> {
    const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
    const [c, v, n] = await Promise.all([
        request("GET", `/containers/json?all=true&filters=${filters}`),
        request("GET", `/volumes?filters=${filters}`),
        request("GET", `/networks?filters=${filters}`),
    ]);
    return {
        containers: (c.body as any[]).map((x) => String(x.Names[0]).replace(/^\//, "")),
        volumes: ((v.body.Volumes || []) as any[]).map((x) => x.Name),
        networks: (n.body as any[]).map((x) => x.Name),
    };
}
