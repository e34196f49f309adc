// What a stack's state holds: bytes per resource, the whole checkpoint, and which resources carry
// secret material (a `ciphertext`). Pure: a checkpoint's text in, numbers out.
import { kindOf } from "./timeline";

export interface TypeStats {
    count: number;
    /** Compact JSON bytes of all resources of the type. */
    bytes: number;
    withCiphertext: number;
}

export interface StateStats {
    fileBytes: number;
    resources: number;
    /** fileBytes / resources. */
    bytesPerResource: number;
    /** Largest resource (compact JSON) and its type. */
    largest: { kind: string; bytes: number };
    byKind: Record<string, TypeStats>;
    /** Resources whose state holds a ciphertext. */
    withCiphertext: number;
    /** Of those, resources other than providers and KeyPairs (whose job is to hold keys). */
    withCiphertextBeyondKeys: number;
}

/** Provider resources and key pairs are meant to hold keys; anything else holding one is spreading them. */
export function holdsKeysByDesign(type: string): boolean {
    return type.startsWith("pulumi:providers:") || kindOf(type) === "KeyPair";
}

export function analyzeCheckpoint(text: string): StateStats {
    const doc = JSON.parse(text);
    const resources: { type: string }[] = doc.checkpoint?.latest?.resources ?? doc.deployment?.resources ?? [];
    const byKind: Record<string, TypeStats> = {};
    let withCiphertext = 0;
    let beyond = 0;
    let largest = { kind: "", bytes: 0 };
    for (const r of resources) {
        const json = JSON.stringify(r);
        const kind = r.type.startsWith("pulumi:providers:") ? r.type : kindOf(r.type);
        const t = (byKind[kind] ??= { count: 0, bytes: 0, withCiphertext: 0 });
        t.count++;
        t.bytes += json.length;
        if (json.length > largest.bytes) {
            largest = { kind, bytes: json.length };
        }
        if (json.includes('"ciphertext"')) {
            t.withCiphertext++;
            withCiphertext++;
            if (!holdsKeysByDesign(r.type)) {
                beyond++;
            }
        }
    }
    const fileBytes = Buffer.byteLength(text);
    return {
        fileBytes,
        resources: resources.length,
        bytesPerResource: resources.length > 0 ? fileBytes / resources.length : 0,
        largest,
        byKind,
        withCiphertext,
        withCiphertextBeyondKeys: beyond,
    };
}

/** "Account 122, Vote 120, ..." for the types holding a ciphertext beyond providers and key pairs. */
export function ciphertextByKind(s: StateStats): string {
    const parts = Object.entries(s.byKind)
        .filter(([k, t]) => t.withCiphertext > 0)
        .sort((a, b) => b[1].withCiphertext - a[1].withCiphertext || a[0].localeCompare(b[0]))
        .map(([k, t]) => `${k.replace(/^pulumi:providers:/, "provider:")} ${t.withCiphertext}`);
    return parts.length > 0 ? parts.join(", ") : "none";
}
