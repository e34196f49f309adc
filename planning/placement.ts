// Placement of the nodes on hosts: how nodes address each other, and whether the schedule survives
// the loss of any one host. Pure functions over the plan; the component and the policy pack read them.
import { quorum } from "../rules/schedule";
import { CONTAINER_P2P_PORT, nodeObjectName } from "./node";
import { hostOf, NetworkPlan, PlannedNode, placedOnHosts } from "./plan";

/** Where the other nodes reach `node`'s p2p listener: its alias on one engine, its host's address across hosts. */
export function p2pServerAddress(plan: NetworkPlan, node: PlannedNode, prefix: string): string {
    return placedOnHosts(plan) ? `${hostOf(plan, node).address}:${node.p2pPort}` : `${nodeObjectName(prefix, node.role)}:${CONTAINER_P2P_PORT}`;
}

/**
 * The p2p-peer-address lines of `node`: a peer on the same host by its alias (on a cluster: its
 * Service's ClusterIP and port, from `inCluster`, as a cluster may have no DNS), one on another host
 * by its host's address and port.
 */
export function peerAddresses(plan: NetworkPlan, node: PlannedNode, prefix: string, inCluster?: (role: string) => string): string[] {
    const onCluster = !!hostOf(plan, node).kubernetes;
    return node.peers.map((role) => {
        const peer = plan.nodes.find((n) => n.role === role)!;
        if (peer.host !== node.host) {
            return p2pServerAddress(plan, peer, prefix);
        }
        if (onCluster) {
            if (!inCluster) {
                throw new Error(`peer ${role} of ${node.role} is in the same cluster: its ClusterIP is needed`);
            }
            return inCluster(role);
        }
        return `${nodeObjectName(prefix, role)}:${CONTAINER_P2P_PORT}`;
    });
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
