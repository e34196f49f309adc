// Placement of the nodes on hosts: how nodes address each other, and whether the schedule survives
// the loss of any one host. Pure functions over the plan; the component and the policy pack read them.
import { quorum } from "../rules/schedule";
import { CONTAINER_HTTP_PORT, CONTAINER_P2P_PORT, nodeObjectName } from "./node";
import { hostOf, NetworkPlan, PlannedNode, placedOnHosts } from "./plan";

/** Where the other nodes reach `node`'s p2p listener: its alias on one engine, its host's address across hosts. */
export function p2pServerAddress(plan: NetworkPlan, node: PlannedNode, prefix: string): string {
    return placedOnHosts(plan) ? `${hostOf(plan, node).address}:${node.p2pPort}` : `${nodeObjectName(prefix, node.role)}:${CONTAINER_P2P_PORT}`;
}

/**
 * The p2p-peer-address lines of `node`: a peer on the same host by its alias (on a cluster: its
 * Service's ClusterIP, from `clusterIp`, as a cluster may have no DNS), one on another host by its
 * host's address and port.
 */
export function peerAddresses(plan: NetworkPlan, node: PlannedNode, prefix: string, clusterIp?: (role: string) => string): string[] {
    return node.peers.map((role) => {
        const peer = plan.nodes.find((n) => n.role === role)!;
        return peer.host !== node.host ? p2pServerAddress(plan, peer, prefix) : `${sameHostAddress(plan, node, role, prefix, clusterIp)}:${CONTAINER_P2P_PORT}`;
    });
}

/** Where `node` reaches its peers' HTTP APIs (host:port), by the same routes as their p2p listeners. */
export function peerHttpAddresses(plan: NetworkPlan, node: PlannedNode, prefix: string, clusterIp?: (role: string) => string): string[] {
    return node.peers.map((role) => {
        const peer = plan.nodes.find((n) => n.role === role)!;
        return peer.host !== node.host ? `${hostOf(plan, peer).address}:${peer.httpPort}` : `${sameHostAddress(plan, node, role, prefix, clusterIp)}:${CONTAINER_HTTP_PORT}`;
    });
}

function sameHostAddress(plan: NetworkPlan, node: PlannedNode, role: string, prefix: string, clusterIp?: (role: string) => string): string {
    if (!hostOf(plan, node).kubernetes) {
        return nodeObjectName(prefix, role);
    }
    if (!clusterIp) {
        throw new Error(`peer ${role} of ${node.role} is in the same cluster: its ClusterIP is needed`);
    }
    return clusterIp(role);
}

/** Whether `node` runs behind a production gate (planning/node.ts): a producer node on a cluster with peers to sync from. */
export function gatedProduction(plan: NetworkPlan, node: PlannedNode): boolean {
    return !!hostOf(plan, node).kubernetes && node.producerNames.length > 0 && node.peers.length > 0;
}

/** The peers of `node` it dials inside its own cluster (by their Services). */
export function clusterPeers(plan: NetworkPlan, node: PlannedNode): string[] {
    return hostOf(plan, node).kubernetes ? node.peers.filter((role) => plan.nodes.find((n) => n.role === role)!.host === node.host) : [];
}

/** Which host runs each node, by role (boot, or the producer's name). */
export function placement(plan: NetworkPlan): Record<string, string> {
    return Object.fromEntries(plan.nodes.map((n) => [n.role, n.host]));
}

/**
 * Hosts a schedule of `size` producers needs so that losing any one of them leaves 2/3+1 running,
 * spread evenly; Infinity when no spread can (one producer always stops with its host).
 */
export function hostsNeeded(size: number): number {
    const perHost = size - quorum(size);
    return perHost <= 0 ? Infinity : Math.ceil(size / perHost);
}

export interface HostLoss {
    host: string;
    /** Scheduled producers whose node runs on the host. */
    producers: string[];
    /** Scheduled producers still signing without it, and how many LIB needs. */
    remaining: number;
    needed: number;
}

/**
 * The hosts whose loss stops LIB: fewer than 2/3+1 of the scheduled producers would still sign.
 * `nodeHost` maps a producer to the host of its node (producers that sign elsewhere are absent).
 */
export function lossesThatStopLib(schedule: string[], nodeHost: Record<string, string>): HostLoss[] {
    const needed = quorum(schedule.length);
    const byHost = new Map<string, string[]>();
    for (const p of schedule) {
        const h = nodeHost[p];
        if (h !== undefined) {
            byHost.set(h, [...(byHost.get(h) ?? []), p]);
        }
    }
    return [...byHost].map(([host, producers]) => ({ host, producers, remaining: schedule.length - producers.length, needed }))
        .filter((l) => l.remaining < needed);
}

/** The refusal of a placement that a single lost host stops, naming the host, its producers and the hosts needed. */
export function hostLossMessage(loss: HostLoss, scheduleSize: number): string {
    const need = hostsNeeded(scheduleSize);
    const spread = Number.isFinite(need)
        ? `spread the ${scheduleSize} scheduled producers over at least ${need} hosts, at most ${scheduleSize - quorum(scheduleSize)} on each (producers[].host)`
        : `a schedule of ${scheduleSize} producer${scheduleSize === 1 ? "" : "s"} always stops with one host: schedule more producers`;
    return `losing host ${loss.host} stops LIB: it runs ${loss.producers.length} of the ${scheduleSize} scheduled producers (${loss.producers.join(", ")}); ` +
        `the ${loss.remaining} left are fewer than the ${loss.needed} (2/3+1) LIB needs; ${spread}`;
}

/** The schedule's producers placed on hosts: every node's host where the plan places it. */
export function scheduleLosses(plan: NetworkPlan): HostLoss[] {
    if (!placedOnHosts(plan) || plan.hosts.length < 2) {
        return [];
    }
    return lossesThatStopLib(plan.schedule, placement(plan));
}
