// Loading a program run's config: `eos-network:*` from Pulumi's config map, the fields (zod), the
// plan and the checks over it, the secret keys and the files. One ConfigError with every problem.
import * as pulumi from "../sdk/pulumi";
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

/** `eos-network:hostCredentials`: a secret object of host name -> { tlsKey } (a tcp engine's client key) or { sshKey } (an ssh engine's private key). */
export const HOST_CREDENTIALS_CONFIG = "hostCredentials";

/** A host's secret credentials, as the provider of that host takes them. */
export interface HostCredential {
    tlsKey?: string;
    sshKey?: string;
    /** A Kubernetes host's kubeconfig (YAML or JSON), with the credentials of a user allowed to manage its namespace. */
    kubeconfig?: string;
}

const CREDENTIAL_FIELDS = ["tlsKey", "sshKey", "kubeconfig"];

/** What is wrong with the host credentials (never their values): every TLS and ssh host has its key, nothing else is there. */
export function hostCredentialProblems(plan: NetworkPlan, creds: Record<string, unknown> | undefined): { path: string; message: string }[] {
    const at = (h: string, k?: string) => `eos-network:${HOST_CREDENTIALS_CONFIG}.${h}${k ? `.${k}` : ""}`;
    const problems: { path: string; message: string }[] = [];
    const hosts = new Map(plan.hosts.filter((h) => !h.implicit).map((h) => [h.name, h]));
    for (const [name, value] of Object.entries(creds ?? {})) {
        const host = hosts.get(name);
        if (!host) {
            problems.push({ path: at(name), message: "no such host in eos-network:hosts (typo?)" });
            continue;
        }
        const fields = value !== null && typeof value === "object" ? Object.entries(value as Record<string, unknown>) : [];
        if (fields.length === 0) {
            problems.push({ path: at(name), message: "expected { tlsKey: <PEM> }, { sshKey: <PEM> } or { kubeconfig: <YAML> }" });
        }
        for (const [k, v] of fields) {
            if (!CREDENTIAL_FIELDS.includes(k)) {
                problems.push({ path: at(name, k), message: "unknown key (expected tlsKey, sshKey or kubeconfig)" });
            } else if (k === "kubeconfig") {
                if (host.transport !== "kubernetes") {
                    problems.push({ path: at(name, k), message: `host ${name} is a docker engine (${host.docker}), not a cluster: remove the kubeconfig` });
                } else if (typeof v !== "string" || !/\bclusters\b/.test(v) || !/\busers\b/.test(v)) {
                    problems.push({ path: at(name, k), message: "expected a kubeconfig (YAML or JSON with clusters, users and contexts)" });
                }
            } else if (typeof v !== "string" || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) {
                problems.push({ path: at(name, k), message: "expected a PEM private key" });
            } else if (k === "tlsKey" && host.transport !== "tls") {
                problems.push({ path: at(name, k), message: `host ${name} has no tls material (hosts[].tls: ca, cert), so ${host.docker} would be reached without TLS: give hosts[].tls or remove the key` });
            } else if (k === "sshKey" && host.transport !== "ssh") {
                problems.push({ path: at(name, k), message: `host ${name} is not reached over ssh (${host.docker}): remove the key` });
            }
        }
    }
    for (const h of hosts.values()) {
        const c = (creds?.[h.name] ?? {}) as HostCredential;
        if (h.transport === "tls" && !c.tlsKey) {
            problems.push({ path: at(h.name, "tlsKey"), message: `host ${h.name} is reached over TLS (${h.docker}): its client key is needed (pulumi config set --secret --path ${HOST_CREDENTIALS_CONFIG}.${h.name}.tlsKey -- "$(cat key.pem)")` });
        }
        if (h.transport === "kubernetes" && !c.kubeconfig) {
            problems.push({ path: at(h.name, "kubeconfig"), message: `host ${h.name} is a Kubernetes namespace (${h.kubernetes!.namespace}): its kubeconfig is needed (pulumi config set --secret --path ${HOST_CREDENTIALS_CONFIG}.${h.name}.kubeconfig -- "$(cat kubeconfig)")` });
        }
        if (h.transport === "ssh" && !c.sshKey) {
            problems.push({ path: at(h.name, "sshKey"), message: `host ${h.name} is reached over ssh (${h.docker}): its private key is needed (pulumi config set --secret --path ${HOST_CREDENTIALS_CONFIG}.${h.name}.sshKey -- "$(cat id_ed25519)")` });
        }
    }
    return problems;
}

/** A config entry holding an object (parsed), with a problem when it is not one or is not secret. */
function secretObject(all: Record<string, string>, name: string, what: string, isSecret: (key: string) => boolean, problems: { path: string; message: string }[], hint: string) {
    const key = `eos-network:${name}`;
    const entry = all[key];
    if (entry === undefined) {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(entry);
    } catch {
        parsed = undefined;
    }
    const isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
    if (!isObject) {
        problems.push({ path: key, message: `expected an object of ${what}` });
    }
    if (!isSecret(key)) {
        problems.push({ path: key, message: `holds private keys: set it with --secret (${hint})` });
    }
    return isObject ? (parsed as Record<string, unknown>) : undefined;
}

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
export function loadStackConfig(all: Record<string, string>, opts: LoadOptions = {}): { plan: NetworkPlan; config: StackConfig; keyNames: string[]; hostCredentialNames: string[] } {
    const plan = parseNetworkPlan(rawStackConfig(all));
    const problems: { path: string; message: string }[] = [];
    const isSecret = opts.isSecret ?? configIsSecret;
    const keys = secretObject(all, SECRET_KEYS_CONFIG, "account name -> private key", isSecret, problems, "pulumi config set --secret --path keys.<account> <key>");
    const creds = secretObject(all, HOST_CREDENTIALS_CONFIG, "host name -> { tlsKey }, { sshKey } or { kubeconfig }", isSecret, problems, `pulumi config set --secret --path ${HOST_CREDENTIALS_CONFIG}.<host>.tlsKey <PEM>`);
    problems.push(...hostCredentialProblems(plan, creds));
    problems.push(...keyProblems(plan, keys, publicKeyOf));
    problems.push(...contractProblems(plan.config.contracts.dir, opts.exists));
    problems.push(...named(teamFileProblems(plan.config.teamAccounts)));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return { plan, config: plan.config, keyNames: Object.keys(keys ?? {}), hostCredentialNames: Object.keys(creds ?? {}) };
}

/** Collects `eos-network:*` values from Pulumi's config map (as given by pulumi.runtime.allConfig()). */
export function rawStackConfig(all: Record<string, string>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith("eos-network:")) {
            continue;
        }
        const name = key.slice("eos-network:".length);
        if (name === SECRET_KEYS_CONFIG || name === HOST_CREDENTIALS_CONFIG) {
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
