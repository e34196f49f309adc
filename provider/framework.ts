// The contract every eosnet resource module fulfils, and what the provider hands it: its
// configuration (endpoint, chain id, keys, docker host), a chain client, a docker client and a way
// to show progress. One module per resource type; the provider dispatches by type token.
import { z } from "zod";
import type { ChainClient } from "./chain/client";
import type { DockerEngine } from "./docker/engine";
import type { ProviderConfig } from "./config.schema";

export type { ProviderConfig };

export interface Progress {
    /** A status line that replaces the previous one (ephemeral) or stays in the log. */
    (message: string, opts?: { ephemeral?: boolean; warning?: boolean }): void | Promise<void>;
}

export interface Context {
    readonly config: ProviderConfig;
    /** The chain client; throws a clear error when the provider has no endpoint. */
    chain(): ChainClient;
    /** The docker engine, API version negotiated on first use. */
    docker(): Promise<DockerEngine>;
    /** Progress of the resource being worked on, shown by the CLI. */
    progress: Progress;
    /** Whether the engine is only previewing. */
    readonly preview: boolean;
}

export interface CheckFailure {
    property: string;
    reason: string;
}

export interface Diff {
    changes: boolean;
    replaces?: string[];
    /** Property names that differ, for the CLI's detailed diff. */
    changed?: string[];
    /** Property paths (e.g. accounts.<name>) and how each changes, for the detailed diff; `changed` still lists the properties. */
    detailed?: Record<string, "add" | "update" | "delete">;
    deleteBeforeReplace?: boolean;
}

export interface ReadResult<I, O> {
    id: string;
    props: O;
    /** Inputs that reproduce `props` (import); omitted on refresh, where the program's inputs stay. */
    inputs?: I;
}

/**
 * One resource type. `inputs`/`outputs` are the typed boundary (zod, also used for GetSchema);
 * outputs are mostly the inputs and what the world adds, less inputs the world cannot show back
 * (a node container's genesis and settings: the config digest it holds stands for them);
 * `read` returns what the world shows, or undefined when the thing is gone, so refresh and the
 * next diff see drift; `create` adopts what already matches; `diff` never promises an update that
 * `update` refuses.
 */
export interface ResourceModule<I extends object, O extends object> {
    token: string;
    description: string;
    inputs: z.ZodType<I, z.ZodTypeDef, unknown>;
    outputs: z.ZodType<O, z.ZodTypeDef, unknown>;
    /** Extra checks beyond the input schema (may read the world), and normalized inputs. */
    check?(ctx: Context, news: I, olds: I | undefined): Promise<{ inputs?: I; failures?: CheckFailure[] }>;
    diff(ctx: Context, id: string, olds: O, news: I): Promise<Diff>;
    create(ctx: Context, inputs: I): Promise<{ id: string; outs: O }>;
    read(ctx: Context, id: string, props: Partial<O> | undefined): Promise<ReadResult<I, O> | undefined>;
    update?(ctx: Context, id: string, olds: O, news: I): Promise<O>;
    delete?(ctx: Context, id: string, props: O): Promise<void>;
    /** Property names whose values are secrets in outputs. */
    secretOutputs?: string[];
    /** Property names check may add whose values are secrets (a generated key). */
    secretInputs?: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = ResourceModule<any, any>;

/** One function (invoke): typed like a resource, so GetSchema lists it with its inputs and outputs. */
export interface FunctionModule<I extends object, O extends object> {
    token: string;
    description: string;
    inputs: z.ZodType<I, z.ZodTypeDef, unknown>;
    outputs: z.ZodType<O, z.ZodTypeDef, unknown>;
    invoke(ctx: Context, inputs: I): Promise<O>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = FunctionModule<any, any>;

/** Property names of `keys` whose values differ between `a` and `b` (deep, key order ignored). */
export function differingKeys<T extends object>(a: Partial<T>, b: Partial<T>, keys: (keyof T & string)[]): string[] {
    return keys.filter((k) => stable(a[k]) !== stable(b[k]));
}

/** JSON with object keys sorted, for comparisons and digests. */
export function stable(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(stable).join(",")}]`;
    }
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`).join(",")}}`;
    }
    return value === undefined ? "null" : JSON.stringify(value);
}
