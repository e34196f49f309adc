// eosnet:chain:Contract's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";

export const ContractInputs = z.object({
    account: z.string().min(1).describe("The account the code and ABI are set on (setcode/setabi)."),
    wasmPath: z.string().min(1).describe("Path of the contract's WebAssembly code (.wasm)."),
    abiPath: z.string().min(1).describe("Path of the contract's ABI (.abi, JSON)."),
    codeHash: z.string().default("").describe("sha256 of the wasm file (set by check); the chain's get_code_hash."),
    abiHash: z.string().default("").describe("sha256 of the ABI in setabi's binary form (set by check); the chain's get_raw_abi hash."),
    bootstrapOnly: z.boolean().default(false)
        .describe("A boot step that a later contract on the same account replaces (eosio.bios before eosio.system): done once the account has any code, and never set again."),
    proposer: z.string().default("")
        .describe("For an account only eosio.prods controls (eosio and eosio.* after the resignation): the producer that proposes the eosio.msig upgrade."),
    ramPayer: z.string().default("").describe("The account that buys the RAM of the eosio.msig proposal, when the proposer has too little."),
    deployVia: z.string().default("").describe("How the code is set, as check found it: directly, or through an eosio.msig proposal (shown in preview)."),
});
export type ContractInputs = z.infer<typeof ContractInputs>;
export const ContractOutputs = ContractInputs.extend({});
export type ContractOutputs = z.infer<typeof ContractOutputs>;
