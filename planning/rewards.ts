// When eosio.system pays a producer's claimrewards: more than a day (its own limit) after the last
// claim, or after registration, which sets last_claim_time. Measured on the chain's clock (head block
// time), not this machine's: the contract compares against the time of the block that carries the claim.

const DAY_MS = 24 * 3600 * 1000;

/** A chain time ("2026-11-22T12:00:00.000", UTC without a zone) as epoch milliseconds. */
export function chainTimeMs(time: string): number {
    return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(time) ? time : `${time}Z`);
}

/** Whether a claim would be paid at chain time `headBlockTime`: a day since the last one, blocks unpaid. */
export function claimDue(lastClaimTime: string, unpaidBlocks: number, headBlockTime: string): boolean {
    const last = chainTimeMs(lastClaimTime);
    const now = chainTimeMs(headBlockTime);
    if (Number.isNaN(now)) {
        throw new Error(`the node reported an unreadable head block time: ${JSON.stringify(headBlockTime)}`);
    }
    return unpaidBlocks > 0 && (Number.isNaN(last) || now - last > DAY_MS);
}
