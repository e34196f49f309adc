// eosnet:chain:Distribution's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { NAME_PATTERN } from "../../rules/names";

const asset = z.string().regex(/^\d+(\.\d+)? [A-Z]{1,7}$/, 'an asset like "1.0000 SYS"');

export const DistributionInputs = z.object({
    creator: z.string().regex(NAME_PATTERN, "an account name").describe("The account that creates and funds every generated account (newaccount, buyram, delegatebw, transfer)."),
    seedKey: z.string().describe("Public key of the seed: each generated account's key is derived from the seed's private key and its name; the provider holds that private key in `keys`."),
    count: z.number().int().min(1).describe("How many accounts: <namePrefix><index in the name alphabet>, index 0 first."),
    total: asset.describe("Everything the accounts are given together (RAM, stake and liquid)."),
    minimum: asset.describe("What every account is given at least."),
    alpha: z.number().positive().describe("The Pareto law's shape: smaller is more skewed."),
    seed: z.number().int().describe("Seed of the funds and votes (the same seed, the same accounts)."),
    namePrefix: z.string().regex(/^[a-z1-5]{1,7}$/).describe("The accounts' name prefix."),
    votesPerAccount: z.number().int().min(0).max(30).describe("Producers each account votes for, chosen at random among `producers`."),
    producers: z.array(z.string()).describe("The producers votes go to."),
    ram: asset.describe("RAM each account's creator buys for it first (the stake rule)."),
    minStake: asset.describe("Staked at least, CPU/NET halved, before anything stays liquid (the stake rule)."),
    maxLiquid: asset.describe("Liquid at most; the rest is staked (the stake rule)."),
});
export type DistributionInputs = z.infer<typeof DistributionInputs>;

export const GeneratedAccountState = z.object({
    key: z.string().describe("The single key of owner and active; \"owner/active\" when they differ, \"(not a single key)\" for another authority."),
    cpu: z.string().describe("Self-staked CPU."),
    net: z.string().describe("Self-staked NET."),
    votes: z.array(z.string()).describe("Producers it votes for, sorted (empty when it does not vote or votes through a proxy)."),
    proxy: z.string().optional().describe("The proxy it votes through, if any."),
    given: z.object({ cpu: z.string(), net: z.string() }).optional()
        .describe("The CPU/NET stake it was created with: what it keeps (a later total or count does not restake it), and what drift is measured against."),
});
export type GeneratedAccountState = z.infer<typeof GeneratedAccountState>;

/**
 * One generated account in state, as one line (a reference-sized stack holds thousands):
 * `<key>;<cpu> <net>;<vote>[;<given cpu> <given net>]`. The key is `=` when it is the one derived
 * for the account from `seedKey` (owner and active), else as in GeneratedAccountState.key; amounts
 * are in the symbol of `total`; the vote is the voted producers' indices in `producers` (`@name` for
 * one not listed), `proxy <name>`, or empty; the stake it was created with follows only when it
 * differs from its stake now.
 */
export const EncodedAccount = z.string();

export const DistributionOutputs = DistributionInputs.extend({
    accounts: z.record(z.union([EncodedAccount, GeneratedAccountState]))
        .describe("Each generated account the chain has, by name, as the chain shows it (one line each, see EncodedAccount; state written before that format holds objects)."),
});
export type DistributionOutputs = z.infer<typeof DistributionOutputs>;
