// eosnet:chain:Token: eosio.token's core token, created with its max supply and issued to the
// issuer (create + issue in one transaction). Supply grows later (inflation), so only max supply
// and issuer are desired state; a token cannot be re-created, so check refuses changing them.
import { Context, ResourceModule } from "../framework";
import { active, assetLike, assetUnits } from "./common";
import { TokenInputs, TokenOutputs } from "./token.schema";

interface Stats {
    supply: string;
    max_supply: string;
    issuer: string;
}

function symbolOf(asset: string): string {
    return asset.trim().split(" ")[1] ?? "";
}

async function stats(ctx: Context, i: Pick<TokenInputs, "contract" | "maxSupply">): Promise<Stats | undefined> {
    const r = await ctx.chain().post<Record<string, Stats>>("/v1/chain/get_currency_stats", { code: i.contract, symbol: symbolOf(i.maxSupply) }).catch(() => ({}));
    return (r as Record<string, Stats>)[symbolOf(i.maxSupply)];
}

export const token: ResourceModule<TokenInputs, TokenOutputs> = {
    token: "eosnet:chain:Token",
    description: "A token on eosio.token: created with its max supply and issued to its issuer.",
    inputs: TokenInputs,
    outputs: TokenOutputs,
    async check(ctx, news, olds) {
        if (!olds || !ctx.config.endpoint) {
            return {};
        }
        const now = await stats(ctx, news).catch(() => undefined);
        const failures = [];
        if (now && assetUnits(now.max_supply) !== assetUnits(news.maxSupply)) {
            failures.push({ property: "maxSupply", reason: `the token exists with max supply ${now.max_supply}; a token's max supply cannot change (reset the network)` });
        }
        if (now && now.issuer !== news.issuer) {
            failures.push({ property: "issuer", reason: `the token's issuer is ${now.issuer}; it cannot change (reset the network)` });
        }
        return { failures };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = (["contract", "maxSupply", "issuer"] as const).filter((k) => olds[k] !== news[k]);
        return { changes: replaces.length > 0, replaces };
    },
    async create(ctx, inputs) {
        const now = await stats(ctx, inputs);
        if (now && (assetUnits(now.max_supply) !== assetUnits(inputs.maxSupply) || now.issuer !== inputs.issuer)) {
            throw new Error(`${inputs.contract} already has ${symbolOf(inputs.maxSupply)} with max supply ${now.max_supply} issued by ${now.issuer}; ` +
                `it cannot become ${inputs.maxSupply} by ${inputs.issuer} (reset the network)`);
        }
        const actions = [];
        if (!now) {
            actions.push({ account: inputs.contract, name: "create", authorization: active(inputs.contract), data: { issuer: inputs.issuer, maximum_supply: inputs.maxSupply } });
        }
        const issued = now ? assetUnits(now.supply) : 0n;
        const missing = assetUnits(inputs.issue) - issued;
        if (missing > 0n) {
            actions.push({ account: inputs.contract, name: "issue", authorization: active(inputs.issuer), data: { to: inputs.issuer, quantity: assetLike(missing, inputs.issue), memo: "eos-network: initial issue" } });
        }
        if (actions.length > 0) {
            await ctx.chain().transact(actions);
        }
        const after = (await stats(ctx, inputs))!;
        return { id: `${inputs.contract}/${symbolOf(inputs.maxSupply)}`, outs: { ...inputs, maxSupply: after.max_supply, issuer: after.issuer, supply: after.supply } };
    },
    async read(ctx, id, props) {
        const [contract, symbol] = id.split("/");
        const now = await stats(ctx, { contract, maxSupply: props?.maxSupply ?? `0 ${symbol}` });
        if (!now) {
            return undefined;
        }
        const inputs = { contract, issuer: now.issuer, maxSupply: now.max_supply, issue: props?.issue ?? now.supply };
        return { id, props: { ...inputs, supply: now.supply }, inputs };
    },
};
