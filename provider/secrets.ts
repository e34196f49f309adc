// The engine's wire markers inside property structs: secrets and values unknown during preview.
// A provider that accepts secrets receives them wrapped and must wrap what it returns as secret.

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isSecretValue(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === SECRET;
}

export function secretValue<T>(value: T): T {
    return { [SIG]: SECRET, value } as unknown as T;
}

/** `v` with every secret wrapper removed (deep), and whether any was there. */
export function unwrapSecrets(v: unknown): { value: unknown; secret: boolean } {
    if (isSecretValue(v)) {
        return { value: unwrapSecrets(v.value).value, secret: true };
    }
    if (Array.isArray(v)) {
        let secret = false;
        const value = v.map((x) => {
            const u = unwrapSecrets(x);
            secret = secret || u.secret;
            return u.value;
        });
        return { value, secret };
    }
    if (typeof v === "object" && v !== null) {
        let secret = false;
        const value: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            const u = unwrapSecrets(x);
            secret = secret || u.secret;
            value[k] = u.value;
        }
        return { value, secret };
    }
    return { value: v, secret: false };
}

/** Top-level property names whose values hold a secret somewhere. */
export function secretKeys(props: Record<string, unknown>): Set<string> {
    return new Set(Object.keys(props).filter((k) => unwrapSecrets(props[k]).secret));
}

/** Whether a value is, or holds, a value unknown during preview. */
export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknown);
    }
    if (typeof v === "object" && v !== null) {
        return Object.values(v).some(containsUnknown);
    }
    return false;
}
