// eosnet:docker:Network: the bridge network a stack's nodes peer on.
import { z } from "zod";
import { Context, differingKeys, ResourceModule } from "../framework";
import { LABEL_PROVIDER, LABEL_STACK, orUndefined, PROVIDER_LABEL_VALUE } from "./engine";

const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, "a docker object name: letters, digits, '_', '.', '-' (2 or more)");

export const NetworkInputs = z.object({
    name,
    labels: z.record(z.string()).default({}),
});
export type NetworkInputs = z.infer<typeof NetworkInputs>;

export const NetworkOutputs = NetworkInputs.extend({
    networkId: z.string(),
});
export type NetworkOutputs = z.infer<typeof NetworkOutputs>;

/** Labels as stored: the caller's plus the provider's own marker. */
export function withProviderLabel(labels: Record<string, string>): Record<string, string> {
    return { ...labels, [LABEL_PROVIDER]: PROVIDER_LABEL_VALUE };
}

/** The user-visible labels of an object (the provider's marker left out). */
export function ownLabels(labels: Record<string, string> | undefined): Record<string, string> {
    const { [LABEL_PROVIDER]: _marker, ...rest } = labels ?? {};
    return rest;
}

/**
 * Why an existing docker object with our name cannot be taken over, or undefined if it can:
 * another stack's, or one made by the earlier dynamic providers of eos-network.
 */
export function foreignObjectProblem(kind: string, objectName: string, labels: Record<string, string> | undefined, stackLabel: string | undefined): string | undefined {
    if (!labels || labels[LABEL_STACK] !== stackLabel) {
        return `docker ${kind} '${objectName}' already exists and does not belong to this stack (${LABEL_STACK}=${labels?.[LABEL_STACK] ?? "none"}); remove it or rename the stack`;
    }
    if (labels[LABEL_PROVIDER] !== PROVIDER_LABEL_VALUE) {
        return `docker ${kind} '${objectName}' was made by an earlier eos-network (dynamic providers), whose stacks cannot be upgraded in place: ` +
            "run `npm run destroy` for this stack once (it still knows the old resources), then `npm run up`";
    }
    return undefined;
}

/** Check failures for a new object whose name is taken by something that is not this stack's. */
export function notForeign(kind: string, objectName: string, existingLabels: Record<string, string> | null | undefined, stackLabel: string | undefined) {
    const problem = existingLabels !== undefined && foreignObjectProblem(kind, objectName, existingLabels ?? undefined, stackLabel);
    return problem ? [{ property: "name", reason: problem }] : [];
}

/** Objects that are a name and labels: any change makes a new one, the old one removed first. */
export function replaceOnNameOrLabels(olds: { name: string; labels: Record<string, string> }, news: { name: string; labels: Record<string, string> }) {
    const replaces = differingKeys(olds, news, ["name", "labels"]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
}

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
