// The one way to wait for a real effect (a block, a schedule, a container answering): poll a
// check until it says done, with a deadline and a message that says what was awaited.

export class WaitTimeout extends Error {}

/**
 * Calls `check` every `intervalMs` until it returns a value other than false/undefined, and
 * returns that value. `describe` (optional) says where things stood, for the timeout message.
 */
export async function pollUntil<T>(
    what: string,
    timeoutMs: number,
    intervalMs: number,
    check: () => Promise<T | false | undefined>,
    describe?: () => string,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const result = await check();
        if (result !== false && result !== undefined) {
            return result;
        }
        if (Date.now() >= deadline) {
            const state = describe ? `; ${describe()}` : "";
            throw new WaitTimeout(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)}s${state}`);
        }
        await new Promise((r) => setTimeout(r, intervalMs));
    }
}
