// Which docker objects are this stack's: the labels the provider stores on what it makes (network,
// volume, container), what it refuses to take over, and how a name-and-labels object is replaced.
import { differingKeys } from "../framework";
import { LABEL_PROVIDER, LABEL_STACK, PROVIDER_LABEL_VALUE } from "../../rules/labels";

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
