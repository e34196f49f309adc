// eosnet:chain:ProducerSchedule: waits until the chain runs the planned producers and they are in
// irreversible control: the schedule is active and LIB is at or past the first block produced
// under it (the LIB block's schedule_version is the active version or later). read shows the
// active schedule, so a drifted election is an update that waits for the votes' repair to land.
import { scheduleShrinkReason, scheduleShrinks } from "../../rules/schedule";
import { Context, ResourceModule } from "../framework";
import { ScheduleUnreachable } from "../errors";
import { pollUntil } from "../poll";
import { sorted } from "./common";
import { ProducerScheduleInputs, ProducerScheduleOutputs } from "./schedule.schema";

interface ScheduleView {
    active: { version: number; producers: { producer_name: string }[] };
    pending: { version: number; producers: { producer_name: string }[] } | null;
    proposed: { version: number; producers: { producer_name: string }[] } | null;
}

export async function activeSchedule(ctx: Context): Promise<{ version: number; producers: string[]; pending: string }> {
    const s = await ctx.chain().post<ScheduleView>("/v1/chain/get_producer_schedule", {});
    const names = (x: { producers: { producer_name: string }[] } | null) => (x ? x.producers.map((p) => p.producer_name) : []);
    return {
        version: s.active.version,
        producers: sorted(names(s.active)),
        pending: s.pending ? `v${s.pending.version} [${names(s.pending).join(", ")}]` : s.proposed ? `proposed v${s.proposed.version} [${names(s.proposed).join(", ")}]` : "none",
    };
}

async function observe(ctx: Context, i: ProducerScheduleInputs): Promise<ProducerScheduleOutputs> {
    const [s, info] = await Promise.all([activeSchedule(ctx), ctx.chain().getInfo()]);
    return { ...i, activeProducers: s.producers, version: s.version, lib: info.last_irreversible_block_num, headBlock: info.head_block_num };
}

/**
 * Why unplanned producers are still elected, when it is a remainder: eosio.system keeps vote weight
 * as a double, so withdrawing every vote a producer had can leave a tiny positive total, and it
 * elects any registered producer whose total is above zero.
 */
async function remainders(ctx: Context, extra: string[]): Promise<string> {
    if (extra.length === 0) {
        return "";
    }
    const rows = await ctx.chain().rows<{ owner: string; total_votes: string }>("eosio", "eosio", "producers").catch(() => []);
    const top = Math.max(0, ...rows.map((r) => Number(r.total_votes)));
    const tiny = rows.filter((r) => extra.includes(r.owner) && Number(r.total_votes) > 0 && Number(r.total_votes) < top * 1e-9);
    return tiny.length === 0 ? "" : `. ${tiny.map((r) => `${r.owner} holds a vote weight of ${Number(r.total_votes)} (of ${top} for the most voted)`).join("; ")}: ` +
        "the remainder eosio.system's floating-point vote arithmetic can leave when every vote for a producer is withdrawn, which still elects it while it is registered";
}

async function waitFor(ctx: Context, i: ProducerScheduleInputs): Promise<ProducerScheduleOutputs> {
    const chain = ctx.chain();
    const want = JSON.stringify(sorted(i.producers));
    const deadline = Date.now() + i.timeoutSeconds * 1000;
    let seen = "";
    // The election happens in eosio.system's onblock at most once a minute; then the schedule is
    // pending until irreversible. Both are the chain's own pace.
    const version = await pollUntil(`the schedule [${sorted(i.producers).join(", ")}] to be active`, i.timeoutSeconds * 1000, 500, async () => {
        const s = await activeSchedule(ctx);
        seen = `active v${s.version} [${s.producers.join(", ")}], pending ${s.pending}`;
        if (scheduleShrinks(s.producers, i.producers)) {
            throw new ScheduleUnreachable(`${scheduleShrinkReason(s.producers, sorted(i.producers))}${await remainders(ctx, s.producers.filter((p) => !i.producers.includes(p)))}`);
        }
        ctx.progress(`waiting for the planned schedule: ${seen}`, { ephemeral: true });
        return JSON.stringify(s.producers) === want ? s.version : undefined;
    }, () => `the chain has ${seen} (are the votes in, and enough stake voting?)`);
    let lib = 0;
    await pollUntil(`LIB to pass the first block of schedule v${version}`, Math.max(deadline - Date.now(), 30_000), 500, async () => {
        const info = await chain.getInfo();
        lib = info.last_irreversible_block_num;
        const block = await chain.post<{ schedule_version?: number }>("/v1/chain/get_block", { block_num_or_id: lib });
        ctx.progress(`schedule v${version} active; waiting for LIB (${lib}, head ${info.head_block_num}) to reach its first block`, { ephemeral: true });
        return (block.schedule_version ?? 0) >= version;
    }, () => `LIB is ${lib}: are 2/3+1 of the scheduled producers' nodes running and peered?`);
    return observe(ctx, i);
}

export const producerSchedule: ResourceModule<ProducerScheduleInputs, ProducerScheduleOutputs> = {
    token: "eosnet:chain:ProducerSchedule",
    description: "The producer schedule the chain must run; create/update wait until it is active and irreversible.",
    inputs: ProducerScheduleInputs,
    outputs: ProducerScheduleOutputs,
    async check(ctx, news) {
        const inputs = { ...news, producers: sorted(news.producers) };
        if (!ctx.config.endpoint) {
            return { inputs };
        }
        const now = await activeSchedule(ctx).catch(() => undefined);
        if (now && scheduleShrinks(now.producers, inputs.producers)) {
            return { inputs, failures: [{ property: "producers", reason: scheduleShrinkReason(now.producers, inputs.producers) }] };
        }
        return { inputs };
    },
    async diff(_ctx, _id, olds, news) {
        const changed = JSON.stringify(sorted(olds.activeProducers)) !== JSON.stringify(sorted(news.producers)) ? ["activeProducers"] : [];
        if (JSON.stringify(olds.producers) !== JSON.stringify(news.producers)) {
            changed.push("producers");
        }
        return { changes: changed.length > 0, changed };
    },
    async create(ctx, inputs) {
        return { id: "schedule", outs: await waitFor(ctx, inputs) };
    },
    async read(ctx, id, props) {
        const i = ProducerScheduleInputs.parse({ producers: props?.producers ?? ["eosio"], timeoutSeconds: props?.timeoutSeconds });
        const now = await observe(ctx, i);
        // lib/headBlock stay those of the last convergence: refresh reports the schedule, not the clock.
        return { id, props: { ...now, lib: props?.lib ?? now.lib, headBlock: props?.headBlock ?? now.headBlock }, inputs: { ...i, producers: now.activeProducers } };
    },
    async update(ctx, _id, _olds, news) {
        return waitFor(ctx, news);
    },
};
