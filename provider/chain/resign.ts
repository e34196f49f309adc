// eosnet:chain:Resignation: eosio hands owner/active to eosio.prods and the system accounts to
// eosio (the reference boot's convention). read shows who controls each account.
import { Context, ResourceModule } from "../framework";
import { Action, AccountView } from "./client";
import { ResignationInputs, ResignationOutputs } from "./resign.schema";

/** The account whose active permission alone controls both owner and active, or "" for anything else. */
export function controllerOf(a: AccountView | undefined): string {
    const of = (perm: string) => {
        const auth = a?.permissions.find((p) => p.perm_name === perm)?.required_auth;
        return auth && auth.keys.length === 0 && auth.waits.length === 0 && auth.accounts.length === 1 && auth.threshold === 1 && auth.accounts[0].permission.permission === "active"
            ? auth.accounts[0].permission.actor
            : "";
    };
    const owner = of("owner");
    return owner && owner === of("active") ? owner : "";
}

async function observe(ctx: Context, i: ResignationInputs): Promise<ResignationOutputs> {
    const chain = ctx.chain();
    const accounts = await Promise.all(i.accounts.map(async (h) => ({ account: h.account, controller: controllerOf(await chain.getAccount(h.account)) })));
    return { accounts };
}

async function resign(ctx: Context, i: ResignationInputs): Promise<ResignationOutputs> {
    const now = await observe(ctx, i);
    const actions: Action[] = [];
    i.accounts.forEach((h, n) => {
        if (now.accounts[n].controller === h.controller) {
            return;
        }
        const auth = { threshold: 1, keys: [], accounts: [{ permission: { actor: h.controller, permission: "active" }, weight: 1 }], waits: [] };
        // active first: once owner is handed over, the key no longer signs for the account.
        actions.push({ account: "eosio", name: "updateauth", authorization: [{ actor: h.account, permission: "owner" }], data: { account: h.account, permission: "active", parent: "owner", auth } });
        actions.push({ account: "eosio", name: "updateauth", authorization: [{ actor: h.account, permission: "owner" }], data: { account: h.account, permission: "owner", parent: "", auth } });
    });
    if (actions.length > 0) {
        ctx.progress(`handing over ${i.accounts.filter((_, n) => now.accounts[n].controller !== i.accounts[n].controller).map((h) => `${h.account} to ${h.controller}`).join(", ")}`);
        await ctx.chain().transact(actions);
    }
    return observe(ctx, i);
}

export const resignation: ResourceModule<ResignationInputs, ResignationOutputs> = {
    token: "eosnet:chain:Resignation",
    description: "eosio resigns to eosio.prods and the system accounts to eosio: owner and active handed to another account's active.",
    inputs: ResignationInputs,
    outputs: ResignationOutputs,
    async diff(_ctx, _id, olds, news) {
        const changed = JSON.stringify(olds.accounts) !== JSON.stringify(news.accounts) ? ["accounts"] : [];
        return { changes: changed.length > 0, changed };
    },
    async create(ctx, inputs) {
        return { id: "resignation", outs: await resign(ctx, inputs) };
    },
    async read(ctx, id, props) {
        const i = ResignationInputs.parse({ accounts: props?.accounts ?? [{ account: "eosio", controller: "eosio.prods" }] });
        const now = await observe(ctx, i);
        return { id, props: now, inputs: now };
    },
    async update(ctx, _id, _olds, news) {
        return resign(ctx, news);
    },
};
