// Genesis of a new chain and the chain id it yields, computed without a node: the chain id is
// sha256 of the packed genesis_state (Leap's FC_REFLECT order), so preview knows it, and a genesis
// change is visibly a new chain. Pure, no I/O.
import * as crypto from "crypto";
import { k1PublicKeyPoint } from "../keys/keys";

export interface ChainLimits {
    maxBlockCpuUsageUs: number;
    maxTransactionCpuUsageUs: number;
}

/** chain_config_v0 in the order Leap packs it; the comment gives each field's width. */
const CONFIG_FIELDS: [string, 8 | 4 | 2][] = [
    ["max_block_net_usage", 8],
    ["target_block_net_usage_pct", 4],
    ["max_transaction_net_usage", 4],
    ["base_per_transaction_net_usage", 4],
    ["net_usage_leeway", 4],
    ["context_free_discount_net_usage_num", 4],
    ["context_free_discount_net_usage_den", 4],
    ["max_block_cpu_usage", 4],
    ["target_block_cpu_usage_pct", 4],
    ["max_transaction_cpu_usage", 4],
    ["min_transaction_cpu_usage", 4],
    ["max_transaction_lifetime", 4],
    ["deferred_trx_expiration_window", 4],
    ["max_transaction_delay", 4],
    ["max_inline_action_size", 4],
    ["max_inline_action_depth", 2],
    ["max_authority_depth", 2],
];

/** Genesis JSON of a new chain; every field is written, so the chain id follows from the text alone. */
export function renderGenesis(initialTimestamp: string, initialKey: string, limits: ChainLimits = { maxBlockCpuUsageUs: 200000, maxTransactionCpuUsageUs: 150000 }): string {
    if (limits.maxTransactionCpuUsageUs >= limits.maxBlockCpuUsageUs) {
        throw new Error("eos-network:chain.maxTransactionCpuUsageUs must be below maxBlockCpuUsageUs");
    }
    return JSON.stringify(
        {
            initial_timestamp: initialTimestamp,
            initial_key: initialKey,
            initial_configuration: {
                max_block_net_usage: 1048576,
                target_block_net_usage_pct: 1000,
                max_transaction_net_usage: 524288,
                base_per_transaction_net_usage: 12,
                net_usage_leeway: 500,
                context_free_discount_net_usage_num: 20,
                context_free_discount_net_usage_den: 100,
                max_block_cpu_usage: limits.maxBlockCpuUsageUs,
                target_block_cpu_usage_pct: 1000,
                max_transaction_cpu_usage: limits.maxTransactionCpuUsageUs,
                min_transaction_cpu_usage: 100,
                max_transaction_lifetime: 3600,
                deferred_trx_expiration_window: 600,
                max_transaction_delay: 3888000,
                max_inline_action_size: 4096,
                max_inline_action_depth: 4,
                max_authority_depth: 6,
            },
        },
        null,
        2,
    );
}

/** Defaults nodeos applies to fields a genesis file leaves out. */
const CONFIG_DEFAULTS: Record<string, number> = { base_per_transaction_net_usage: 12, net_usage_leeway: 500 };

/** The chain id nodeos derives from a genesis JSON text (K1 initial keys). */
export function chainIdOf(genesisJson: string): string {
    const g = JSON.parse(genesisJson);
    const parts: Buffer[] = [];
    const ts = Date.parse(`${g.initial_timestamp}Z`);
    if (Number.isNaN(ts)) {
        throw new Error(`genesis initial_timestamp '${g.initial_timestamp}' is not a time`);
    }
    const time = Buffer.alloc(8);
    time.writeBigInt64LE(BigInt(ts) * 1000n); // time_point: microseconds
    parts.push(time);
    // public_key_type: variant index (0 = K1), then the 33-byte compressed point, as the key text
    // holds it (eosjs's curve took ~85 ms to set up, on the way to the chain provider's config).
    if (typeof g.initial_key !== "string" || !/^(EOS|PUB_K1_)/.test(g.initial_key)) {
        throw new Error(`genesis initial_key '${g.initial_key}' is not a K1 public key (EOS... or PUB_K1_...)`);
    }
    const point = k1PublicKeyPoint(g.initial_key);
    if (point[0] !== 2 && point[0] !== 3) {
        throw new Error(`genesis initial_key '${g.initial_key}' is not a compressed K1 point`);
    }
    parts.push(Buffer.from([0]), point);
    const cfg = { ...CONFIG_DEFAULTS, ...g.initial_configuration };
    for (const [name, width] of CONFIG_FIELDS) {
        const value = cfg[name];
        if (typeof value !== "number") {
            throw new Error(`genesis initial_configuration.${name} is missing`);
        }
        const b = Buffer.alloc(width);
        if (width === 8) {
            b.writeBigUInt64LE(BigInt(value));
        } else if (width === 4) {
            b.writeUInt32LE(value);
        } else {
            b.writeUInt16LE(value);
        }
        parts.push(b);
    }
    return crypto.createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}
