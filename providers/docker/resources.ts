// Dynamic providers for the docker objects of a network: bridge network, volume, container.
// They talk to the local engine (engine.ts). Containers are immutable: any change replaces them.
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as engine from "./engine";

export const LABEL_MANAGED = "io.eos-network.managed";
export const LABEL_STACK = "io.eos-network.stack";
export const LABEL_SPEC = "io.eos-network.spec";

function stableStringify(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(stableStringify).join(",")}]`;
    }
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        return `{${Object.keys(obj)
            .filter((k) => obj[k] !== undefined && k !== "__provider")
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

export function sha256(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

/** Keys of `news` whose values differ from `olds` (deep, order-insensitive for objects). */
export function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>, keys: string[]): string[] {
    return keys.filter((k) => stableStringify(olds[k]) !== stableStringify(news[k]));
}

// ---------------------------------------------------------------------------------------------
// Network

export interface NetworkInputs {
    name: string;
    labels: Record<string, string>;
}

/** check + diff of a docker object that is only a name and labels: any change replaces it. */
function namedObjectMethods(kind: string) {
    return {
        async check(_olds: any, news: any) {
            const failures: pulumi.dynamic.CheckFailure[] = [];
            if (!news.name || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(news.name)) {
                failures.push({ property: "name", reason: `invalid docker ${kind} name '${news.name}'` });
            }
            return { inputs: { name: news.name, labels: news.labels || {} }, failures };
        },
        async diff(_id: string, olds: any, news: any) {
            const replaces = changedKeys(olds, news, ["name", "labels"]);
            return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
        },
    };
}

export const networkProvider: pulumi.dynamic.ResourceProvider = {
    ...namedObjectMethods("network"),
    async create(inputs: any) {
        const existing = await engine.getOrUndefined(`/networks/${encodeURIComponent(inputs.name)}`);
        if (existing) {
            if (existing.Labels?.[LABEL_STACK] !== inputs.labels[LABEL_STACK]) {
                throw new Error(`docker network '${inputs.name}' already exists and does not belong to this stack; remove it or rename the network`);
            }
            return { id: existing.Id, outs: { ...inputs, networkId: existing.Id } };
        }
        const res = await engine.request("POST", "/networks/create", {
            Name: inputs.name,
            Driver: "bridge",
            CheckDuplicate: true,
            Labels: inputs.labels,
        });
        return { id: res.body.Id, outs: { ...inputs, networkId: res.body.Id } };
    },
    async delete(id: string) {
        await engine.deleteIfPresent(`/networks/${encodeURIComponent(id)}`);
    },
};

export interface DockerNetworkArgs {
    name: pulumi.Input<string>;
    labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class DockerNetwork extends pulumi.dynamic.Resource {
    public readonly name!: pulumi.Output<string>;
    public readonly networkId!: pulumi.Output<string>;
    constructor(name: string, args: DockerNetworkArgs, opts?: pulumi.CustomResourceOptions) {
        super(networkProvider, name, { ...args, networkId: undefined }, opts, "eos-network", "DockerNetwork");
    }
}

// ---------------------------------------------------------------------------------------------
// Volume

export const volumeProvider: pulumi.dynamic.ResourceProvider = {
    ...namedObjectMethods("volume"),
    async create(inputs: any) {
        const existing = await engine.getOrUndefined(`/volumes/${encodeURIComponent(inputs.name)}`);
        if (existing && existing.Labels?.[LABEL_STACK] !== inputs.labels[LABEL_STACK]) {
            throw new Error(`docker volume '${inputs.name}' already exists and does not belong to this stack; remove it or rename the stack`);
        }
        if (!existing) {
            await engine.request("POST", "/volumes/create", { Name: inputs.name, Labels: inputs.labels });
        }
        return { id: inputs.name, outs: { ...inputs } };
    },
    async delete(id: string) {
        await engine.deleteIfPresent(`/volumes/${encodeURIComponent(id)}?force=true`);
    },
};

export interface DockerVolumeArgs {
    name: pulumi.Input<string>;
    labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class DockerVolume extends pulumi.dynamic.Resource {
    public readonly name!: pulumi.Output<string>;
    constructor(name: string, args: DockerVolumeArgs, opts?: pulumi.CustomResourceOptions) {
        super(volumeProvider, name, args, opts, "eos-network", "DockerVolume");
    }
}

// ---------------------------------------------------------------------------------------------
// Container

export interface PortBinding {
    containerPort: number;
    hostPort: number;
    hostIp: string;
}

export interface ContainerFile {
    /** Absolute path inside the container. */
    path: string;
    content: string;
    mode: number;
}

export interface ContainerInputs {
    name: string;
    image: string;
    command: string[];
    labels: Record<string, string>;
    network: string;
    aliases: string[];
    ports: PortBinding[];
    volumes: { volume: string; target: string }[];
    /** Written into the container before it starts: never in its env, command or `docker inspect`. */
    files: ContainerFile[];
    healthcheck: string[];
    healthTimeoutSeconds: number;
    /** When set, the container is ready once this URL answers (POST {}), checked from the host. */
    readinessUrl: string;
}

// Compared on update; `files` is compared through its digest (the content is secret).
const containerKeys = ["name", "image", "command", "labels", "network", "aliases", "ports", "volumes", "healthcheck", "readinessUrl"];

export function filesDigest(files: ContainerFile[]): string {
    return sha256(stableStringify(files || []));
}

/** Demultiplexes the engine's log stream (8-byte frame headers) into text. */
export function demuxLogs(raw: string | Buffer): string {
    const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), "binary");
    const out: Buffer[] = [];
    let i = 0;
    while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
        const len = buf.readUInt32BE(i + 4);
        out.push(buf.subarray(i + 8, i + 8 + len));
        i += 8 + len;
    }
    return out.length > 0 ? Buffer.concat(out).toString("utf8") : buf.toString("utf8");
}

async function containerLogsTail(id: string, lines: number): Promise<string> {
    try {
        const res = await engine.request("GET", `/containers/${id}/logs?stdout=true&stderr=true&tail=${lines}`);
        return demuxLogs(res.body);
    } catch {
        return "(logs unavailable)";
    }
}

async function waitReady(id: string, name: string, timeoutSeconds: number, readinessUrl: string): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (let i = 0; ; i++) {
        if (readinessUrl) {
            // The real effect: the service answers on its published port.
            const answered = await fetch(readinessUrl, { method: "POST", body: "{}", signal: AbortSignal.timeout(2000) })
                .then((r) => r.ok)
                .catch(() => false);
            if (answered) {
                return;
            }
        }
        const state = (await engine.request("GET", `/containers/${id}/json`)).body.State;
        const health = state.Health?.Status;
        if (!readinessUrl && (health === "healthy" || (!state.Health && state.Running))) {
            return;
        }
        if (!state.Running || health === "unhealthy") {
            const logs = await containerLogsTail(id, 40);
            throw new Error(`container ${name} ${state.Running ? "is unhealthy" : `exited (code ${state.ExitCode})`}; last log lines:\n${logs}`);
        }
        if (Date.now() > deadline) {
            const logs = await containerLogsTail(id, 40);
            throw new Error(`container ${name} not ready after ${timeoutSeconds}s; last log lines:\n${logs}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}

async function removeContainer(idOrName: string): Promise<void> {
    try {
        await engine.request("POST", `/containers/${encodeURIComponent(idOrName)}/stop?t=15`);
    } catch (e) {
        if (!(e instanceof engine.EngineError && (e.status === 304 || e.status === 404))) {
            throw e;
        }
    }
    await engine.deleteIfPresent(`/containers/${encodeURIComponent(idOrName)}?force=true&v=true`);
}

export const containerProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (!news.image) {
            failures.push({ property: "image", reason: "a node image is required" });
        }
        if (!Array.isArray(news.command) || news.command.length === 0) {
            failures.push({ property: "command", reason: "a command is required" });
        }
        for (const p of news.ports || []) {
            if (!(p.hostPort > 0 && p.hostPort < 65536)) {
                failures.push({ property: "ports", reason: `host port ${p.hostPort} is out of range` });
            }
        }
        const inputs = {
            name: news.name,
            image: news.image,
            command: news.command || [],
            labels: news.labels || {},
            network: news.network,
            aliases: news.aliases || [],
            ports: news.ports || [],
            volumes: news.volumes || [],
            files: news.files || [],
            healthcheck: news.healthcheck || [],
            healthTimeoutSeconds: news.healthTimeoutSeconds || 120,
            readinessUrl: news.readinessUrl || "",
        };
        return { inputs, failures };
    },
    async diff(_id: string, olds: any, news: any) {
        const replaces = changedKeys(olds, news, containerKeys);
        if (olds.filesSha256 !== filesDigest(news.files)) {
            replaces.push("files");
        }
        return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
    },
    async create(inputs: any) {
        const image = await engine.getOrUndefined(`/images/${encodeURIComponent(inputs.image)}/json`);
        if (!image) {
            throw new Error(`node image '${inputs.image}' is not present in the local docker engine; ` +
                "build it with `npm run setup` or set eos-network:node.image to an image you have");
        }
        const filesSha256 = filesDigest(inputs.files);
        const labels = { ...inputs.labels, [LABEL_SPEC]: sha256(stableStringify({ ...inputs, files: filesSha256 })) };
        const existing = await engine.getOrUndefined(`/containers/${encodeURIComponent(inputs.name)}/json`);
        if (existing) {
            if (existing.Config.Labels?.[LABEL_SPEC] === labels[LABEL_SPEC] && existing.State.Running) {
                // Same spec already running (e.g. state lost after a crash): adopt it.
                await waitReady(existing.Id, inputs.name, inputs.healthTimeoutSeconds, inputs.readinessUrl);
                return { id: existing.Id, outs: outputsOf(inputs, existing.Id, image.Id, filesSha256) };
            }
            if (existing.Config.Labels?.[LABEL_STACK] !== inputs.labels[LABEL_STACK]) {
                throw new Error(`docker container '${inputs.name}' already exists and does not belong to this stack`);
            }
            await removeContainer(existing.Id);
        }
        const exposed: Record<string, {}> = {};
        const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
        for (const p of inputs.ports as PortBinding[]) {
            exposed[`${p.containerPort}/tcp`] = {};
            bindings[`${p.containerPort}/tcp`] = [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }];
        }
        const created = await engine.request("POST", `/containers/create?name=${encodeURIComponent(inputs.name)}`, {
            Image: inputs.image,
            Cmd: inputs.command,
            Labels: labels,
            ExposedPorts: exposed,
            StopSignal: "SIGTERM",
            StopTimeout: 15,
            Healthcheck: inputs.healthcheck.length > 0
                ? { Test: inputs.healthcheck, Interval: 15e9, Timeout: 5e9, Retries: 3, StartPeriod: 60e9 }
                : undefined,
            HostConfig: {
                PortBindings: bindings,
                Mounts: (inputs.volumes as { volume: string; target: string }[]).map((v) => ({ Type: "volume", Source: v.volume, Target: v.target })),
                NetworkMode: inputs.network,
                RestartPolicy: { Name: "no" },
                Init: true,
            },
            NetworkingConfig: { EndpointsConfig: { [inputs.network]: { Aliases: inputs.aliases } } },
        });
        const id: string = created.body.Id;
        try {
            if (inputs.files.length > 0) {
                const archive = engine.tar(inputs.files);
                await engine.request("PUT", `/containers/${id}/archive?path=%2F`, undefined, { data: archive, contentType: "application/x-tar" });
            }
            await engine.request("POST", `/containers/${id}/start`);
            await waitReady(id, inputs.name, inputs.healthTimeoutSeconds, inputs.readinessUrl);
        } catch (e) {
            await removeContainer(id).catch(() => undefined);
            throw e;
        }
        return { id, outs: outputsOf(inputs, id, image.Id, filesSha256) };
    },
    async delete(id: string) {
        await removeContainer(id);
    },
};

function outputsOf(inputs: any, containerId: string, imageId: string, filesSha256: string) {
    // The file contents stay out of the outputs; only their digest is kept for diffs.
    const { files: _files, ...rest } = inputs;
    return { ...rest, containerId, imageId, filesSha256 };
}

export interface DockerContainerArgs {
    name: pulumi.Input<string>;
    image: pulumi.Input<string>;
    command: pulumi.Input<pulumi.Input<string>[]>;
    labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
    network: pulumi.Input<string>;
    aliases?: pulumi.Input<pulumi.Input<string>[]>;
    ports?: pulumi.Input<pulumi.Input<PortBinding>[]>;
    volumes?: pulumi.Input<pulumi.Input<{ volume: pulumi.Input<string>; target: string }>[]>;
    files?: pulumi.Input<pulumi.Input<ContainerFile>[]>;
    healthcheck?: pulumi.Input<pulumi.Input<string>[]>;
    healthTimeoutSeconds?: pulumi.Input<number>;
    readinessUrl?: pulumi.Input<string>;
}

export class DockerContainer extends pulumi.dynamic.Resource {
    public readonly name!: pulumi.Output<string>;
    public readonly containerId!: pulumi.Output<string>;
    public readonly imageId!: pulumi.Output<string>;
    constructor(name: string, args: DockerContainerArgs, opts?: pulumi.CustomResourceOptions) {
        super(containerProvider, name, { ...args, containerId: undefined, imageId: undefined, filesSha256: undefined }, opts, "eos-network", "DockerContainer");
    }
}
