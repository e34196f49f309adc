// eosnet:docker:Network: the bridge network a stack's nodes peer on.
import { Context, ResourceModule } from "../framework";
import { LABEL_STACK } from "../../rules/labels";
import { orUndefined } from "./engine";
import { NetworkInputs, NetworkOutputs } from "./network.schema";
import { foreignObjectProblem, notForeign, ownLabels, replaceOnNameOrLabels, withProviderLabel } from "./ownership";

async function inspectByName(ctx: Context, networkName: string) {
    const docker = await ctx.docker();
    return orUndefined(() => docker.client.getNetwork(networkName).inspect() as Promise<{ Id: string; Name: string; Labels?: Record<string, string> }>);
}

export const network: ResourceModule<NetworkInputs, NetworkOutputs> = {
    token: "eosnet:docker:Network",
    description: "A docker bridge network the stack's nodes peer on.",
    inputs: NetworkInputs,
    outputs: NetworkOutputs,
    async check(ctx, news, olds) {
        if (olds) {
            return {};
        }
        const existing = await inspectByName(ctx, news.name);
        return { failures: notForeign("network", news.name, existing ? existing.Labels ?? null : undefined, news.labels[LABEL_STACK]) };
    },
    async diff(_ctx, _id, olds, news) {
        return replaceOnNameOrLabels(olds, news);
    },
    async create(ctx, inputs) {
        const docker = await ctx.docker();
        const existing = await inspectByName(ctx, inputs.name);
        if (existing) {
            const problem = foreignObjectProblem("network", inputs.name, existing.Labels, inputs.labels[LABEL_STACK]);
            if (problem) {
                throw new Error(problem);
            }
            return { id: existing.Id, outs: { ...inputs, networkId: existing.Id } };
        }
        const created = await docker.client.createNetwork({ Name: inputs.name, Driver: "bridge", CheckDuplicate: true, Labels: withProviderLabel(inputs.labels) });
        return { id: created.id, outs: { ...inputs, networkId: created.id } };
    },
    async read(ctx, id) {
        const docker = await ctx.docker();
        const found = await orUndefined(() => docker.client.getNetwork(id).inspect() as Promise<{ Id: string; Name: string; Labels?: Record<string, string> }>);
        if (!found) {
            return undefined;
        }
        const props = { name: found.Name, labels: ownLabels(found.Labels), networkId: found.Id };
        return { id: found.Id, props, inputs: { name: props.name, labels: props.labels } };
    },
    async delete(ctx, id) {
        const docker = await ctx.docker();
        await orUndefined(() => docker.client.getNetwork(id).remove());
    },
};
