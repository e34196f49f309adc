// Checks across config fields, over the plan: names, what eosio and the creator can give, ports,
// votes and the activation stake; the configured keys; the contract files. Each problem carries
// the path of the field to fix. No I/O but the file checks' `exists`.
import * as fs from "fs";
import * as path from "path";
import { asset, fundedAccounts, hostOf, NetworkPlan, NODE_PORT_RANGE, placedOnHosts, stackAccounts } from "../planning/plan";
import { legacyPublicKey } from "../keys/keys";
import { isSystemName, PRIVATE_KEY_FORM } from "../rules/names";
import { MIN_ACTIVATED_STAKE } from "../rules/schedule";
import { ConfigPath, configPath, Problem } from "./paths";
import { teamProblems } from "./team";

const dotted = (p: ConfigPath) => configPath(p).slice("eos-network:".length);

/** Problems across fields of a config whose fields and amounts are valid (the plan exists). */
export function crossFieldProblems(plan: NetworkPlan): Problem[] {
    const out: Problem[] = [];
    const cfg = plan.config;
    const fmt = (u: bigint) => asset(plan, u);
    const { maxSupply, issue } = plan.token;
    if (issue > maxSupply) {
        out.push({ path: ["chain", "issue"], message: `issue ${fmt(issue)} exceeds the max supply ${fmt(maxSupply)}` });
    }

    // Names: unique across the stack's accounts, and not the system's own.
    const seen = new Map<string, string>();
    for (const a of stackAccounts(plan)) {
        if (isSystemName(a.name)) {
            out.push({ path: a.path, message: `${a.name} is a system account name` });
        } else if (seen.has(a.name)) {
            out.push({ path: a.path, message: `duplicate name ${a.name} (also at ${seen.get(a.name)})` });
        } else {
            seen.set(a.name, dotted(a.path));
        }
    }

    // What eosio gives (producers, accounts, or the creator who gives them, and the team) fits in the issue.
    const given = fundedAccounts(plan).reduce((s, a) => s + a.funds, 0n);
    const team = plan.team.reduce((s, a) => s + a.funds, 0n);
    out.push(...teamProblems(cfg.teamAccounts));
    if (plan.creator) {
        const own = plan.creator.funds;
        const keeps = plan.creator.split.ram + plan.creator.split.cpu + plan.creator.split.net;
        if (own < given + keeps) {
            out.push({ path: ["creator", "funds"], message: `${fmt(own)} does not cover the ${fmt(given)} it gives producers and accounts plus its own RAM and stake (${fmt(keeps)})` });
        }
        if (own + team > issue) {
            out.push({ path: ["chain", "issue"], message: `the creator and team accounts are given ${fmt(own + team)} in all, more than the ${fmt(issue)} issued to eosio` });
        }
    } else if (given + team > issue) {
        out.push({ path: ["chain", "issue"], message: `producers and accounts are given ${fmt(given + team)} in all, more than the ${fmt(issue)} issued to eosio` });
    }

    out.push(...hostProblems(plan));

    // Votes and proxies.
    const producerNames = new Set(plan.producers.map((p) => p.name));
    const proxies = new Set(cfg.accounts.filter((a) => a.isProxy).map((a) => a.name));
    cfg.accounts.forEach((a, i) => {
        a.votes.forEach((v, j) => {
            if (!producerNames.has(v)) {
                out.push({ path: ["accounts", i, "votes", j], message: `${v} is not a configured producer` });
            }
        });
        if (new Set(a.votes).size !== a.votes.length) {
            out.push({ path: ["accounts", i, "votes"], message: "votes for the same producer twice" });
        }
        if (a.proxy !== undefined) {
            if (a.votes.length > 0) {
                out.push({ path: ["accounts", i, "proxy"], message: "an account votes for producers or delegates to a proxy, not both" });
            }
            if (a.isProxy) {
                out.push({ path: ["accounts", i, "proxy"], message: "a proxy cannot delegate its vote to another proxy" });
            } else if (!proxies.has(a.proxy)) {
                out.push({ path: ["accounts", i, "proxy"], message: `${a.proxy} is not a configured proxy (isProxy: true)` });
            }
        }
    });

    // eosio.system's activation stake is raw units: at a lower precision it means more tokens.
    if (out.length === 0 && plan.election.ranking.length > 0 && !plan.election.activated) {
        out.push({
            path: ["accounts"],
            message: `voters stake ${fmt(plan.election.activatedStake)} in all; eosio.system elects producers only once ${fmt(MIN_ACTIVATED_STAKE)} has voted (min_activated_stake)` +
                (plan.symbol.precision === 4 ? "" : `: a raw amount, so at precision ${plan.symbol.precision} that many tokens; raise the voters' funds (and chain.issue, chain.maxSupply with them)`),
        });
    }
    return out;
}

