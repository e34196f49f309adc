// A generated stake distribution (Pareto, like the reference boot script's): pure and seeded, so a
// stack generates the same accounts every time. The plan, the Distribution resource (which creates
// them) and the policy pack all generate them here, from the same spec.
import { readAnyAsset, splitFunds, StakeRule, StakeSplit } from "../rules/assets";

const NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz12345";

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** `prefix` followed by the index in the name alphabet, padded to 12 characters. */
export function generatedName(prefix: string, index: number): string {
    const width = 12 - prefix.length;
    let s = "";
    let n = index;
    do {
        s = NAME_ALPHABET[n % NAME_ALPHABET.length] + s;
        n = Math.floor(n / NAME_ALPHABET.length);
    } while (n > 0);
    if (s.length > width) {
        throw new Error(`index ${index} does not fit in ${width} name characters after '${prefix}'`);
    }
    return prefix + s.padStart(width, "a");
}

export interface GeneratedAccount {
    name: string;
    funds: bigint;
    votes: string[];
}

export interface DistributionSpec {
    count: number;
    total: bigint;
    /** Every account gets at least this much (it must cover RAM and the minimum stake). */
    minimum: bigint;
    alpha: number;
    seed: number;
    namePrefix: string;
    votesPerAccount: number;
}

/** The draws of account `index` alone (murmur3's finalizer mixes seed and index): they do not depend on the count. */
function accountRandom(seed: number, index: number): () => number {
    let h = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return prng((h ^ (h >>> 16)) >>> 0);
}

/**
 * Pareto-distributed funds summing exactly to `total`, and a seeded choice of producers to vote
 * for. Each account's weight and votes come from its own draws, so a larger count keeps every
 * existing account's votes and relative weight (its funds move with the total's normalization).
 */
export function generateDistribution(spec: DistributionSpec, producers: string[]): GeneratedAccount[] {
    if (spec.minimum * BigInt(spec.count) > spec.total) {
        throw new Error(`total ${spec.total} cannot give ${spec.count} accounts the minimum ${spec.minimum}`);
    }
    const draws = Array.from({ length: spec.count }, (_, i) => accountRandom(spec.seed, i));
    const weights = draws.map((rand) => Math.pow(1 - rand(), -1 / spec.alpha));
    const sum = weights.reduce((a, b) => a + b, 0);
    const spread = spec.total - spec.minimum * BigInt(spec.count);
    // Fixed-point shares (1e12) keep the arithmetic in integers; the remainder goes to the first.
    const shares = weights.map((w) => BigInt(Math.floor((w / sum) * 1e12)));
    const funds = shares.map((s) => spec.minimum + (spread * s) / 1_000_000_000_000n);
    funds[0] += spec.total - funds.reduce((a, b) => a + b, 0n);
    // Sorted: the votes do not depend on the order the producers are listed in.
    const candidates = [...producers].sort();
    return funds.map((f, i) => {
        const pool = [...candidates];
        const votes: string[] = [];
        while (votes.length < Math.min(spec.votesPerAccount, producers.length, 30)) {
            votes.push(pool.splice(Math.floor(draws[i]() * pool.length), 1)[0]);
        }
        return { name: generatedName(spec.namePrefix, i), funds: f, votes: votes.sort() };
    });
}

/** A generated account as it is created: its funds split as the stake rule says, and its votes. */
export interface DistributedAccount extends StakeSplit {
    name: string;
    votes: string[];
}

/** The generated accounts with their RAM/CPU/NET/liquid, in index order. */
export function distributedAccounts(spec: DistributionSpec, producers: string[], rule: StakeRule): DistributedAccount[] {
    return generateDistribution(spec, producers).map((g) => ({ name: g.name, votes: g.votes, ...splitFunds(g.funds, rule) }));
}

/** A Distribution as its resource inputs write it: amounts as asset text ("10.0000 SYS"). */
export interface WrittenDistribution {
    count: number;
    total: string;
    minimum: string;
    alpha: number;
    seed: number;
    namePrefix: string;
    votesPerAccount: number;
    producers: string[];
    ram: string;
    minStake: string;
    maxLiquid: string;
}

/** The last written distribution's accounts: a provider asks for the same ones in getChainState and the Distribution's diff. */
let lastWritten: { key: string; accounts: DistributedAccount[] } | undefined;

/**
 * The accounts written inputs generate (the Distribution resource, getChainState and the policy
 * pack), or undefined when an amount is not an asset. The same inputs return the same array: do not
 * change it.
 */
export function writtenDistributionAccounts(w: WrittenDistribution): DistributedAccount[] | undefined {
    const key = JSON.stringify([w.count, w.total, w.minimum, w.alpha, w.seed, w.namePrefix, w.votesPerAccount, w.producers, w.ram, w.minStake, w.maxLiquid]);
    if (lastWritten?.key === key) {
        return lastWritten.accounts;
    }
    const [total, minimum, ram, minStake, maxLiquid] = [w.total, w.minimum, w.ram, w.minStake, w.maxLiquid].map((t) => readAnyAsset(t)?.units);
    if (total === undefined || minimum === undefined || ram === undefined || minStake === undefined || maxLiquid === undefined) {
        return undefined;
    }
    const spec = { count: w.count, total, minimum, alpha: w.alpha, seed: w.seed, namePrefix: w.namePrefix, votesPerAccount: w.votesPerAccount };
    lastWritten = { key, accounts: distributedAccounts(spec, w.producers, { ram, minStake, maxLiquid }) };
    return lastWritten.accounts;
}
