// eosnet:chain:ProxyRegistration: an account registered as a voting proxy (regproxy).
import { Context, ResourceModule } from "../framework";
import { active } from "./common";
import { voterRow } from "./voting";
import { ProxyRegistrationInputs, ProxyRegistrationOutputs } from "./proxy.schema";

async function setProxy(ctx: Context, proxy: string, isProxy: boolean): Promise<void> {
    const row = await voterRow(ctx, proxy);
    if ((row?.is_proxy === 1) !== isProxy) {
        await ctx.chain().transact([{ account: "eosio", name: "regproxy", authorization: active(proxy), data: { proxy, isproxy: isProxy } }]);
    }
}

export const proxyRegistration: ResourceModule<ProxyRegistrationInputs, ProxyRegistrationOutputs> = {
    token: "eosnet:chain:ProxyRegistration",
    description: "An account registered as a voting proxy (regproxy).",
    inputs: ProxyRegistrationInputs,
    outputs: ProxyRegistrationOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.proxy !== news.proxy ? ["proxy"] : [];
        const changed = [...replaces, ...(olds.isProxy ? [] : ["isProxy"])];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        await setProxy(ctx, inputs.proxy, true);
        return { id: inputs.proxy, outs: { ...inputs, isProxy: true } };
    },
    async read(ctx, id) {
        const row = await voterRow(ctx, id);
        if (!row) {
            return undefined;
        }
        return { id, props: { proxy: id, isProxy: row.is_proxy === 1 }, inputs: { proxy: id } };
    },
    async update(ctx, _id, _olds, news) {
        await setProxy(ctx, news.proxy, true);
        return { ...news, isProxy: true };
    },
    async delete(ctx, _id, props) {
        await setProxy(ctx, props.proxy, false);
    },
};
