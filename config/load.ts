// Loading a program run's config: `eos-network:*` from Pulumi's config map, the fields (zod), the
// plan and the checks over it, the secret keys and the files. One ConfigError with every problem.
import * as pulumi from "@pulumi/pulumi";
import { publicKeyOf } from "../keys/keys";
import { NetworkPlan, PlanProblems, planNetwork } from "../planning/plan";
import { contractProblems, crossFieldProblems, keyProblems } from "./checks";
import { configPath, Problem } from "./paths";
import { StackConfig, StackConfigSchema } from "./schema";
import { teamFileProblems } from "./team";

/** Every problem of a config at once; a RunError, so Pulumi prints it without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly problems: { path: string; message: string }[]) {
        super(`invalid stack configuration (nothing was created or changed):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    }
}

const named = (problems: Problem[]) => problems.map((p) => ({ path: configPath(p.path), message: p.message }));

/**
 * The plan of the raw `eos-network:*` config (keys without the namespace, values parsed from JSON
 * where they are objects), or a ConfigError naming each field to fix, e.g. `eos-network:node.image`.
 */
export function parseNetworkPlan(raw: Record<string, unknown>): NetworkPlan {
    const result = StackConfigSchema.safeParse(raw);
    if (!result.success) {
        throw new ConfigError(result.error.issues.flatMap((issue) => {
            const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
            return keys.map((k) => ({
                path: configPath([...issue.path, ...(k === undefined ? [] : [k])]),
                message: issue.code === "unrecognized_keys" ? "unknown key (typo?)" : issue.message,
            }));
        }));
    }
    let plan: NetworkPlan;
    try {
        plan = planNetwork(result.data);
    } catch (e) {
        if (e instanceof PlanProblems) {
            throw new ConfigError(named(e.problems));
        }
        throw e;
    }
    const problems = crossFieldProblems(plan);
    if (problems.length > 0) {
        throw new ConfigError(named(problems));
    }
    return plan;
}

/** The field-valid, cross-checked config of `raw` (see parseNetworkPlan). */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
    return parseNetworkPlan(raw).config;
}

/** `eos-network:keys`: a secret object of account name -> private key (`pulumi config set --secret --path`). */
export const SECRET_KEYS_CONFIG = "keys";

/** Whether Pulumi holds a config key as a secret (unknown: assume it does). The SDK exports no typed check. */
function configIsSecret(key: string): boolean {
    const runtimeConfig = require("@pulumi/pulumi/runtime/config");
    return typeof runtimeConfig.isConfigSecret === "function" ? runtimeConfig.isConfigSecret(key) : true;
}

export interface LoadOptions {
    isSecret?: (key: string) => boolean;
    /** Whether a contract file exists (tests give a stand-in). */
    exists?: (path: string) => boolean;
}

/**
 * The whole config path of a program run: `eos-network:*` from Pulumi's config map, the plan and
 * its checks, then the secret keys and the files. Throws one ConfigError with every problem found.
 */
export function loadStackConfig(all: Record<string, string>, opts: LoadOptions = {}): { plan: NetworkPlan; config: StackConfig; keyNames: string[] } {
    const plan = parseNetworkPlan(rawStackConfig(all));
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
        if (!(opts.isSecret ?? configIsSecret)(keysKey)) {
            problems.push({ path: keysKey, message: "holds private keys: set it with --secret (pulumi config set --secret --path keys.<account> <key>)" });
        }
    }
    problems.push(...keyProblems(plan, keys, publicKeyOf));
    problems.push(...contractProblems(plan.config.contracts.dir, opts.exists));
    problems.push(...named(teamFileProblems(plan.config.teamAccounts)));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return { plan, config: plan.config, keyNames: Object.keys(keys ?? {}) };
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
