// eosnet:docker:NodeosContainer: one nodeos in a container on its own volume. The provider writes
// genesis.json and config.ini into the container before it starts; config.ini gets the signing
// keys from the provider's keys, so no private key is in this resource's state, its command line,
// its environment or `docker inspect`. Create-time settings (image, ports, network, volume)
// replace the container; config changes are written in place and the node restarted.
import * as crypto from "crypto";
import { nodeCommand, nodeHealthcheck, renderConfigIni, signatureProviderLines, CONFIG_DIR, CONTAINER_HTTP_PORT, CONTAINER_P2P_PORT, DATA_DIR } from "../../planning/node";
import { LABEL_SPEC, LABEL_STACK, reachableAddress } from "../../rules/labels";
import { Context, differingKeys, ResourceModule, stable } from "../framework";
import { WaitTimedOut } from "../errors";
import { pollUntil } from "../poll";
import { fetchWithDeadline } from "../chain/client";
import { legacyPublicKey, publicKeyOf } from "../../keys/keys";
import { demuxLogs, DockerEngine, orUndefined, statusOf, tar } from "./engine";
import { NodeosContainerInputs, NodeosContainerOutputs, NodeosContainerShown } from "./nodeosContainer.schema";
import { foreignObjectProblem, ownLabels, withProviderLabel } from "./ownership";

const DIGEST_FILE = `${CONFIG_DIR}/eosnet-config.sha256`;

/** Settings fixed when the container is created: any change means a new container. */
const CREATE_TIME: (keyof NodeosContainerInputs & string)[] = ["name", "image", "network", "aliases", "httpPort", "httpBindAddress", "p2pPort", "volume", "labels"];
const RESTART_POLICY = "unless-stopped";

export function configDigestOf(i: Pick<NodeosContainerInputs, "genesis" | "settings" | "signingKeys">): string {
    return crypto.createHash("sha256").update(stable({ genesis: i.genesis, configIni: renderConfigIni(i.settings), signingKeys: [...i.signingKeys].sort() })).digest("hex");
}

function endpointOf(i: Pick<NodeosContainerInputs, "httpBindAddress" | "httpPort">): string {
    return `http://${reachableAddress(i.httpBindAddress)}:${i.httpPort}`;
}

interface ContainerView {
    Id: string;
    Name: string;
    Image: string;
    Config: { Image: string; Labels?: Record<string, string> };
    State: { Running: boolean; ExitCode: number; Status: string; Health?: { Status: string } };
    HostConfig: { RestartPolicy?: { Name?: string } };
}

async function inspect(docker: DockerEngine, idOrName: string): Promise<ContainerView | undefined> {
    return orUndefined(() => docker.client.getContainer(idOrName).inspect() as unknown as Promise<ContainerView>);
}

async function logsTail(docker: DockerEngine, id: string, lines = 40): Promise<string> {
    try {
        const raw = await docker.client.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false });
        return demuxLogs(raw as unknown as Buffer);
    } catch {
        return "(logs unavailable)";
    }
}

/** The private keys for `publicKeys`, from the provider's keys; an error names what is missing. */
async function signatureKeys(ctx: Context, publicKeys: string[]) {
    const byPublic = new Map(ctx.config.keys.map((k) => [publicKeyOf(k), k]));
    return publicKeys.map((pub) => {
        const legacy = legacyPublicKey(pub);
        const privateKey = byPublic.get(legacy);
        if (!privateKey) {
            const where = ctx.config.hostName ? `the provider of host ${ctx.config.hostName}` : "the provider";
            throw new Error(`${where} holds no private key for signing key ${legacy}; add it to that provider's keys (eos-network:keys.<account>, or let the stack generate it)`);
        }
        return { publicKey: legacy, privateKey };
    });
}

/**
 * Writes genesis.json and config.ini. `retiredKeys` are signing keys the node had before: during a
 * key rotation the node keeps them until its next config change, so it signs under whichever key
 * the active schedule names (the switch happens when the chain activates the new schedule).
 */
