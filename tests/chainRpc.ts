// The tests' own chain client (eosjs over fetch, not the provider's client), in a module of its own
// so that unit tests can check it without the integration harness.
import { JsonRpc } from "eosjs";

/** Failures of a kept-alive connection that the node closed as the request went out: nothing was answered. */
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

/**
 * The tests' own chain client: eosjs over fetch. An `up` restarts nodes (new peers, keys), and a
 * kept-alive connection to a restarted node fails with a reset before any answer; such a call goes
 * again, at most twice, each time on a fresh connection (fetch drops the dead one). A push that
 * went out twice is refused by the chain as a duplicate, never applied twice.
 */
export function chainRpc(endpoint: string): JsonRpc {
    const resetTwice = async (url: string, init?: RequestInit): Promise<Response> => {
        for (let attempt = 1; ; attempt++) {
            try {
                return await fetch(url, init);
            } catch (e) {
                const code = ((e as { cause?: { code?: string } }).cause ?? {}).code;
                if (attempt === 3 || !code || !RESET_CODES.has(code)) throw e;
            }
        }
    };
    return new JsonRpc(endpoint, { fetch: resetTwice as never });
}
