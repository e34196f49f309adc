// eosnet:chain:Permission: a permission of an account other than owner/active (updateauth), with a
// threshold, weighted keys and weighted account permissions. read shows the authority the chain
// has, so a permission changed or deleted with another client is drift; delete is deleteauth.
import { Context, differingKeys, ResourceModule } from "../framework";
import { legacyPublicKey } from "../../keys/keys";
import { AccountView, Authority } from "./client";
import { PermissionInputs, PermissionOutputs } from "./permission.schema";

/** A key's binary form (type, then data), the order the chain requires keys in. */
function keyBytes(key: string): number[] {
    const { stringToPublicKey } = require("eosjs/dist/eosjs-numeric");
    const k = stringToPublicKey(key) as { type: number; data: Uint8Array };
    return [k.type, ...k.data];
}

function compareBytes(a: number[], b: number[]): number {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) {
            return a[i] - b[i];
        }
    }
    return a.length - b.length;
}

/**
 * Keys in legacy form and every list in the order the chain keeps (and requires in updateauth):
 * keys by binary form, accounts by actor then permission (names order as strings), waits by time.
 */
export function normalizeAuthority<T extends Pick<PermissionInputs, "threshold" | "keys" | "accounts" | "waits">>(p: T): T {
    return {
        ...p,
        keys: p.keys.map((k) => ({ key: legacyPublicKey(k.key), weight: k.weight }))
            .sort((a, b) => compareBytes(keyBytes(a.key), keyBytes(b.key))),
        accounts: [...p.accounts].sort((a, b) => (a.actor === b.actor ? (a.permission < b.permission ? -1 : 1) : a.actor < b.actor ? -1 : 1)),
        waits: [...p.waits].sort((a, b) => a.waitSec - b.waitSec),
    };
}

/** updateauth's `auth` of a permission. */
export function authorityOf(p: PermissionInputs): Authority {
    const n = normalizeAuthority(p);
    return {
        threshold: n.threshold,
        keys: n.keys,
        accounts: n.accounts.map((a) => ({ permission: { actor: a.actor, permission: a.permission }, weight: a.weight })),
        waits: n.waits.map((w) => ({ wait_sec: w.waitSec, weight: w.weight })),
    };
}

/** The permission as get_account shows it, or undefined when the account has none of that name. */
export function observedPermission(a: AccountView | undefined, account: string, permission: string): PermissionOutputs | undefined {
    const p = a?.permissions.find((x) => x.perm_name === permission);
    if (!p) {
        return undefined;
    }
    const auth = p.required_auth;
    return normalizeAuthority({
        account,
        permission,
        parent: p.parent,
        threshold: auth.threshold,
        keys: auth.keys.map((k) => ({ key: k.key, weight: k.weight })),
        accounts: auth.accounts.map((x) => ({ actor: x.permission.actor, permission: x.permission.permission, weight: x.weight })),
        waits: auth.waits.map((w) => ({ waitSec: w.wait_sec, weight: w.weight })),
    });
}

const AUTHORITY = ["threshold", "keys", "accounts", "waits"] as const;

/**
 * Signed by the account's owner: the chain asks for the permission itself (or, while it does not
 * exist, its parent) or an ancestor, and owner is every permission's ancestor.
 */
const ownerOf = (account: string) => [{ actor: account, permission: "owner" }];

async function observe(ctx: Context, i: Pick<PermissionInputs, "account" | "permission">): Promise<PermissionOutputs | undefined> {
    return observedPermission(await ctx.chain().getAccount(i.account), i.account, i.permission);
}

async function apply(ctx: Context, i: PermissionInputs): Promise<PermissionOutputs> {
    const want = normalizeAuthority(i);
    const now = await observe(ctx, i);
    if (now && now.parent !== want.parent) {
        throw new Error(`${i.account}@${i.permission} has parent ${now.parent} on the chain, not ${want.parent}; the chain cannot move a permission (delete it first)`);
    }
    if (!now || differingKeys(now, want, [...AUTHORITY]).length > 0) {
        ctx.progress(`updateauth ${i.account}@${i.permission}`, { ephemeral: true });
        await ctx.chain().transact([{
            account: "eosio", name: "updateauth", authorization: ownerOf(i.account),
            data: { account: i.account, permission: i.permission, parent: want.parent, auth: authorityOf(want) },
        }]);
    }
    const after = await observe(ctx, i);
    if (!after) {
        throw new Error(`${i.account}@${i.permission} is not on the chain after updateauth`);
    }
    return after;
}

export const permission: ResourceModule<PermissionInputs, PermissionOutputs> = {
    token: "eosnet:chain:Permission",
    description: "A permission of an account (not owner/active): threshold, weighted keys and accounts, under a parent.",
    inputs: PermissionInputs,
    outputs: PermissionOutputs,
    async check(_ctx, news) {
        const failures = [];
        for (const [n, k] of news.keys.entries()) {
            try {
                legacyPublicKey(k.key);
            } catch {
                failures.push({ property: `keys[${n}].key`, reason: "not a public key (EOS... or PUB_K1_...)" });
            }
        }
        if (failures.length > 0) {
            return { failures };
        }
        const n = normalizeAuthority(news);
        const total = [...n.keys, ...n.accounts, ...n.waits].reduce((s, x) => s + x.weight, 0);
        if (total < n.threshold) {
            return { failures: [{ property: "threshold", reason: `${n.threshold} exceeds the total weight ${total}: the permission could never be satisfied` }] };
        }
        return { inputs: n };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = (["account", "permission", "parent"] as const).filter((k) => olds[k] !== news[k]);
        const changed = [...replaces, ...differingKeys(normalizeAuthority(olds), normalizeAuthority(news), [...AUTHORITY])];
        return { changes: changed.length > 0, replaces, changed, deleteBeforeReplace: replaces.length > 0 };
    },
    async create(ctx, inputs) {
        return { id: `${inputs.account}@${inputs.permission}`, outs: await apply(ctx, inputs) };
    },
    async read(ctx, id) {
        const [account, perm] = id.split("@");
        const now = await observe(ctx, { account, permission: perm });
        return now ? { id, props: now, inputs: now } : undefined;
    },
    async update(ctx, _id, _olds, news) {
        return apply(ctx, news);
    },
    async delete(ctx, _id, props) {
        if (!(await observe(ctx, props))) {
            return;
        }
        await ctx.chain().transact([{ account: "eosio", name: "deleteauth", authorization: ownerOf(props.account), data: { account: props.account, permission: props.permission } }]);
    },
};