async function writeConfig(ctx: Context, docker: DockerEngine, id: string, i: NodeosContainerInputs, retiredKeys: string[] = [], opts: { paused?: boolean } = {}): Promise<void> {
    const keys = await signatureKeys(ctx, [...new Set([...i.signingKeys, ...retiredKeys])]);
    // A paused start is not the desired config: its digest is written only with the final config, so
    // a run cut off in between shows as drift and the next up writes the config again.
    const archive = tar([
        { path: `${CONFIG_DIR}/genesis.json`, content: i.genesis, mode: 0o644 },
        { path: `${CONFIG_DIR}/config.ini`, content: renderConfigIni(i.settings) + (opts.paused ? "pause-on-startup = true\n" : "") + signatureProviderLines(keys), mode: 0o600 },
        { path: DIGEST_FILE, content: opts.paused ? "" : configDigestOf(i), mode: 0o644 },
    ]);
    await docker.client.getContainer(id).putArchive(archive, { path: "/" });
}

/** The digest file written with the config, or "" when it cannot be read. */
async function readDigest(docker: DockerEngine, id: string): Promise<string> {
    try {
        const stream = await docker.client.getContainer(id).getArchive({ path: DIGEST_FILE });
        const chunks: Buffer[] = [];
        for await (const c of stream as AsyncIterable<Buffer>) {
            chunks.push(c);
        }
        const buf = Buffer.concat(chunks);
        const size = parseInt(buf.subarray(124, 136).toString("ascii").replace(/\0.*$/, "").trim(), 8);
        return buf.subarray(512, 512 + size).toString("utf8").trim();
    } catch {
        return "";
    }
}

/** Ready once the API answers get_info on the published port; a container that exits is an error. */
async function waitReady(ctx: Context, docker: DockerEngine, id: string, i: NodeosContainerInputs): Promise<void> {
    const url = `${endpointOf(i)}/v1/chain/get_info`;
    let last = "";
    ctx.progress(`waiting for ${i.name} to answer on ${endpointOf(i)}`, { ephemeral: true });
    await pollUntil(`${i.name} to answer get_info on ${endpointOf(i)}`, i.startTimeoutSeconds * 1000, 300, async (attempt) => {
        const answered = await fetchWithDeadline(url, { method: "POST", body: "{}" }, 2000).then((r) => r.ok, (e) => {
            attempt.failed(e);
            return false;
        });
        if (answered) {
            return true;
        }
        const c = await inspect(docker, id);
        if (!c) {
            throw new Error(`container ${i.name} disappeared while starting`);
        }
        last = `${c.State.Status}${c.State.Health ? `, ${c.State.Health.Status}` : ""}`;
        if (!c.State.Running && c.State.Status !== "restarting") {
            throw new Error(`container ${i.name} exited (code ${c.State.ExitCode}); last log lines:\n${await logsTail(docker, id)}`);
        }
        return false;
    }, () => `container ${last}; last log lines:\n(see docker logs ${i.name})`).catch(async (e) => {
        if (e instanceof WaitTimedOut) {
            // The same timeout, with the node's own log in place of the placeholder.
            throw new WaitTimedOut(e.what, e.waitedMs, `last log lines:\n${await logsTail(docker, id)}`, { cause: e });
        }
        throw e;
    });
}

/** Stops (nodeos gets SIGTERM and time to close its state cleanly), then removes. */
export async function removeContainer(docker: DockerEngine, id: string): Promise<void> {
    const c = docker.client.getContainer(id);
    try {
        await c.stop({ t: 20 });
    } catch (e) {
        if (statusOf(e) !== 304 && statusOf(e) !== 404) {
            throw e;
        }
    }
    await orUndefined(() => c.remove({ force: true }));
}

function outputsOf(i: NodeosContainerShown, c: ContainerView): NodeosContainerOutputs {
    const { genesis, settings, ...shown } = i as NodeosContainerShown & Partial<Pick<NodeosContainerInputs, "genesis" | "settings">>;
    return {
        ...shown,
        containerId: c.Id,
        imageId: c.Image,
        running: c.State.Running,
        restartPolicy: c.HostConfig.RestartPolicy?.Name ?? "",
        httpEndpoint: endpointOf(i),
    };
}

/** Starts the node and waits until it answers and has caught up with the chain (to `target`, when known). */
async function start(ctx: Context, docker: DockerEngine, id: string, i: NodeosContainerInputs, target?: number): Promise<void> {
    try {
        await docker.client.getContainer(id).start();
    } catch (e) {
        if (statusOf(e) !== 304) {
            throw e;
        }
    }
    await waitReady(ctx, docker, id, i);
    await waitSynced(ctx, i, target);
}

/**
 * The first start of a new container. A producer node joining a running chain (a new producer, a
 * node moved to another host, a host that came back empty) starts with production paused and takes
 * up its keys only once synced, so a node that is behind never signs (with enable-stale-production
 * it would sign on an old head). Its config digest is written last, after production resumed: a
 * run cut off before shows as drift, and the next up writes the config again and restarts it.
 */
