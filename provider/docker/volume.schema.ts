// eosnet:docker:Volume's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { DOCKER_NAME_PATTERN } from "../../rules/labels";

export const VolumeInputs = z.object({
    name: z.string().regex(DOCKER_NAME_PATTERN, "a docker volume name: letters, digits, '_', '.', '-' (2 or more)")
        .describe("The docker volume's name (the component names it after the chain id)."),
    labels: z.record(z.string()).default({})
        .describe("Docker labels of the volume (the stack's ownership labels); the provider adds its own marker."),
});
export type VolumeInputs = z.infer<typeof VolumeInputs>;
export const VolumeOutputs = VolumeInputs.extend({});
export type VolumeOutputs = z.infer<typeof VolumeOutputs>;
