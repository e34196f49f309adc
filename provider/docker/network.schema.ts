// eosnet:docker:Network's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { DOCKER_NAME_PATTERN } from "../../rules/labels";

export const NetworkInputs = z.object({
    name: z.string().regex(DOCKER_NAME_PATTERN, "a docker object name: letters, digits, '_', '.', '-' (2 or more)")
        .describe("The docker network's name."),
    labels: z.record(z.string()).default({})
        .describe("Docker labels of the network (the stack's ownership labels); the provider adds its own marker."),
});
export type NetworkInputs = z.infer<typeof NetworkInputs>;

export const NetworkOutputs = NetworkInputs.extend({
    networkId: z.string().describe("The network's id in the docker engine."),
});
export type NetworkOutputs = z.infer<typeof NetworkOutputs>;
