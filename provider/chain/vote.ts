// eosnet:chain:Vote: a voter's voteproducer, for producers or through a proxy. read shows the
// voters table, so a vote cast with another client is drift that the next update undoes.
import { Context, ResourceModule } from "../framework";
import { active, sorted } from "./common";
import { voterRow } from "./voting";
import { VoteInputs, VoteOutputs } from "./vote.schema";

async function observed(ctx: Context, voter: string): Promise<VoteOutputs> {
    const row = await voterRow(ctx, voter);
    return { voter, producers: sorted(row?.producers ?? []), proxy: row?.proxy ?? "" };
}

function differences(now: VoteOutputs, want: VoteInputs): string[] {
    const out: string[] = [];
    if (JSON.stringify(sorted(now.producers)) !== JSON.stringify(sorted(want.producers))) {
        out.push("producers");
    }
    if (now.proxy !== want.proxy) {
        out.push("proxy");
    }
    return out;
}

async function vote(ctx: Context, i: VoteInputs): Promise<VoteOutputs> {
    if (differences(await observed(ctx, i.voter), i).length > 0) {
        await ctx.chain().transactBatched([{
            account: "eosio", name: "voteproducer", authorization: active(i.voter),
            data: { voter: i.voter, proxy: i.proxy, producers: i.proxy ? [] : sorted(i.producers) },
        }]);
    }
    return observed(ctx, i.voter);
}

export const voteModule: ResourceModule<VoteInputs, VoteOutputs> = {
    token: "eosnet:chain:Vote",
    description: "A voter's vote: for up to 30 producers, or through a proxy.",
    inputs: VoteInputs,
    outputs: VoteOutputs,
    async check(_ctx, news) {
        const failures = news.proxy && news.producers.length > 0 ? [{ property: "proxy", reason: "a voter votes for producers or through a proxy, not both" }] : [];
        return { inputs: { ...news, producers: sorted(news.producers) }, failures };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.voter !== news.voter ? ["voter"] : [];
        const changed = [...replaces, ...differences(olds, news)];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: inputs.voter, outs: await vote(ctx, inputs) };
    },
    async read(ctx, id) {
        const row = await voterRow(ctx, id);
        if (!row) {
            // An account that never voted: nothing to import; on refresh the vote is gone.
            return undefined;
        }
        const props = await observed(ctx, id);
        return { id, props, inputs: props };
    },
    async update(ctx, _id, _olds, news) {
        return vote(ctx, news);
    },
    async delete(ctx, _id, props) {
        await vote(ctx, { voter: props.voter, producers: [], proxy: "" });
    },
};
