// Producer election as eosio.system counts it: stake-weighted votes, proxies carrying their
// delegators' stake, top 21 scheduled once enough stake has voted. Pure, no I/O.

import { MAX_SCHEDULED_PRODUCERS, MIN_ACTIVATED_STAKE } from "../rules/schedule";

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
