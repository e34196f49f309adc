// eosio.system's election and schedule rules. Pure, no imports.

/** eosio.system's min_activated_stake: raw units (150,000,000.0000 at precision 4, more tokens at a lower one). */
export const MIN_ACTIVATED_STAKE = 1_500_000_000_000n;

/**
 * Which first-time voters to hold back for a last transaction so that voting activates only with it.
 * eosio.system elects at the first block after the activated stake reaches MIN_ACTIVATED_STAKE, with
 * the votes cast by then: a threshold crossed halfway through the votes elects from part of them, and
 * the planned schedule follows a minute later, after a second wait for LIB. Returns the names to vote
 * last (the largest stakes, as few as hold the others below the threshold), or none when voting is
 * active already or these votes do not activate it.
 */
export function activatingVoters(voters: { name: string; stake: bigint }[], activatedBefore: bigint, active: boolean): string[] {
    const total = voters.reduce((sum, v) => sum + v.stake, activatedBefore);
    if (active || total < MIN_ACTIVATED_STAKE) {
        return [];
    }
    const last: string[] = [];
    let rest = total;
    for (const v of [...voters].sort((a, b) => (a.stake === b.stake ? a.name.localeCompare(b.name) : a.stake > b.stake ? -1 : 1))) {
        if (rest < MIN_ACTIVATED_STAKE) {
            break;
        }
        last.push(v.name);
        rest -= v.stake;
    }
    return last;
}

/** Producers a schedule holds at most. */
export const MAX_SCHEDULED_PRODUCERS = 21;

/** Producers of a schedule that must sign for a block to become irreversible (and to approve an msig as eosio.prods): 2/3+1. */
export function quorum(scheduled: number): number {
    return Math.floor((2 * scheduled) / 3) + 1;
}

/**
 * Whether moving from the `active` schedule to `desired` would shrink it: eosio.system proposes a
 * new schedule only when it has at least as many producers as the last (the bootstrap schedule of
 * eosio alone does not count).
 */
export function scheduleShrinks(active: string[], desired: string[]): boolean {
    if (active.length === 0 || (active.length === 1 && active[0] === "eosio")) {
        return false;
    }
    return desired.length < active.length;
}

/** The reason a shrinking schedule is refused, in one wording for preview and the provider. */
export function scheduleShrinkReason(active: string[], desired: string[]): string {
    return `the votes elect ${desired.length} producer(s) [${desired.join(", ")}], but the chain runs ${active.length} [${[...active].sort().join(", ")}] ` +
        `and eosio.system never shrinks the schedule: keep at least ${active.length} producers voted, or reset the network (npm run destroy, then npm run up)`;
}
