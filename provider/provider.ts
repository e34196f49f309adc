// The eosnet provider: one process serves every resource type, dispatched by type token. Inputs
// and outputs cross the boundary through each module's zod schemas; secrets arrive wrapped and
// leave wrapped; progress goes to the engine's log for the resource being worked on.
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import { z } from "zod";
import { ChainClient } from "./chain/client";
import { connectDocker, DockerEngine } from "./docker/engine";
import { AnyModule, Context, Diff } from "./framework";
import { ProviderConfig, ProviderConfigSchema } from "./config.schema";
import { EngineLog } from "./log";
import { FUNCTIONS, MODULES } from "./registry";
import { packageSchema } from "./schema";
import { containsUnknown, secretKeys, secretValue, unwrapSecrets } from "./secrets";
import { invoke as invokeFunction } from "./functions";

export const PACKAGE = "eosnet";

/** The type token of a URN: the last type in its parent chain. */
export function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    return (parts[2] ?? "").split("$").pop() ?? "";
}

function moduleFor(urn: string): AnyModule {
    const token = typeOfUrn(urn);
    const m = MODULES.get(token);
    if (!m) {
        throw new Error(`eosnet has no resource type ${token}`);
    }
    return m;
}

/** Zod issues as Pulumi check failures, one per property. */
function failuresOf(error: z.ZodError): { property: string; reason: string }[] {
    return error.issues.map((i) => ({ property: i.path.map(String).join(".") || "(inputs)", reason: i.message }));
}

