// The one way to wait for a real effect (a block, a schedule, a container answering): poll a
// check until it says done, with a deadline and a message that says what was awaited.
import { WaitTimedOut } from "./errors";

/** What a check is handed: where to note why an attempt was not done (the last one becomes the timeout's cause). */
export interface Attempt {
    failed(cause: unknown): void;
}

/**
 * Calls `check` every `intervalMs` until it returns a value other than false/undefined, and
 * returns that value. `describe` (optional) says where things stood, for the timeout message.
 * A check that throws ends the wait with its error; one that notes a failure is tried again.
 */
export async function pollUntil<T>(
    what: string,
    timeoutMs: number,
    intervalMs: number,
    check: (attempt: Attempt) => Promise<T | false | undefined>,
    describe?: () => string,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastFailure: { cause: unknown } | undefined;
    const attempt: Attempt = { failed: (cause) => void (lastFailure = { cause }) };
    for (;;) {
        const result = await check(attempt);
        if (result !== false && result !== undefined) {
            return result;
        }
        if (Date.now() >= deadline) {
            throw new WaitTimedOut(what, timeoutMs, describe ? describe() : undefined, lastFailure);
        }
        await new Promise((r) => setTimeout(r, intervalMs));
    }
}