/**
 * Hosts: unique names, nodes placed on configured hosts, tls only for tcp engines, and the ports
 * each host publishes (HTTP, and p2p across hosts) distinct on it.
 */
export function hostProblems(plan: NetworkPlan): Problem[] {
    const out: Problem[] = [];
    const cfg = plan.config;
    const names = new Map<string, number>();
    const engines = new Map<string, number>();
    const addresses = new Map<string, number>();
    cfg.hosts.forEach((h, i) => {
        if (!h.docker === !h.kubernetes) {
            out.push({ path: ["hosts", i], message: `host ${h.name}: give either docker (its engine) or kubernetes (a cluster's namespace), ${h.docker ? "not both" : "one of them"}` });
            names.set(h.name, i);
            return;
        }
        // Two entries on one engine would adopt each other's networks and volumes (and share its ports).
        // On a cluster, one namespace is one host; its address is a node's, which another host may not share.
        const engine = h.docker ?? `kubernetes:${h.kubernetes!.context ?? ""}/${h.kubernetes!.namespace}`;
        for (const [seen, key, field] of [[names, h.name, "name"], [engines, engine, h.docker ? "docker" : "kubernetes"], [addresses, h.address, "address"]] as const) {
            if (seen.has(key)) {
                out.push({ path: ["hosts", i, field], message: `${field === "name" ? "duplicate host name" : `the same ${field} as hosts[${seen.get(key)}]:`} ${key}${field === "name" ? ` (also at hosts[${seen.get(key)}])` : ": one machine is one host"}` });
            } else {
                seen.set(key, i);
            }
        }
        const docker = h.docker ?? "";
        const reached = h.docker ?? `the Kubernetes API (namespace ${h.kubernetes!.namespace})`;
        if (h.tls && !docker.startsWith("tcp://")) {
            out.push({ path: ["hosts", i, "tls"], message: `tls material is for a tcp:// engine; ${reached} is reached without it` });
        }
        if (docker.startsWith("ssh://") && !h.sshHostKey) {
            out.push({ path: ["hosts", i, "sshHostKey"], message: `needed for an ssh engine: without the host's key anyone answering at ${docker} would be sent the producers' keys (ssh-keyscan ${new URL(docker).hostname}, checked out of band)` });
        }
        if (h.sshHostKey && !docker.startsWith("ssh://")) {
            out.push({ path: ["hosts", i, "sshHostKey"], message: `is for an ssh:// engine; ${reached} is not reached over ssh` });
        }
    });
    cfg.node.extraConfig.forEach((line, i) => {
        if (/^\s*pause-on-startup\s*=/.test(line)) {
            out.push({ path: ["node", "extraConfig", i], message: "pause-on-startup is set by the provider while a new producer node syncs; a node that starts paused never signs" });
        }
    });
    const onHosts = placedOnHosts(plan);
    const ports = new Map<string, string>();
    for (const n of plan.nodes) {
        if (!onHosts && cfg.hosts.length === 0 && (n.role === "boot" ? cfg.bootNode.host : cfg.producers.find((p) => p.name === n.role)?.host)) {
            out.push({ path: n.hostPath, message: "names a host, but eos-network:hosts is empty: list the hosts first" });
            continue;
        }
        if (onHosts && !names.has(n.host)) {
            out.push({ path: n.hostPath, message: `no host named ${n.host} in eos-network:hosts (${[...names.keys()].join(", ")})` });
            continue;
        }
        const published: [number, ConfigPath, string][] = [[n.httpPort, n.httpPortPath, "HTTP"], ...(onHosts ? [[n.p2pPort, n.p2pPortPath, "p2p"] as [number, ConfigPath, string]] : [])];
        const cluster = hostOf(plan, n).kubernetes;
        for (const [port, at, what] of published) {
            if (cluster && (port < NODE_PORT_RANGE[0] || port > NODE_PORT_RANGE[1])) {
                out.push({ path: at, message: `port ${port} (${what}) is a NodePort on host ${n.host} (a Kubernetes namespace): expected ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}` });
            }
            const key = `${n.host}:${port}`;
            if (ports.has(key)) {
                out.push({ path: at, message: onHosts ? `port ${port} (${what}) is already used on host ${n.host} by ${ports.get(key)}` : `port ${port} is already used by ${ports.get(key)}` });
            } else {
                ports.set(key, dotted(at));
            }
        }
    }
    return out;
}

