// The provider's own errors, told apart by class (never by their message), each keeping what
// caused it. (The chain's own error text is still read where only the chain's words tell.)

/** Base of eosnet's errors: `cause` set as ES2022 would (the target here is ES2020, so by hand). */
export class EosnetError extends Error {
    readonly cause?: unknown;

    constructor(message: string, options?: { cause?: unknown }) {
        super(message);
        this.name = new.target.name;
        if (options && "cause" in options) {
            this.cause = options.cause;
        }
    }
}

/** A node that cannot be reached or gave no answer in time: another node of the chain may answer. */
export class NodeUnreachable extends EosnetError {
    /** Scheme, host and port of the node (`url` without its path). */
    readonly endpoint: string;

    constructor(readonly url: string, readonly timedOut: boolean, message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.endpoint = originOf(url);
    }
}

function originOf(url: string): string {
    try {
        return new URL(url).origin;
    } catch {
        return url;
    }
}

/** A wait (a block, a schedule, a container answering) that did not see its effect before the deadline. */
export class WaitTimedOut extends EosnetError {
    /** `state`: where things stood, appended to the message. `cause`: the last failed attempt, if any. */
    constructor(readonly what: string, readonly waitedMs: number, state: string | undefined, options?: { cause?: unknown }) {
        // The README's troubleshooting quotes this wording.
        super(`gave up waiting for ${what} after ${Math.round(waitedMs / 1000)}s${state !== undefined ? `; ${state}` : ""}`, options);
    }
}

/** A chain API call the node answered with an error status; the message is the node's. */
export class ChainApiError extends EosnetError {
    constructor(readonly status: number, readonly path: string, message: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}

/** A transaction the chain refused whole (nothing of it applied); `chainMessage` is the chain's reason. */
export class TransactionError extends EosnetError {
    constructor(message: string, readonly chainMessage: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}

/** The planned schedule can no longer come about on this chain (eosio.system never shrinks a schedule). */
export class ScheduleUnreachable extends EosnetError {}
