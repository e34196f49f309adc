// eosnet:chain:ProtocolFeatures: PREACTIVATE_FEATURE through the producer API ("preactivate"), or
// every other feature the node supports in dependency order ("activate", after eosio.bios).
// Features cannot be deactivated: read reports which planned ones are active, update activates the rest.
import { planFeatureActivation, PlannedFeature, SupportedFeature } from "../../planning/features";
import { Context, ResourceModule } from "../framework";
import { pollUntil } from "../poll";
import { active } from "./common";
import { ProtocolFeaturesInputs, ProtocolFeaturesOutputs } from "./features.schema";

async function activeDigests(ctx: Context): Promise<Set<string>> {
    const seen = new Set<string>();
    let lower: number | undefined;
    for (;;) {
        const page = await ctx.chain().post<{ activated_protocol_features: { feature_digest: string }[]; more?: number | null }>(
            "/v1/chain/get_activated_protocol_features", { limit: 100, search_by_block_num: false, lower_bound: lower });
        page.activated_protocol_features.forEach((f) => seen.add(f.feature_digest));
        if (page.more === undefined || page.more === null || page.activated_protocol_features.length === 0) {
            return seen;
        }
        lower = page.more;
    }
}

async function planned(ctx: Context, i: ProtocolFeaturesInputs): Promise<PlannedFeature[]> {
    const supported = await ctx.chain().post<SupportedFeature[]>("/v1/producer/get_supported_protocol_features", {});
    const plan = planFeatureActivation(supported, i.exclude);
    return i.phase === "preactivate" ? [plan.preactivate] : plan.rest;
}

async function observe(ctx: Context, i: ProtocolFeaturesInputs): Promise<ProtocolFeaturesOutputs> {
    const [plan, on] = await Promise.all([planned(ctx, i), activeDigests(ctx)]);
    return { ...i, activated: plan.filter((f) => on.has(f.digest)).map((f) => f.codename), missing: plan.filter((f) => !on.has(f.digest)).map((f) => f.codename) };
}

async function activate(ctx: Context, i: ProtocolFeaturesInputs): Promise<ProtocolFeaturesOutputs> {
    const chain = ctx.chain();
    const on = await activeDigests(ctx);
    const todo = (await planned(ctx, i)).filter((f) => !on.has(f.digest));
    if (todo.length > 0) {
        await chain.assertChain();
        if (i.phase === "preactivate") {
            await chain.post("/v1/producer/schedule_protocol_feature_activations", { protocol_features_to_activate: todo.map((f) => f.digest) });
        } else {
            // One transaction, in dependency order: eosio::activate pre-activates, the next block activates.
            await chain.transact(todo.map((f) => ({ account: "eosio", name: "activate", authorization: active("eosio"), data: { feature_digest: f.digest } })));
        }
        ctx.progress(`activating ${todo.map((f) => f.codename).join(", ")}`, { ephemeral: true });
        await pollUntil(`protocol features ${todo.map((f) => f.codename).join(", ")} to be active`, 60_000, 200, async () => {
            const now = await activeDigests(ctx);
            return todo.every((f) => now.has(f.digest));
        });
    }
    return observe(ctx, i);
}

export const protocolFeatures: ResourceModule<ProtocolFeaturesInputs, ProtocolFeaturesOutputs> = {
    token: "eosnet:chain:ProtocolFeatures",
    description: "Protocol features: PREACTIVATE_FEATURE (phase preactivate) or all others in dependency order (phase activate).",
    inputs: ProtocolFeaturesInputs,
    outputs: ProtocolFeaturesOutputs,
    async check(_ctx, news) {
        return { inputs: { ...news, exclude: [...news.exclude].sort() } };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.phase !== news.phase ? ["phase"] : [];
        const changed = [...replaces];
        if (JSON.stringify(olds.exclude) !== JSON.stringify(news.exclude)) {
            changed.push("exclude");
        }
        if (olds.missing.length > 0) {
            changed.push("missing");
        }
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: inputs.phase === "preactivate" ? "preactivate" : "features", outs: await activate(ctx, inputs) };
    },
    async read(ctx, id, props) {
        const i = ProtocolFeaturesInputs.parse({ phase: id === "preactivate" ? "preactivate" : "activate", exclude: props?.exclude ?? [] });
        const props2 = await observe(ctx, i);
        return { id, props: props2, inputs: i };
    },
    async update(ctx, _id, _olds, news) {
        return activate(ctx, news);
    },
};