async function firstStart(ctx: Context, docker: DockerEngine, id: string, i: NodeosContainerInputs): Promise<void> {
    const target = await othersLib(ctx, i);
    const paused = target > 0 && i.settings.producerNames.length > 0;
    await writeConfig(ctx, docker, id, i, [], { paused });
    await start(ctx, docker, id, i, target);
    if (paused) {
        await resumeProduction(ctx, i);
        await writeConfig(ctx, docker, id, i);
    }
}

/** The LIB the other nodes of the chain report (0: no other node answers, e.g. the boot node of a new chain). */
async function othersLib(ctx: Context, i: NodeosContainerInputs): Promise<number> {
    if (!ctx.config.endpoint) {
        return 0;
    }
    return (await ctx.chain().infoFromOthers(endpointOf(i)))?.last_irreversible_block_num ?? 0;
}

/** Production on: /v1/producer/resume, until /v1/producer/paused says false. */
async function resumeProduction(ctx: Context, i: NodeosContainerInputs): Promise<void> {
    ctx.progress(`${i.name} is synced: resuming block production for ${i.settings.producerNames.join(", ")}`);
    const api = (p: string) => fetchWithDeadline(`${endpointOf(i)}/v1/producer/${p}`, { method: "POST", body: "{}" }, 3000);
    await pollUntil(`${i.name} to resume production`, 30_000, 500, async (attempt) => {
        try {
            await api("resume");
            return (await (await api("paused")).json()) === false;
        } catch (e) {
            attempt.failed(e);
            return false;
        }
    });
}

/**
 * A node joining a running chain is ready once it has caught up: its head has reached the LIB the
 * other nodes had when it started. (The boot node of a new chain has nobody to sync from.)
 */
async function waitSynced(ctx: Context, i: NodeosContainerInputs, known?: number): Promise<void> {
    const target = known ?? await othersLib(ctx, i);
    if (target === 0) {
        return;
    }
    let head = 0;
    await pollUntil(`${i.name} to sync to block ${target}`, i.startTimeoutSeconds * 1000, 500, async (attempt) => {
        const info = await fetchWithDeadline(`${endpointOf(i)}/v1/chain/get_info`, { method: "POST", body: "{}" }, 2000)
            .then((r) => r.json() as Promise<{ head_block_num: number }>, (e) => void attempt.failed(e));
        head = info?.head_block_num ?? head;
        ctx.progress(`${i.name} syncing: block ${head} of ${target}`, { ephemeral: true });
        return head >= target;
    }, () => `its head is at ${head}: is it peered with the other nodes?`);
}

