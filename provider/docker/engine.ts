// Docker access through dockerode, with the engine API version negotiated the way the docker CLI
// does it: the highest version both sides speak. Engine 20.10 stops at 1.41; Engine 29 and later
// refuse versions below 1.44. Unix socket, TCP with TLS, and ssh engines share this code path.
import * as fs from "fs";
import * as path from "path";
import type Docker from "dockerode";
import { EosnetError } from "../errors";

/** The newest engine API this code was written against, and the oldest it needs. */
export const CLIENT_MAX_API = "1.47";
export const CLIENT_MIN_API = "1.41";

/** Per-request deadline of engine calls (stopping a container is given its own grace on top). */
const ENGINE_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 15_000;

export interface DockerEngine {
    client: Docker;
    apiVersion: string;
    host: string;
}

function compareVersions(a: string, b: string): number {
    const [am, an] = a.split(".").map(Number);
    const [bm, bn] = b.split(".").map(Number);
    return am !== bm ? am - bm : an - bn;
}

/** The API version to speak with an engine that reports `serverMax` (and maybe `serverMin`). */
export function negotiateApiVersion(serverMax: string, serverMin?: string): string {
    const chosen = compareVersions(serverMax, CLIENT_MAX_API) < 0 ? serverMax : CLIENT_MAX_API;
    if (compareVersions(chosen, CLIENT_MIN_API) < 0) {
        throw new Error(`the docker engine speaks API ${serverMax} at most; eos-network needs ${CLIENT_MIN_API} or later (Docker Engine 20.10+)`);
    }
    if (serverMin && compareVersions(chosen, serverMin) < 0) {
        throw new Error(`the docker engine needs API ${serverMin} or later, newer than eos-network's ${CLIENT_MAX_API}`);
    }
    return chosen;
}

/** How an engine is reached beyond its address: TLS material and ssh keys from the provider's configuration. */
export interface EngineAccess {
    /** The host the engine runs on (stack config hosts[].name), for messages. */
    hostName?: string;
    tlsCa?: string;
    tlsCert?: string;
    tlsKey?: string;
    sshKey?: string;
    /** "ssh-ed25519 AAAA...": the only host key an ssh engine may show. */
    sshHostKey?: string;
}

/** The raw host key of an OpenSSH public key line, for ssh2's hostVerifier. */
function hostKeyBlob(line: string): Buffer {
    const blob = line.trim().split(/\s+/)[1];
    if (!blob) {
        throw new EosnetError(`sshHostKey '${line}' is not a public key line ("ssh-ed25519 AAAA...")`);
    }
    return Buffer.from(blob, "base64");
}

/** dockerode connection options for a DOCKER_HOST-style address. */
export function connectionOptions(host: string | undefined, access: EngineAccess = {}): { options: Docker.DockerOptions; label: string } {
    const h = host || process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
    const label = access.hostName ? `host ${access.hostName} (${h})` : h;
    if (h.startsWith("unix://")) {
        return { options: { socketPath: h.slice("unix://".length), timeout: ENGINE_TIMEOUT_MS }, label };
    }
    const url = new URL(h);
    if (url.protocol === "ssh:") {
        const expected = access.sshHostKey ? hostKeyBlob(access.sshHostKey) : undefined;
        return {
            // No per-request timeout over ssh: docker-modem's request timeout does not apply to the ssh
            // stream; the ssh handshake has its own deadline.
            options: {
                protocol: "ssh", host: url.hostname, port: Number(url.port || 22), username: url.username || undefined,
                sshOptions: {
                    readyTimeout: 20_000,
                    ...(access.sshKey ? { privateKey: access.sshKey } : {}),
                    ...(expected ? { hostVerifier: (key: Buffer) => key.equals(expected) } : {}),
                },
            } as Docker.DockerOptions,
            label,
        };
    }
    if (url.protocol === "tcp:" || url.protocol === "https:" || url.protocol === "http:") {
        const certDir = process.env.DOCKER_CERT_PATH;
        const own = access.tlsCa !== undefined || access.tlsCert !== undefined || access.tlsKey !== undefined;
        const tls = own || url.protocol === "https:" || process.env.DOCKER_TLS_VERIFY === "1" || !!certDir;
        const read = (f: string) => (certDir ? fs.readFileSync(path.join(certDir, f)) : undefined);
        const material = own ? { ca: access.tlsCa, cert: access.tlsCert, key: access.tlsKey }
            : tls && certDir ? { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") } : {};
        return {
            options: { protocol: tls ? "https" : "http", host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), timeout: ENGINE_TIMEOUT_MS, ...material },
            label,
        };
    }
    throw new EosnetError(`docker host '${h}' is not understood: use unix:///path, tcp://host:port or ssh://user@host`);
}

