// The provider's own configuration: check (keys held before are kept) and diff (a new chain id is
// a new chain, so everything on it is replaced).
import { ProviderConfigSchema } from "./config.schema";
import { containsUnknown, secretValue, unwrapSecrets } from "./secrets";

/** Check of the provider's own configuration; keys it held before are kept (see framework.ts). */
export function checkProviderConfig(olds: Record<string, unknown>, news: Record<string, unknown>) {
    if (containsUnknown(news)) {
        return { inputs: news, failures: [] as { property: string; reason: string }[] };
    }
    const parsed = ProviderConfigSchema.safeParse(unwrapSecrets(news).value);
    if (!parsed.success) {
        return { inputs: news, failures: parsed.error.issues.map((i) => ({ property: i.path.join(".") || "config", reason: i.message })) };
    }
    const oldKeys = (unwrapSecrets(olds).value as { keys?: unknown })?.keys;
    const keys = [...new Set([...parsed.data.keys, ...(Array.isArray(oldKeys) ? oldKeys.filter((k): k is string => typeof k === "string") : [])])];
    const inputs: Record<string, unknown> = { ...news, keys: secretValue(keys) };
    if (keys.length === 0) {
        delete inputs.keys;
    }
    return { inputs, failures: [] };
}

/** A new chain id is a new chain: every resource of the old one is replaced. */
export function diffProviderConfig(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const o = unwrapSecrets(olds).value as Record<string, unknown>;
    const n = unwrapSecrets(news).value as Record<string, unknown>;
    const changed = ["endpoint", "fallbackEndpoints", "chainId", "keys", "dockerHost", "hostName", "hostAddress", "tlsCa", "tlsCert", "tlsKey", "sshKey", "sshHostKey"].filter((k) => JSON.stringify(o[k] ?? null) !== JSON.stringify(n[k] ?? null));
    const replaces = changed.includes("chainId") && o.chainId !== undefined ? ["chainId"] : [];
    return { changed, replaces };
}

