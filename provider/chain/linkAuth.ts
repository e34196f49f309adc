// eosnet:chain:LinkAuth: an action of a contract (or all of its actions) linked to a permission of
// an account (linkauth), so that permission suffices to authorize it. read finds the link in the
// account's linked_actions (get_account); delete is unlinkauth.
import { Context, ResourceModule } from "../framework";
import { AccountView } from "./client";
import { LinkAuthInputs, LinkAuthOutputs } from "./linkAuth.schema";

/** The permission `account` links code::type to, as get_account shows it, or undefined for none. */
export function linkedRequirement(a: AccountView | undefined, code: string, type: string): string | undefined {
    for (const p of a?.permissions ?? []) {
        if ((p.linked_actions ?? []).some((l) => l.account === code && (l.action ?? "") === type)) {
            return p.perm_name;
        }
    }
    return undefined;
}

function idOf(i: Pick<LinkAuthInputs, "account" | "code" | "type">): string {
    return `${i.account}/${i.code}::${i.type}`;
}

/** Signed by owner: the chain asks for the permission currently linked (active by default) or an ancestor. */
const ownerOf = (account: string) => [{ actor: account, permission: "owner" }];

async function observe(ctx: Context, i: Pick<LinkAuthInputs, "account" | "code" | "type">): Promise<LinkAuthOutputs | undefined> {
    const a = await ctx.chain().getAccount(i.account);
    if (a && a.permissions.every((p) => p.linked_actions === undefined)) {
        throw new Error(`${ctx.chain().answering} shows no linked_actions in get_account: links cannot be read from this node (it needs Leap 4 or later)`);
    }
    const requirement = linkedRequirement(a, i.code, i.type);
    return requirement ? { account: i.account, code: i.code, type: i.type, requirement } : undefined;
}

async function link(ctx: Context, i: LinkAuthInputs): Promise<LinkAuthOutputs> {
    const now = await observe(ctx, i);
    if (now?.requirement !== i.requirement) {
        ctx.progress(`linkauth ${i.code}::${i.type || "*"} to ${i.account}@${i.requirement}`, { ephemeral: true });
        await ctx.chain().transact([{ account: "eosio", name: "linkauth", authorization: ownerOf(i.account), data: { ...i } }]);
    }
    const after = await observe(ctx, i);
    if (after?.requirement !== i.requirement) {
        throw new Error(`${idOf(i)} links to ${after?.requirement ?? "nothing"} after linkauth, expected ${i.requirement}`);
    }
    return after;
}

export const linkAuth: ResourceModule<LinkAuthInputs, LinkAuthOutputs> = {
    token: "eosnet:chain:LinkAuth",
    description: "A contract's action (or all its actions) linked to a permission of an account (linkauth).",
    inputs: LinkAuthInputs,
    outputs: LinkAuthOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = (["account", "code", "type"] as const).filter((k) => olds[k] !== news[k]);
        const changed = [...replaces, ...(olds.requirement !== news.requirement ? ["requirement"] : [])];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: idOf(inputs), outs: await link(ctx, inputs) };
    },
    async read(ctx, id) {
        const m = /^([^/]+)\/([^:]+)::(.*)$/.exec(id);
        if (!m) {
            throw new Error(`${id} is not a link id (account/code::action)`);
        }
        const now = await observe(ctx, { account: m[1], code: m[2], type: m[3] });
        return now ? { id, props: now, inputs: now } : undefined;
    },
    async update(ctx, _id, _olds, news) {
        return link(ctx, news);
    },
    async delete(ctx, _id, props) {
        if (!(await observe(ctx, props))) {
            return;
        }
        await ctx.chain().transact([{ account: "eosio", name: "unlinkauth", authorization: ownerOf(props.account), data: { account: props.account, code: props.code, type: props.type } }]);
    },
};
