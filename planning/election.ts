// Producer election as eosio.system counts it: stake-weighted votes, proxies carrying their
// delegators' stake, top 21 scheduled once enough stake has voted. Pure, no I/O.

/** eosio.system's min_activated_stake: raw units (150,000,000.0000 at precision 4). */
export const MIN_ACTIVATED_STAKE = 1_500_000_000_000n;

/** Producers a schedule holds at most. */
export const MAX_SCHEDULED_PRODUCERS = 21;

export interface Voter {
    name: string;
    /** Own staked CPU + NET in raw units. */
    stake: bigint;
    producers: string[];
    proxy?: string;
    isProxy?: boolean;
}

export interface ElectionResult {
    /** Stake of every account that has voted (for producers or through a proxy). */
    activatedStake: bigint;
    /** Voting has started: the system contract schedules producers only after this. */
    activated: boolean;
    /** Registered producers with votes, most votes first (ties by name). */
    ranking: { producer: string; votes: bigint }[];
    /** The producers the chain will schedule, sorted by name as the chain lists them. */
    schedule: string[];
}

/**
 * What the chain would elect. Votes for names not in `registered` are ignored (the contract
 * refuses them; config validation reports them).
 */
export function predictElection(voters: Voter[], registered: string[]): ElectionResult {
    const proxied = new Map<string, bigint>();
    let activatedStake = 0n;
    for (const v of voters) {
        if (v.proxy) {
            activatedStake += v.stake;
            proxied.set(v.proxy, (proxied.get(v.proxy) ?? 0n) + v.stake);
        } else if (v.producers.length > 0) {
            activatedStake += v.stake;
        }
    }
    const known = new Set(registered);
    const totals = new Map<string, bigint>();
    for (const v of voters) {
        if (v.proxy || v.producers.length === 0) {
            continue;
        }
        // A proxy votes with its own stake and everything delegated to it; delegations to a
        // proxy that does not vote carry no producer votes.
        const weight = v.stake + (v.isProxy ? proxied.get(v.name) ?? 0n : 0n);
        for (const p of new Set(v.producers)) {
            if (known.has(p)) {
                totals.set(p, (totals.get(p) ?? 0n) + weight);
            }
        }
    }
    const ranking = [...totals.entries()]
        .filter(([, votes]) => votes > 0n)
        .map(([producer, votes]) => ({ producer, votes }))
        .sort((a, b) => (a.votes === b.votes ? (a.producer < b.producer ? -1 : 1) : a.votes > b.votes ? -1 : 1));
    const activated = activatedStake >= MIN_ACTIVATED_STAKE;
    const schedule = activated ? ranking.slice(0, MAX_SCHEDULED_PRODUCERS).map((r) => r.producer).sort() : [];
    return { activatedStake, activated, ranking, schedule };
}

/**
 * Why the chain cannot move from the `active` schedule to `desired`, or undefined if it can.
 * eosio.system proposes a new schedule only when it has at least as many producers as the last
 * one, so a schedule never shrinks (the bootstrap schedule of eosio alone does not count).
 */
export function scheduleChangeProblem(active: string[], desired: string[]): string | undefined {
    if (active.length === 0 || (active.length === 1 && active[0] === "eosio")) {
        return undefined;
    }
    if (desired.length < active.length) {
        return `the votes elect ${desired.length} producer(s) [${desired.join(", ")}], but the chain runs ${active.length} [${[...active].sort().join(", ")}] ` +
            `and eosio.system never shrinks the schedule: keep at least ${active.length} producers voted, or reset the network (npm run destroy, then npm run up)`;
    }
    return undefined;
}