/**
 * Configured keys, never putting a key in a message: names must be eosio or an account of the
 * stack, values valid private keys, and every public key pinned in config must have its private key.
 */
export function keyProblems(plan: NetworkPlan, keys: Record<string, unknown> | undefined, publicKeyOf: (k: string) => string): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const accounts = stackAccounts(plan);
    const known = new Set(["eosio", ...accounts.map((a) => a.name)]);
    const derived = new Map<string, string>();
    for (const [name, value] of Object.entries(keys ?? {})) {
        const at = `eos-network:keys.${name}`;
        if (!known.has(name)) {
            problems.push({ path: at, message: "no such producer or account in this stack (typo?)" });
            continue;
        }
        try {
            if (typeof value !== "string") {
                throw new Error("not a string");
            }
            derived.set(name, publicKeyOf(value));
        } catch {
            problems.push({ path: at, message: `not a valid private key (expected ${PRIVATE_KEY_FORM})` });
        }
    }
    const pinned: { name: string; key: string; path: ConfigPath; what: string }[] = [
        ...(plan.config.chain.initialKey ? [{ name: "eosio", key: plan.config.chain.initialKey, path: ["chain", "initialKey"], what: "the boot node's signing key" }] : []),
        ...accounts.flatMap((a) => (a.publicKey ? [{ name: a.name, key: a.publicKey, path: [...a.path.slice(0, -1), "publicKey"], what: "the private key" }] : [])),
    ];
    for (const { name, key, path: at, what } of pinned) {
        const keyPath = `eos-network:keys.${name}`;
        if (!keys || !(name in keys)) {
            problems.push({ path: configPath(at), message: `needs its private key in ${keyPath} (pulumi config set --secret --path keys.${name})` });
        } else if (derived.has(name) && derived.get(name) !== legacyPublicKey(key)) {
            problems.push({ path: configPath(at), message: `does not match ${what} in ${keyPath}` });
        }
    }
    return problems;
}

/** The system contracts the boot sets, each <dir>/<name>/<name>.wasm and .abi. */
export const BOOT_CONTRACTS = ["eosio.bios", "eosio.token", "eosio.msig", "eosio.system"];

/** Missing contract files, reported against eos-network:contracts.dir (relative to the project). */
export function contractProblems(dir: string, exists: (p: string) => boolean = fs.existsSync): { path: string; message: string }[] {
    const abs = path.resolve(dir);
    if (!exists(abs)) {
        return [{ path: "eos-network:contracts.dir", message: `${abs} does not exist; npm run setup fills the default (.eosnet/contracts), or point it at a folder of contract builds` }];
    }
    const missing = BOOT_CONTRACTS.flatMap((c) => [".wasm", ".abi"].map((ext) => path.join(abs, c, `${c}${ext}`))).filter((f) => !exists(f));
    return missing.length === 0 ? [] : [{ path: "eos-network:contracts.dir", message: `missing ${missing.map((f) => path.relative(abs, f)).join(", ")} in ${abs}` }];
}
