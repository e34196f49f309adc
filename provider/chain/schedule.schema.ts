// eosnet:chain:ProducerSchedule's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const ProducerScheduleInputs = z.object({
    producers: z.array(z.string()).min(1).describe("The producers the active schedule must hold (what the votes elect)."),
    timeoutSeconds: z.number().int().min(10).default(600)
        .describe("How long to wait for the schedule to be active and for LIB to pass its first block."),
});
export type ProducerScheduleInputs = z.infer<typeof ProducerScheduleInputs>;
export const ProducerScheduleOutputs = ProducerScheduleInputs.extend({
    activeProducers: z.array(z.string()).describe("The producers of the active schedule (get_producer_schedule)."),
    version: z.number().int().describe("The active schedule's version."),
    lib: z.number().int().describe("LIB when the wait ended (or when read)."),
    headBlock: z.number().int().describe("The head block when the wait ended (or when read)."),
});
export type ProducerScheduleOutputs = z.infer<typeof ProducerScheduleOutputs>;
