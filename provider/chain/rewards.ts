// eosnet:chain:RewardsClaim: a producer's rewards claimed (claimrewards) whenever the last claim
// is more than a day old, eosio.system's own limit. read shows the producer's unpaid blocks and
// last claim; a claim that is due (planning/rewards.ts) is an update, so preview shows who will claim.
import { Context, ResourceModule } from "../framework";
import { active } from "./common";
import { producerRow } from "./producer";
import { claimDue } from "../../planning/rewards";
import { RewardsClaimInputs, RewardsClaimOutputs } from "./rewards.schema";

async function observe(ctx: Context, producer: string): Promise<RewardsClaimOutputs | undefined> {
    const [row, info] = await Promise.all([producerRow(ctx, producer), ctx.chain().getInfo()]);
    if (!row) {
        return undefined;
    }
    const due = claimDue(row.last_claim_time, row.unpaid_blocks, info.head_block_time);
    return { producer, unpaidBlocks: row.unpaid_blocks, lastClaimTime: row.last_claim_time, due };
}

async function claim(ctx: Context, i: RewardsClaimInputs): Promise<RewardsClaimOutputs> {
    const now = await observe(ctx, i.producer);
    if (!now) {
        throw new Error(`${i.producer} is not a registered producer`);
    }
    if (now.due) {
        ctx.progress(`claiming the rewards of ${i.producer} (${now.unpaidBlocks} unpaid blocks)`);
        await ctx.chain().transact([{ account: "eosio", name: "claimrewards", authorization: active(i.producer), data: { owner: i.producer } }]);
    }
    return (await observe(ctx, i.producer))!;
}

export const rewardsClaim: ResourceModule<RewardsClaimInputs, RewardsClaimOutputs> = {
    token: "eosnet:chain:RewardsClaim",
    description: "A producer's rewards, claimed by up whenever the last claim is more than a day old.",
    inputs: RewardsClaimInputs,
    outputs: RewardsClaimOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.producer !== news.producer ? ["producer"] : [];
        const changed = [...replaces, ...(olds.due ? ["due"] : [])];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: inputs.producer, outs: await claim(ctx, inputs) };
    },
    async read(ctx, id) {
        const now = await observe(ctx, id);
        return now && { id, props: now, inputs: { producer: id } };
    },
    async update(ctx, _id, _olds, news) {
        return claim(ctx, news);
    },
};