export const nodeosContainer: ResourceModule<NodeosContainerInputs, NodeosContainerOutputs> = {
    token: "eosnet:docker:NodeosContainer",
    description: "A nodeos container on its own data volume; genesis.json and config.ini (with the signing keys) are written into it by the provider.",
    inputs: NodeosContainerInputs,
    outputs: NodeosContainerOutputs,
    async check(ctx, news, olds) {
        const inputs = { ...news, configDigest: configDigestOf(news) };
        const failures = [];
        if (!olds) {
            const docker = await ctx.docker();
            const existing = await inspect(docker, news.name);
            const problem = existing && foreignObjectProblem("container", news.name, existing.Config.Labels, news.labels[LABEL_STACK]);
            if (problem) {
                failures.push({ property: "name", reason: problem });
            }
        }
        return { inputs, failures };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = differingKeys<NodeosContainerInputs>(olds, news, CREATE_TIME);
        const changed = [...replaces];
        if (olds.configDigest !== news.configDigest) {
            changed.push("configDigest");
        }
        if (olds.running !== news.running) {
            changed.push("running");
        }
        if (olds.restartPolicy !== RESTART_POLICY) {
            replaces.push("restartPolicy");
            changed.push("restartPolicy");
        }
        return { changes: changed.length > 0, replaces, changed, deleteBeforeReplace: true };
    },
    async create(ctx, inputs) {
        const docker = await ctx.docker();
        const image = await orUndefined(() => docker.client.getImage(inputs.image).inspect());
        if (!image) {
            throw new Error(`node image '${inputs.image}' is not in the docker engine at ${docker.host}; ` +
                "build it with `npm run setup` or set eos-network:node.image to an image you have");
        }
        const spec = stable(Object.fromEntries(CREATE_TIME.map((k) => [k, inputs[k]])));
        const existing = await inspect(docker, inputs.name);
        if (existing) {
            const problem = foreignObjectProblem("container", inputs.name, existing.Config.Labels, inputs.labels[LABEL_STACK]);
            if (problem) {
                throw new Error(problem);
            }
            if (existing.Config.Labels?.[LABEL_SPEC] === spec && (await readDigest(docker, existing.Id)) === inputs.configDigest) {
                // Same container left by an interrupted run: adopt it, started.
                ctx.progress(`adopting the existing container ${inputs.name}`);
                await start(ctx, docker, existing.Id, inputs);
                return { id: existing.Id, outs: outputsOf(inputs, (await inspect(docker, existing.Id))!) };
            }
            await removeContainer(docker, existing.Id);
        }
        const portKey = `${CONTAINER_HTTP_PORT}/tcp`;
        const p2pKey = `${CONTAINER_P2P_PORT}/tcp`;
        // Across hosts the p2p listener is published on the host's address too; on one engine peers use the network.
        const p2p = inputs.p2pPort > 0 ? { [p2pKey]: [{ HostIp: inputs.httpBindAddress, HostPort: String(inputs.p2pPort) }] } : {};
        const created = await docker.client.createContainer({
            name: inputs.name,
            Image: inputs.image,
            Cmd: nodeCommand(),
            Labels: { ...withProviderLabel(inputs.labels), [LABEL_SPEC]: spec },
            ExposedPorts: { [portKey]: {}, ...(inputs.p2pPort > 0 ? { [p2pKey]: {} } : {}) },
            StopSignal: "SIGTERM",
            StopTimeout: 20,
            Healthcheck: { Test: nodeHealthcheck(), Interval: 15e9, Timeout: 5e9, Retries: 3, StartPeriod: 60e9 },
            HostConfig: {
                PortBindings: { [portKey]: [{ HostIp: inputs.httpBindAddress, HostPort: String(inputs.httpPort) }], ...p2p },
                Mounts: [{ Type: "volume", Source: inputs.volume, Target: DATA_DIR }],
                NetworkMode: inputs.network,
                // Back after an engine or host restart, and after a crash; `docker stop` is respected.
                RestartPolicy: { Name: RESTART_POLICY },
                Init: true,
            },
            NetworkingConfig: { EndpointsConfig: { [inputs.network]: { Aliases: inputs.aliases } } },
        });
        try {
            await firstStart(ctx, docker, created.id, inputs);
        } catch (e) {
            await removeContainer(docker, created.id).catch(() => undefined);
            throw e;
        }
        return { id: created.id, outs: outputsOf(inputs, (await inspect(docker, created.id))!) };
    },
    async read(ctx, id, props) {
        const docker = await ctx.docker();
        const c = await inspect(docker, id);
        if (!c) {
            return undefined;
        }
        let spec: Partial<NodeosContainerInputs> = {};
        try {
            spec = JSON.parse(c.Config.Labels?.[LABEL_SPEC] ?? "{}");
        } catch {
            // a container not made by this provider: compare what can be compared
        }
        const base = NodeosContainerShown.parse({
            ...props,
            ...spec,
            image: c.Config.Image,
            name: c.Name.replace(/^\//, ""),
            // The engine merges the image's labels in; ours are the ones the spec recorded.
            labels: spec.labels ?? ownLabels(Object.fromEntries(Object.entries(c.Config.Labels ?? {}).filter(([k]) => k !== LABEL_SPEC))),
            configDigest: await readDigest(docker, c.Id),
        });
        return { id: c.Id, props: outputsOf(base, c) };
    },
    async update(ctx, id, olds, news) {
        const docker = await ctx.docker();
        if (olds.configDigest !== news.configDigest) {
            ctx.progress(`writing the new config of ${news.name} and restarting it`);
            await docker.client.getContainer(id).stop({ t: 20 }).catch((e) => {
                if (statusOf(e) !== 304) {
                    throw e;
                }
            });
            const retired = olds.signingKeys.filter((k) => !news.signingKeys.includes(k));
            await writeConfig(ctx, docker, id, news, retired);
        } else {
            ctx.progress(`starting ${news.name} (found stopped)`);
        }
        await start(ctx, docker, id, news);
        return outputsOf(news, (await inspect(docker, id))!);
    },
    async delete(ctx, id) {
        const docker = await ctx.docker();
        await removeContainer(docker, id);
    },
};
