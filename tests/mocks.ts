// Pulumi's mocks as the program-level unit tests use them: every resource "created" with its
// inputs as state (key pairs with a fixed throwaway key), invokes answered with nothing (a chain
// that does not answer), in preview. Tests wait on real effects with a deadline: a resource of a
// given name registered, or every registration started so far answered (no sleeps).
import * as pulumi from "@pulumi/pulumi";

export const MOCK_PRIVATE_KEY = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
export const MOCK_PUBLIC_KEY = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";

/** How long a wait on the mocks may take before it fails with what it saw. */
export const WAIT_DEADLINE_MS = 10_000;

export interface MockOptions {
    /** The key pair a KeyPair resource of this name gets (default: the fixed throwaway pair). */
    keyPair?: (name: string) => { publicKey: string; privateKey: string };
}

// What the mocks have seen since the last installMocks, and who waits for a name.
const seen: pulumi.runtime.MockResourceArgs[] = [];
const waiters = new Map<string, ((args: pulumi.runtime.MockResourceArgs) => void)[]>();

function record(args: pulumi.runtime.MockResourceArgs): void {
    seen.push(args);
    const ws = waiters.get(args.name) ?? [];
    waiters.delete(args.name);
    for (const w of ws) {
        w(args);
    }
}

export function installMocks(stack: string, onResource: (args: pulumi.runtime.MockResourceArgs) => void = () => undefined, opts: MockOptions = {}): void {
    seen.length = 0;
    waiters.clear();
    pulumi.runtime.setMocks(
        {
            newResource(args) {
                onResource(args);
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "kubernetes:core/v1:Service") {
                    // As the API server does: a Service gets a ClusterIP of its own.
                    const spec = (args.inputs.spec ?? {}) as Record<string, unknown>;
                    state.spec = { ...spec, clusterIP: `10.243.0.${10 + seen.filter((a) => a.type === args.type).length}` };
                }
                if (args.type.endsWith(":KeyPair")) {
                    Object.assign(state, opts.keyPair ? opts.keyPair(args.name) : { publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY });
                }
                record(args);
                return { id: `${args.name}-id`, state };
            },
            call() {
                return {};
            },
        },
        "eos-network",
        stack,
        true,
    );
}

/** Names the mocks have registered since the last installMocks, in order. */
export function registeredNames(): string[] {
    return seen.map((a) => a.name);
}

/** `promise`, or a rejection saying what did not happen within `ms` (and what had). */
export function withDeadline<T>(what: string, promise: Promise<T>, ms: number = WAIT_DEADLINE_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            const names = registeredNames();
            reject(new Error(`${what} did not happen within ${ms / 1000}s; the mocks registered ${names.length} resource(s)` +
                (names.length > 0 ? `: ${names.slice(-30).join(", ")}` : "")));
        }, ms);
        timer.unref();
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Resolves with the registration of the resource named `name` (at once if it has been registered). */
export function registration(name: string, ms: number = WAIT_DEADLINE_MS): Promise<pulumi.runtime.MockResourceArgs> {
    const done = seen.find((a) => a.name === name);
    if (done) {
        return Promise.resolve(done);
    }
    return withDeadline(`registration of ${name}`, new Promise((resolve) => {
        waiters.set(name, [...(waiters.get(name) ?? []), resolve]);
    }), ms);
}

// Pulumi's own "wait until every resource RPC has answered" (what it does before disconnecting).
// Every `new Resource` takes its keep-alive synchronously in the constructor, so once this resolves
// every resource constructed so far has reached the mocks (or failed).
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };

/** Resolves once every registration and invoke started so far has been answered by the mocks. */
export function settled(ms: number = WAIT_DEADLINE_MS): Promise<void> {
    const wait = runtimeSettings.waitForRPCs;
    if (typeof wait !== "function") {
        return Promise.reject(new Error("@pulumi/pulumi/runtime/settings has no waitForRPCs: tests/mocks.ts needs another way to see registrations settle"));
    }
    return withDeadline("settling of every pending registration", wait(), ms);
}
