// eosnet:chain:Action: a setup action (a contract's `create`, `issue`, `init`...) run once. Its
// state records a digest of what was run; new data or authorization runs it again (an update),
// another contract or action name is another action (a replacement). The chain keeps no record a
// node can be asked about, so read keeps the state, and delete undoes nothing.
import * as crypto from "crypto";
import { Context, differingKeys, ResourceModule, stable } from "../framework";
import { EosnetError, TransactionError } from "../errors";
import { ActionInputs, ActionOutputs } from "./action.schema";

export function actionDigest(i: Pick<ActionInputs, "account" | "name" | "authorization" | "data">): string {
    return crypto.createHash("sha256").update(stable({ account: i.account, name: i.name, authorization: i.authorization, data: i.data })).digest("hex");
}

const where = (i: ActionInputs) => (i.label ? `${i.label}: ` : "");

async function run(ctx: Context, i: ActionInputs): Promise<ActionOutputs> {
    const chain = ctx.chain();
    // A missing key is named before anything is sent, with the node's own reason.
    for (const a of i.authorization) {
        const why = await chain.cannotAuthorize(a.actor, a.permission);
        if (why !== undefined) {
            throw new Error(`${where(i)}${i.account}::${i.name}: the provider's keys do not satisfy ${a.actor}@${a.permission}: ${why}`);
        }
    }
    ctx.progress(`running ${i.account}::${i.name}`, { ephemeral: true });
    try {
        const included = await chain.transact([{ account: i.account, name: i.name, authorization: i.authorization, data: i.data }]);
        return { ...i, digest: actionDigest(i), transactionId: included.transactionId, blockNum: included.blockNum };
    } catch (e) {
        const message = e instanceof TransactionError ? e.chainMessage : (e as Error).message;
        throw new EosnetError(`${where(i)}${i.account}::${i.name} failed: ${message}`, { cause: e });
    }
}

export const action: ResourceModule<ActionInputs, ActionOutputs> = {
    token: "eosnet:chain:Action",
    description: "A setup action run once; it runs again only when its data or authorization change.",
    inputs: ActionInputs,
    outputs: ActionOutputs,
    async diff(ctx, _id, olds, news) {
        const replaces = (["account", "name"] as const).filter((k) => olds[k] !== news[k]);
        const changed = [...replaces, ...differingKeys(olds, news, ["authorization", "data"])];
        if (changed.length > 0 && replaces.length === 0) {
            // Why it runs again, beside the diff of the fields.
            await ctx.progress(`${where(news)}${news.account}::${news.name} will run again: its ${changed.join(" and ")} changed (digest ${olds.digest.slice(0, 12)} -> ${actionDigest(news).slice(0, 12)})`);
        }
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        const outs = await run(ctx, inputs);
        return { id: `${inputs.account}::${inputs.name}/${outs.transactionId.slice(0, 16)}`, outs };
    },
    async read(_ctx, id, props) {
        if (!props?.digest) {
            throw new Error("an Action cannot be imported: what it did is only in the state of the stack that ran it");
        }
        return { id, props: props as ActionOutputs };
    },
    async update(ctx, _id, _olds, news) {
        return run(ctx, news);
    },
};
