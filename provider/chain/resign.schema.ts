// eosnet:chain:Resignation's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

const Handover = z.object({
    account: z.string().describe("The account that resigns (updateauth of owner and active)."),
    controller: z.string().describe("The account whose active permission controls it afterwards."),
});
export const ResignationInputs = z.object({
    accounts: z.array(Handover).min(1).describe("Each account and the account that controls it after the resignation (eosio: eosio.prods; eosio.*: eosio)."),
});
export type ResignationInputs = z.infer<typeof ResignationInputs>;
export const ResignationOutputs = ResignationInputs.extend({});
export type ResignationOutputs = z.infer<typeof ResignationOutputs>;