/** The engine of a host did not answer: nothing on it can be read or changed. */
export class EngineUnreachable extends EosnetError {
    constructor(public readonly engine: string, cause: unknown) {
        super(`docker engine not reachable at ${engine} (${(cause as Error)?.message ?? cause}); nothing on it was read or changed. ` +
            "Is the host up and its dockerd running? (on this machine npm run setup starts it)", { cause });
        this.name = "EngineUnreachable";
    }
}

/** A dockerode client at the negotiated API version. */
export async function connectDocker(host: string | undefined, access: EngineAccess = {}): Promise<DockerEngine> {
    const { options, label } = connectionOptions(host, access);
    // Loaded on first use: ~0.1 s of every provider start, and a preview often needs no engine.
    const Docker = require("dockerode") as typeof import("dockerode");
    // A frozen engine accepts connections and never answers: the probe has a deadline of its own
    // (also over ssh, where requests have none).
    const probe = new Docker("timeout" in options ? { ...options, timeout: PROBE_TIMEOUT_MS } : options);
    let version: { ApiVersion?: string; MinAPIVersion?: string };
    let timer: NodeJS.Timeout | undefined;
    try {
        // /version answers without a version prefix on every engine.
        version = await Promise.race([
            probe.version(),
            new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error(`no answer to /version within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
            }),
        ]);
    } catch (e) {
        throw new EngineUnreachable(label, e);
    } finally {
        clearTimeout(timer);
    }
    const apiVersion = negotiateApiVersion(version.ApiVersion ?? CLIENT_MIN_API, version.MinAPIVersion);
    return { client: new Docker({ ...options, version: `v${apiVersion}` }), apiVersion, host: label };
}

/** The engine's HTTP status of a failed call (404 gone, 304 already so, 409 conflict). */
export function statusOf(e: unknown): number | undefined {
    return (e as { statusCode?: number })?.statusCode;
}

/** Runs an inspect-like call, turning "no such object" into undefined. */
export async function orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
        return await call();
    } catch (e) {
        if (statusOf(e) === 404) {
            return undefined;
        }
        throw e;
    }
}

export interface TarEntry {
    path: string;
    content: string;
    mode: number;
}

/** A ustar archive of regular files (what the engine's archive upload takes). */
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

/** Demultiplexes the engine's log stream (8-byte frame headers) into text. */
export function demuxLogs(raw: Buffer | string): string {
    const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), "binary");
    const out: Buffer[] = [];
    let i = 0;
    while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
        const len = buf.readUInt32BE(i + 4);
        out.push(buf.subarray(i + 8, i + 8 + len));
        i += 8 + len;
    }
    return out.length > 0 ? Buffer.concat(out).toString("utf8") : buf.toString("utf8");
}

/** Names of the objects that carry `label` (key=value): for destroy checks and tests. */
export async function listLabelled(engine: DockerEngine, label: string): Promise<{ containers: string[]; volumes: string[]; networks: string[] }> {
    const filters = { label: [label] };
    const [c, v, n] = await Promise.all([
        engine.client.listContainers({ all: true, filters }),
        engine.client.listVolumes({ filters }),
        engine.client.listNetworks({ filters }),
    ]);
    return {
        containers: c.map((x) => String(x.Names[0]).replace(/^\//, "")),
        volumes: (v.Volumes ?? []).map((x) => x.Name),
        networks: n.map((x) => x.Name),
    };
}
