// eosnet:chain:SystemInit: eosio.system's init with the core symbol; read sees it through the
// RAM market the init creates.
import { Context, ResourceModule } from "../framework";
import { active } from "./common";
import { SystemInitInputs, SystemInitOutputs } from "./systemInit.schema";

/** The core symbol the system contract was initialized with, from its RAM market, if any. */
async function initializedCore(ctx: Context): Promise<string | undefined> {
    const rows = await ctx.chain().rows<{ quote: { balance: string } }>("eosio", "eosio", "rammarket").catch(() => []);
    const balance = rows[0]?.quote?.balance;
    if (!balance) {
        return undefined;
    }
    const [amount, code] = balance.split(" ");
    return `${(amount.split(".")[1] ?? "").length},${code}`;
}

async function init(ctx: Context, i: SystemInitInputs): Promise<SystemInitOutputs> {
    const now = await initializedCore(ctx);
    if (now === undefined) {
        await ctx.chain().transact([{ account: "eosio", name: "init", authorization: active("eosio"), data: { version: 0, core: i.core } }]);
    } else if (now !== i.core) {
        throw new Error(`eosio.system was initialized with core ${now}, not ${i.core}; the core symbol cannot change (reset the network)`);
    }
    return { ...i, initialized: true };
}

export const systemInit: ResourceModule<SystemInitInputs, SystemInitOutputs> = {
    token: "eosnet:chain:SystemInit",
    description: "eosio.system's init with the core symbol.",
    inputs: SystemInitInputs,
    outputs: SystemInitOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.core !== news.core ? ["core"] : [];
        const changed = [...replaces, ...(olds.initialized ? [] : ["initialized"])];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: "system-init", outs: await init(ctx, inputs) };
    },
    async read(ctx, id, props) {
        const core = await initializedCore(ctx);
        const props2 = { core: core ?? props?.core ?? "", initialized: core !== undefined };
        return { id, props: props2, inputs: { core: props2.core } };
    },
    async update(ctx, _id, _olds, news) {
        return init(ctx, news);
    },
};
