// eosio.system's election and schedule rules. Pure, no imports.

/** eosio.system's min_activated_stake: raw units (150,000,000.0000 at precision 4, more tokens at a lower one). */
export const MIN_ACTIVATED_STAKE = 1_500_000_000_000n;

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
