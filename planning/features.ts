// Protocol feature ordering: pure, no I/O. Input is what a node answers to
// /v1/producer/get_supported_protocol_features.

export interface SupportedFeature {
    feature_digest: string;
    dependencies: string[];
    specification: { name: string; value: string }[];
    subjective_restrictions?: { preactivation_required?: boolean; enabled?: boolean };
}

export interface PlannedFeature {
    digest: string;
    codename: string;
}

export function codenameOf(f: SupportedFeature): string {
    return f.specification.find((s) => s.name === "builtin_feature_codename")?.value ?? f.feature_digest;
}

/**
 * PREACTIVATE_FEATURE first (it is scheduled through the producer API), then every other feature
 * after all of its dependencies, ties broken by codename so the plan is the same every time.
 * `exclude` holds codenames to leave out; a feature that depends on an excluded one is an error.
 */
export function planFeatureActivation(supported: SupportedFeature[], exclude: string[] = []): { preactivate: PlannedFeature; rest: PlannedFeature[] } {
    const byDigest = new Map(supported.map((f) => [f.feature_digest, f]));
    const pre = supported.find((f) => codenameOf(f) === "PREACTIVATE_FEATURE");
    if (!pre) {
        throw new Error("the node does not support PREACTIVATE_FEATURE; it cannot boot a chain with this sequence");
    }
    const excluded = new Set(exclude);
    const wanted = supported.filter((f) => f !== pre && !excluded.has(codenameOf(f)));
    for (const f of wanted) {
        for (const d of f.dependencies) {
            const dep = byDigest.get(d);
            if (!dep) {
                throw new Error(`feature ${codenameOf(f)} depends on ${d}, which the node does not support`);
            }
            if (excluded.has(codenameOf(dep))) {
                throw new Error(`feature ${codenameOf(f)} depends on ${codenameOf(dep)}, which is excluded`);
            }
        }
    }
    const done = new Set<string>([pre.feature_digest]);
    const rest: PlannedFeature[] = [];
    let pending = [...wanted].sort((a, b) => codenameOf(a).localeCompare(codenameOf(b)));
    while (pending.length > 0) {
        const ready = pending.filter((f) => f.dependencies.every((d) => done.has(d)));
        if (ready.length === 0) {
            throw new Error(`protocol feature dependencies form a cycle: ${pending.map(codenameOf).join(", ")}`);
        }
        // One at a time keeps the order stable: the first ready one by codename.
        const next = ready[0];
        rest.push({ digest: next.feature_digest, codename: codenameOf(next) });
        done.add(next.feature_digest);
        pending = pending.filter((f) => f !== next);
    }
    return { preactivate: { digest: pre.feature_digest, codename: "PREACTIVATE_FEATURE" }, rest };
}
