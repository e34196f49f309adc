// eosnet:chain:getChainState's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { DistributionInputs } from "./distribution.schema";

export const ChainStateInputs = z.object({
    // Lenient as the invoke always was: a missing or odd value reads as none.
    accounts: z.preprocess((v) => (Array.isArray(v) ? v.map(String) : []), z.array(z.string()))
        .describe("Accounts to look up: which exist, and (see plannedStakes) their own stake and liquid balance."),
    plannedStakes: z.preprocess((v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {}), z.record(z.string(), z.string()))
        .describe("Account -> the stake (CPU + NET) the plan gives it. An existing account whose stake eosio's voters table shows at or above this is not read one by one; the others, and accounts without a planned stake, are."),
    coreSymbol: z.preprocess((v) => String(v ?? ""), z.string())
        .describe("The core token's symbol code (e.g. SYS), to read its max supply and issuer from eosio.token; \"\" to skip."),
    distribution: DistributionInputs.omit({ creator: true, seedKey: true }).optional()
        .describe("Generated accounts, as a Distribution takes them: each is looked up as if listed in `accounts`, its planned stake its CPU + NET (thousands of names and stakes cost more to send than to derive)."),
});
export type ChainStateInputs = z.infer<typeof ChainStateInputs>;

export const ChainStateOutputs = z.object({
    reachable: z.boolean().describe("Whether a node of this provider's chain answered; false before the network runs."),
    chainId: z.string().describe("The chain id the node serves."),
    headBlock: z.number().int().describe("The head block number."),
    lib: z.number().int().describe("The last irreversible block number."),
    activeSchedule: z.array(z.string()).describe("The producers of the active schedule."),
    eosioController: z.string().describe("Who controls eosio: \"eosio.prods\" once it has resigned, \"\" while it has its own key."),
    existingAccounts: z.array(z.string()).describe("Those of the accounts asked about that exist."),
    accounts: z.array(z.object({
        name: z.string().describe("The account."),
        staked: z.string().describe("Its own stake (CPU + NET)."),
        liquid: z.string().describe("Its liquid core balance."),
    })).describe("Own stake and liquid balance of the existing accounts that were read: those without a planned stake, and those whose stake may be below it. An existing account not listed here has a voters-table stake (its own, plus any it delegated to others or holds in REX) of at least its planned stake."),
    tokenMaxSupply: z.string().describe("The core token's max supply (\"\" when there is none)."),
    tokenIssuer: z.string().describe("The core token's issuer (\"\" when there is none)."),
    foreignChainId: z.string().optional().describe("Set when the endpoint serves another chain than the provider's."),
});
export type ChainState = z.infer<typeof ChainStateOutputs>;
