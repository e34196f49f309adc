// eosnet:chain:ProducerRegistration's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const ProducerRegistrationInputs = z.object({
    producer: z.string().describe("The producer's account (regproducer)."),
    producerKey: z.string().describe("The public key the producer signs blocks with."),
    url: z.string().default("").describe("The producer's website (regproducer url)."),
    location: z.number().int().min(0).max(65535).default(0).describe("The producer's location code (regproducer location)."),
});
export type ProducerRegistrationInputs = z.infer<typeof ProducerRegistrationInputs>;
export const ProducerRegistrationOutputs = ProducerRegistrationInputs.extend({
    isActive: z.boolean().describe("Whether the producers table row is active (an unregprod leaves it inactive)."),
    unpaidBlocks: z.number().int().default(0).describe("Blocks produced and not yet paid (the producers table's unpaid_blocks)."),
    lastClaimTime: z.string().default("").describe("When rewards were last claimed (ISO time; 1970 when never)."),
});
export type ProducerRegistrationOutputs = z.infer<typeof ProducerRegistrationOutputs>;