function parseOr<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T {
    const r = schema.safeParse(value);
    if (!r.success) {
        throw new Error(`${what}: ${failuresOf(r.error).map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    return r.data;
}

export class EosnetProvider implements pulumiProvider.Provider {
    readonly version: string;
    private config: ProviderConfig = ProviderConfigSchema.parse({});
    private chainClient: ChainClient | undefined;
    private dockerEngine: Promise<DockerEngine> | undefined;
    preview = false;

    constructor(version: string, private readonly log: EngineLog) {
        this.version = version;
    }

    /** Provider configuration from the engine (secrets already unwrapped). */
    configure(raw: Record<string, unknown>): void {
        this.config = parseOr(ProviderConfigSchema, unwrapSecrets(raw).value, "eosnet provider configuration");
        this.chainClient = undefined;
        this.dockerEngine = undefined;
    }

    private context(urn: string): Context {
        return {
            config: this.config,
            preview: this.preview,
            chain: () => {
                if (!this.config.endpoint) {
                    throw new Error("this eosnet provider has no chain endpoint: set `endpoint` in its configuration");
                }
                this.chainClient ??= new ChainClient(this.config.endpoint, this.config.chainId, this.config.keys, this.config.fallbackEndpoints);
                return this.chainClient;
            },
            docker: () => {
                const c = this.config;
                this.dockerEngine ??= connectDocker(c.dockerHost, { hostName: c.hostName, tlsCa: c.tlsCa, tlsCert: c.tlsCert, tlsKey: c.tlsKey, sshKey: c.sshKey, sshHostKey: c.sshHostKey });
                return this.dockerEngine.catch((e) => {
                    this.dockerEngine = undefined;
                    throw e;
                });
            },
            progress: (message, opts) => this.log.log(urn, message, opts),
        };
    }

    async getSchema(): Promise<string> {
        return JSON.stringify(packageSchema(PACKAGE, this.version, [...MODULES.values()], [...FUNCTIONS.values()]));
    }

    async check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumiProvider.CheckResult> {
        const m = moduleFor(urn);
        if (containsUnknown(news)) {
            // Preview with values not known yet: checked again when they are.
            return { inputs: news };
        }
        const secret = secretKeys(news);
        const parsed = m.inputs.safeParse(unwrapSecrets(news).value);
        if (!parsed.success) {
            return { inputs: news, failures: failuresOf(parsed.error) };
        }
        const oldInputs = olds && Object.keys(olds).length > 0 && !containsUnknown(olds) ? m.inputs.safeParse(unwrapSecrets(olds).value) : undefined;
        const extra = m.check ? await m.check(this.context(urn), parsed.data, oldInputs?.success ? oldInputs.data : undefined) : {};
        return { inputs: rewrap(extra.inputs ?? parsed.data, new Set([...secret, ...(m.secretInputs ?? [])])), failures: extra.failures ?? [] };
    }

    async diffDetailed(id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Diff | undefined> {
        const m = moduleFor(urn);
        if (containsUnknown(news)) {
            return undefined; // the engine compares inputs itself
        }
        const o = m.outputs.safeParse(unwrapSecrets(olds).value);
        const n = parseOr(m.inputs, unwrapSecrets(news).value, `${typeOfUrn(urn)} inputs`);
        if (!o.success) {
            // State written by another version of this type: replace rather than guess.
            return { changes: true, replaces: failuresOf(o.error).map((f) => f.property.split(".")[0]), changed: [] };
        }
        return m.diff(this.context(urn), id, o.data, n);
    }

    async create(urn: string, inputs: Record<string, unknown>): Promise<pulumiProvider.CreateResult> {
        const m = moduleFor(urn);
        const secret = secretKeys(inputs);
        const parsed = parseOr(m.inputs, unwrapSecrets(inputs).value, `${typeOfUrn(urn)} inputs`);
        const { id, outs } = await m.create(this.context(urn), parsed);
        return { id, outs: this.outputs(m, outs, secret) };
    }

    async read(id: string, urn: string, props?: Record<string, unknown>): Promise<pulumiProvider.ReadResult> {
        const m = moduleFor(urn);
        const importing = !props || Object.keys(props).length === 0;
        const secret = props ? secretKeys(props) : new Set<string>();
        const old = props && !importing ? m.outputs.safeParse(unwrapSecrets(props).value) : undefined;
        const result = await m.read(this.context(urn), id, old?.success ? old.data : (props ? (unwrapSecrets(props).value as never) : undefined));
        if (!result) {
            return { id: "", props: {} };
        }
        return {
            id: result.id,
            props: this.outputs(m, result.props, secret),
            inputs: importing && result.inputs ? result.inputs : undefined,
        };
    }

    async update(id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumiProvider.UpdateResult> {
        const m = moduleFor(urn);
        if (!m.update) {
            throw new Error(`${m.token} cannot be updated in place (its diff should have asked for a replacement)`);
        }
        const secret = secretKeys(news);
        const o = parseOr(m.outputs, unwrapSecrets(olds).value, `${m.token} state`);
        const n = parseOr(m.inputs, unwrapSecrets(news).value, `${m.token} inputs`);
        return { outs: this.outputs(m, await m.update(this.context(urn), id, o, n), secret) };
    }

    async delete(id: string, urn: string, props: Record<string, unknown>): Promise<void> {
        const m = moduleFor(urn);
        if (!m.delete) {
            return; // chain state goes with its chain (resources are deletedWith the boot node)
        }
        const o = m.outputs.safeParse(unwrapSecrets(props).value);
        await m.delete(this.context(urn), id, o.success ? o.data : (unwrapSecrets(props).value as never));
    }

    async invoke(token: string, inputs: Record<string, unknown>): Promise<pulumiProvider.InvokeResult> {
        return { outputs: await invokeFunction(this.context(""), token, unwrapSecrets(inputs).value as Record<string, unknown>) };
    }

    /** Outputs with the module's secret outputs, and whatever came in secret, wrapped as secrets. */
    private outputs(m: AnyModule, outs: Record<string, unknown>, secretInputs: Set<string>): Record<string, unknown> {
        const secret = new Set([...(m.secretOutputs ?? []), ...secretInputs]);
        return rewrap(outs, secret);
    }
}

function rewrap(value: object, secret: Set<string>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secret.has(k) && v !== undefined ? secretValue(v) : v]));
}
