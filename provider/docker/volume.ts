// eosnet:docker:Volume: a node's data (blocks log and state). It belongs to one chain: the
// component names it after the chain id, so a new genesis means a new volume.
import { ResourceModule } from "../framework";
import { LABEL_STACK } from "../../rules/labels";
import { orUndefined } from "./engine";
import { VolumeInputs, VolumeOutputs } from "./volume.schema";
import { foreignObjectProblem, notForeign, ownLabels, replaceOnNameOrLabels, withProviderLabel } from "./ownership";

interface VolumeView {
    Name: string;
    Labels?: Record<string, string> | null;
}

export const volume: ResourceModule<VolumeInputs, VolumeOutputs> = {
    token: "eosnet:docker:Volume",
    description: "A docker volume holding one node's chain data.",
    inputs: VolumeInputs,
    outputs: VolumeOutputs,
    async check(ctx, news, olds) {
        if (olds) {
            return {};
        }
        const docker = await ctx.docker();
        const existing = await orUndefined(() => docker.client.getVolume(news.name).inspect() as Promise<VolumeView>);
        return { failures: notForeign("volume", news.name, existing ? existing.Labels ?? null : undefined, news.labels[LABEL_STACK]) };
    },
    async diff(_ctx, _id, olds, news) {
        return replaceOnNameOrLabels(olds, news);
    },
    async create(ctx, inputs) {
        const docker = await ctx.docker();
        const existing = await orUndefined(() => docker.client.getVolume(inputs.name).inspect() as Promise<VolumeView>);
        if (existing) {
            // A volume of this stack kept its data across an interrupted run or a lost state: adopt it.
            const problem = foreignObjectProblem("volume", inputs.name, existing.Labels ?? undefined, inputs.labels[LABEL_STACK]);
            if (problem) {
                throw new Error(problem);
            }
        } else {
            await docker.client.createVolume({ Name: inputs.name, Labels: withProviderLabel(inputs.labels) });
        }
        return { id: inputs.name, outs: { ...inputs } };
    },
    async read(ctx, id) {
        const docker = await ctx.docker();
        const found = await orUndefined(() => docker.client.getVolume(id).inspect() as Promise<VolumeView>);
        if (!found) {
            return undefined;
        }
        const props = { name: found.Name, labels: ownLabels(found.Labels ?? undefined) };
        return { id: found.Name, props, inputs: props };
    },
    async delete(ctx, id) {
        const docker = await ctx.docker();
        await orUndefined(() => docker.client.getVolume(id).remove({ force: true }));
    },
};
