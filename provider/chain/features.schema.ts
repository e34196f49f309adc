// eosnet:chain:ProtocolFeatures' inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const ProtocolFeaturesInputs = z.object({
    phase: z.enum(["preactivate", "activate"])
        .describe("preactivate: PREACTIVATE_FEATURE through the producer API; activate: every other feature the node supports, in dependency order (eosio::activate)."),
    exclude: z.array(z.string()).default([]).describe("Codenames of protocol features to leave out."),
});
export type ProtocolFeaturesInputs = z.infer<typeof ProtocolFeaturesInputs>;

export const ProtocolFeaturesOutputs = ProtocolFeaturesInputs.extend({
    activated: z.array(z.string()).describe("Planned features active on the chain (codenames)."),
    missing: z.array(z.string()).describe("Planned features not active (yet)."),
});
export type ProtocolFeaturesOutputs = z.infer<typeof ProtocolFeaturesOutputs>;
