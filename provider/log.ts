// Progress from the provider to the CLI: log messages to the engine, tied to the resource being
// worked on. Ephemeral ones replace each other in the status column, as waits should.
import * as path from "path";

// The engine's gRPC stubs and grpc-js as @pulumi/pulumi itself loads them.
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engineproto = require("@pulumi/pulumi/proto/engine_pb");

const EPHEMERAL_INTERVAL_MS = 5000;

export interface EngineLog {
    /** Resolves once the engine has the message (a diff awaits it, or a preview may end first). */
    log(urn: string, message: string, opts?: { ephemeral?: boolean; warning?: boolean }): void | Promise<void>;
}

/** Logs to the engine at `address`; with no engine (tests), to stderr. */
export function engineLog(address: string | undefined): EngineLog {
    if (!address) {
        return { log: (_urn, message) => void process.stderr.write(`${message}\n`) };
    }
    const client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
    // Waits report often; a log without a terminal shows every status, so repeat at most every few seconds.
    const lastShown = new Map<string, { at: number; message: string }>();
    return {
        log(urn, message, opts = {}) {
            if (opts.ephemeral) {
                const last = lastShown.get(urn);
                const now = Date.now();
                if (last && (last.message === message || now - last.at < EPHEMERAL_INTERVAL_MS)) {
                    return Promise.resolve();
                }
                lastShown.set(urn, { at: now, message });
            }
            const req = new engineproto.LogRequest();
            req.setSeverity(opts.warning ? engineproto.LogSeverity.WARNING : engineproto.LogSeverity.INFO);
            req.setMessage(message);
            req.setUrn(urn);
            req.setEphemeral(!!opts.ephemeral);
            // Progress is best effort: a failed log is not an error.
            return new Promise<void>((resolve) => client.log(req, () => resolve()));
        },
    };
}
