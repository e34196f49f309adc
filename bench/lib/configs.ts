// Stack configs for the bench: the tracked dev and staging configs (Pulumi.<stack>.yaml) with
// every host port replaced by a free one, so bench stacks never collide with a running stack.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawConfig = Record<string, any>;

const taken = new Set<number>();

/** A free TCP port on 127.0.0.1 that this process has not handed out before. */
export async function freePort(): Promise<number> {
    for (;;) {
        const port = await new Promise<number>((resolve, reject) => {
            const srv = net.createServer();
            srv.listen(0, "127.0.0.1", () => {
                const p = (srv.address() as net.AddressInfo).port;
                srv.close(() => resolve(p));
            });
            srv.on("error", reject);
        });
        if (!taken.has(port)) {
            taken.add(port);
            return port;
        }
    }
}

/** The `eos-network:*` values of a tracked stack file, keys without the namespace. */
export function trackedConfig(workDir: string, stack: string): RawConfig {
    // js-yaml is a dev dependency of the project (scripts use it too).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const yaml = require("js-yaml");
    const doc = yaml.load(fs.readFileSync(path.join(workDir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: RawConfig };
    const out: RawConfig = {};
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        if (k.startsWith("eos-network:")) {
            out[k.slice("eos-network:".length)] = v;
        }
    }
    return out;
}

/** `cfg` with the boot node's and every producer's host ports free. */
export async function withFreePorts(cfg: RawConfig): Promise<RawConfig> {
    const out: RawConfig = JSON.parse(JSON.stringify(cfg));
    out.bootNode = { ...(out.bootNode ?? {}), httpPort: await freePort(), p2pPort: await freePort() };
    if (Array.isArray(out.producers)) {
        for (const p of out.producers) {
            p.httpPort = await freePort();
        }
    }
    return out;
}

/** Every host port a config publishes (to check none is in use before a boot). */
export function portsOf(cfg: RawConfig): number[] {
    return [cfg.bootNode?.httpPort, ...(cfg.producers ?? []).map((p: { httpPort?: number }) => p.httpPort)].filter((p): p is number => typeof p === "number");
}

/** The validated StackConfig the program would see for `cfg` (same parse path as index.ts). */
export function programPlan(cfg: RawConfig) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { parseNetworkPlan, rawStackConfig } = require("../../config") as typeof import("../../config");
    const all = Object.fromEntries(Object.entries(cfg).map(([k, v]) => [`eos-network:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    return parseNetworkPlan(rawStackConfig(all));
}
