// eosnet:chain:Privilege: setpriv on a system account (eosio.msig), signed by eosio.
import { Context, ResourceModule } from "../framework";
import { active } from "./common";
import { PrivilegeInputs, PrivilegeOutputs } from "./privilege.schema";

async function setpriv(ctx: Context, i: PrivilegeInputs): Promise<PrivilegeOutputs> {
    const chain = ctx.chain();
    const now = await chain.getAccount(i.account);
    if (!now) {
        throw new Error(`account ${i.account} is not on the chain`);
    }
    if (now.privileged !== i.privileged) {
        await chain.transact([{ account: "eosio", name: "setpriv", authorization: active("eosio"), data: { account: i.account, is_priv: i.privileged ? 1 : 0 } }]);
    }
    return { ...i };
}

export const privilege: ResourceModule<PrivilegeInputs, PrivilegeOutputs> = {
    token: "eosnet:chain:Privilege",
    description: "Whether an account is privileged (setpriv).",
    inputs: PrivilegeInputs,
    outputs: PrivilegeOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.account !== news.account ? ["account"] : [];
        const changed = [...replaces, ...(olds.privileged !== news.privileged ? ["privileged"] : [])];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: inputs.account, outs: await setpriv(ctx, inputs) };
    },
    async read(ctx, id) {
        const a = await ctx.chain().getAccount(id);
        if (!a) {
            return undefined;
        }
        const props = { account: id, privileged: a.privileged };
        return { id, props, inputs: props };
    },
    async update(ctx, _id, _olds, news) {
        return setpriv(ctx, news);
    },
};
