// Network: the top-level component of a stack. It wires the whole BIOS boot from the plan: boot
// node, protocol features, system accounts and contracts, token, staked accounts, producers and
// their nodes, votes, the producer schedule and the resignation of eosio. It holds no I/O and
// makes no decision: the chain is read through the eosnet provider (getChainState), decisions are
// the plan's (planning/plan.ts).
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "../sdk/pulumi";
import { publicKeyOf } from "../keys/keys";
import { chainIdOf, renderGenesis } from "../planning/genesis";
import { nodeObjectName } from "../planning/node";
import { clusterPeers, gatedProduction, peerAddresses, peerHttpAddresses, p2pServerAddress } from "../planning/placement";
import { asset, hostOf, NetworkPlan, placedOnHosts, PlannedNode, splitInputs, stackAccounts, writtenDistribution } from "../planning/plan";
import { chainRefusals, chainStateQuery, plannedChain } from "../planning/refusals";
import { LABEL_HOST, LABEL_MANAGED, LABEL_STACK } from "../rules/labels";
import { SYSTEM_ACCOUNTS } from "../rules/names";
import { getChainState } from "../sdk/functions";
import {
    Account, Contract, Distribution, DockerNetwork, KeyPair, Privilege, ProducerRegistration, ProducerSchedule, ProtocolFeatures, Provider,
    ProxyRegistration, Resignation, RewardsClaim, SystemInit, Token, Vote,
} from "../sdk/resources";
import type { KubernetesNode } from "./kubernetesNode";
import { Node } from "./node";
import { Team, teamKeys } from "./team";

export interface NetworkArgs {
    plan: NetworkPlan;
    /** Prefix of every docker object of the stack, e.g. eosnet-dev. */
    prefix: string;
    /** Value of the io.eos-network.stack label: <project>/<stack>. */
    stackLabel: string;
    /** Keys from `eos-network:keys` (secret): names known at plan time, values only as secrets. */
    configuredKeys?: { names: string[]; values: pulumi.Output<Record<string, string>> };
    /** `eos-network:hostCredentials` (secret): each TLS host's client key, each ssh host's private key. */
    hostCredentials?: pulumi.Output<Record<string, { tlsKey?: string; sshKey?: string; kubeconfig?: string }>>;
}

/** Where a node runs, as the stack's outputs and `npm run status` show it. */
export interface NodeView {
    host: string;
    httpEndpoint: string;
    /** Where peers on other hosts reach it (its alias on one engine). */
    p2pAddress: string;
    producers: string[];
}

interface AccountKey {
    publicKey: pulumi.Output<string>;
    privateKey: pulumi.Output<string>;
}

type Rewards = Record<string, { unpaidBlocks: number; lastClaimTime: string }>;

export class Network extends pulumi.ComponentResource {
    public readonly httpEndpoint: pulumi.Output<string>;
    public readonly chainId: pulumi.Output<string>;
    /** Head and LIB when up last brought the chain to the planned schedule (none without producers). */
    public readonly headBlock: pulumi.Output<number | undefined>;
    public readonly lib: pulumi.Output<number | undefined>;
    public readonly bootPublicKey: pulumi.Output<string>;
    public readonly activatedFeatures: pulumi.Output<string[]>;
    public readonly activeProducers: pulumi.Output<string[]>;
    /** The schedule the configured votes elect (top 21 by stake, by name): known in preview. */
    public readonly plannedSchedule: pulumi.Output<string[]>;
    public readonly producerEndpoints: pulumi.Output<Record<string, string>>;
    /** Every node by role: its host, endpoints and producers. */
    public readonly nodes: pulumi.Output<Record<string, NodeView>>;
    /** The hosts: where each is reached and its engine. */
    public readonly hosts: pulumi.Output<Record<string, { address: string; docker: string; kubernetes?: string }>>;
    /** Each registered producer's unpaid blocks and last claim time, as read by this up. */
    public readonly producerRewards: pulumi.Output<Rewards>;
    /** The provider holding this chain's endpoint and keys, for resources added beside the network. */
    public readonly chainProvider: Provider;
    /** The provider of docker objects and key pairs. */
    public readonly hostProvider: Provider;
    /** The boot node's container: chain-side resources are deletedWith it. */
    public readonly bootContainer: pulumi.CustomResource;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eosnet:index:Network", name, {}, opts);
        const plan = args.plan;
        const cfg = plan.config;
        const host = this.hostProvider = new Provider(`${name}-host`, {}, { parent: this });
        const endpoint = (n: PlannedNode) => `http://${hostOf(plan, n).address}:${n.httpPort}`;
        const onHosts = placedOnHosts(plan);

        const keyFor = accountKeys(this, name, host, args.configuredKeys);
        const bootKey = keyFor("eosio", `${name}-boot-key`, "eosio genesis and boot producer");
        // A generated account's key is derived from one seed key, not kept as a KeyPair of its own.
        const keys = new Map(stackAccounts(plan).filter((a) => a.role !== "team" && !a.generated).map((a) => [a.name, keyFor(a.name, `${name}-key-${a.name}`, purposeOf(a.role, a.name))]));
        const teamKeyring = teamKeys(name, cfg.teamAccounts, keyFor, { parent: this, provider: host });
        const distributionSeed = plan.distribution && new KeyPair(`${name}-distribution-seed`, { purpose: "seed of the generated accounts' keys" }, { parent: this, provider: host });
        const genesis = bootKey.publicKey.apply((k) => renderGenesis(cfg.chain.initialTimestamp, k, cfg.chain));
        this.chainId = genesis.apply(chainIdOf);
        const [bootPlan, ...producerPlans] = plan.nodes;
        this.httpEndpoint = pulumi.output(endpoint(bootPlan));
        this.bootPublicKey = bootKey.publicKey;

        // The chain's credentials: its endpoint, the producer nodes as fallbacks while the boot node
        // is down, its id (every write checks it) and every key the stack signs with, once, as a secret.
        const chain = this.chainProvider = new Provider(`${name}-chain`, {
            endpoint: this.httpEndpoint,
            fallbackEndpoints: producerPlans.map(endpoint),
            chainId: this.chainId,
            keys: pulumi.all([bootKey.privateKey, ...[...keys.values()].map((k) => k.privateKey), ...teamKeyring.privateKeys, ...(distributionSeed ? [distributionSeed.privateKey] : [])]),
        }, { parent: this });

        const labels = { [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel };
        // On one engine: docker objects on the host provider, nodes on the chain provider (as before
        // hosts). Across hosts: one provider per host holds its engine's credentials, the chain
        // endpoints and the signing keys of its nodes only, and serves its network, volumes and nodes.
        const engines = new Map<string, { objects: Provider; nodes: Provider; network: DockerNetwork }>();
        const clusters = new Map<string, k8s.Provider>();
        // Loaded for cluster hosts only: @pulumi/kubernetes loads all of @pulumi/pulumi (see sdk/pulumi.ts).
        const kubernetes = () => ({ k8s: require("@pulumi/kubernetes") as typeof k8s, ...(require("./kubernetesNode") as typeof import("./kubernetesNode")) });
        const signingKey = (n: PlannedNode) => (n.role === "boot" ? bootKey.privateKey : keys.get(n.role)!.privateKey);
        if (!onHosts) {
            const network = new DockerNetwork(`${name}-network`, { name: `${args.prefix}-net`, labels }, { parent: this, provider: host, deleteBeforeReplace: true });
            engines.set(plan.hosts[0].name, { objects: host, nodes: chain, network });
        } else {
            for (const h of plan.hosts.filter((x) => plan.nodes.some((n) => n.host === x.name))) {
                if (h.kubernetes) {
                    // The official provider, one per cluster host: its kubeconfig a secret in the provider's configuration.
                    clusters.set(h.name, new (kubernetes().k8s.Provider)(`${name}-host-${h.name}`, {
                        kubeconfig: pulumi.secret(args.hostCredentials!.apply((c) => c[h.name]?.kubeconfig ?? "")),
                        context: h.kubernetes.context, namespace: h.kubernetes.namespace,
                        // A node's Secret and ConfigMap change in place (drift is put back, a new config is
                        // written), never replaced: the pod template's checksum says when the node restarts.
                        enableConfigMapMutable: true, enableSecretMutable: true,
                    }, { parent: this }));
                    continue;
                }
                if (h.transport === "tcp") {
                    pulumi.log.warn(`host ${h.name}: its engine ${h.docker} is reached over plain tcp, unauthenticated and unencrypted: anyone who reaches that port controls ` +
                        "the engine. Fine for a closed lab network; elsewhere give hosts[].tls (or use ssh://)", this);
                }
                const credential = (k: "tlsKey" | "sshKey") => args.hostCredentials && pulumi.secret(args.hostCredentials.apply((c) => c[h.name]?.[k] ?? ""));
                const engine = new Provider(`${name}-host-${h.name}`, {
                    dockerHost: h.docker, hostName: h.name, hostAddress: h.address,
                    ...(h.transport === "tls" ? { tlsCa: h.tls!.ca, tlsCert: h.tls!.cert, tlsKey: credential("tlsKey") } : {}),
                    ...(h.transport === "ssh" ? { sshKey: credential("sshKey"), sshHostKey: h.sshHostKey } : {}),
                    endpoint: this.httpEndpoint, fallbackEndpoints: producerPlans.map(endpoint), chainId: this.chainId,
                    keys: pulumi.all(plan.nodes.filter((n) => n.host === h.name).map(signingKey)),
                }, { parent: this });
                const network = new DockerNetwork(`${name}-network-${h.name}`, { name: `${args.prefix}-${h.name}-net`, labels: { ...labels, [LABEL_HOST]: h.name } },
                    { parent: this, provider: engine, deleteBeforeReplace: true });
                engines.set(h.name, { objects: engine, nodes: engine, network });
            }
            pulumi.log.info(`placement: ${plan.hosts.map((h) => `${h.name} (${h.address}): ${plan.nodes.filter((n) => n.host === h.name).map((n) => n.role).join(", ") || "no nodes"}`).join("; ")}`, this);
        }
        const clusterNodes = new Map<string, KubernetesNode>();
        const node = (n: PlannedNode, publicKey: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions): Node | KubernetesNode => {
            const agent = nodeObjectName(args.prefix, n.role);
            const componentName = `${name}-${n.role === "boot" ? "boot" : `node-${n.role}`}`;
            const settings = {
                p2pServerAddress: p2pServerAddress(plan, n, args.prefix), agentName: agent, producerNames: n.producerNames, enableStaleProduction: n.enableStaleProduction,
                chainStateDbSizeMb: cfg.node.chainStateDbSizeMb, maxTransactionTimeMs: cfg.node.maxTransactionTimeMs, extraConfig: cfg.node.extraConfig,
                ...(onHosts ? { netApi: true } : {}),
            };
            const h = hostOf(plan, n);
            if (h.kubernetes) {
                // Peers in the same cluster by their Services' ClusterIPs (known once those exist), others by address.
                const inCluster = pulumi.all(Object.fromEntries(clusterPeers(plan, n).map((role) => [role, clusterNodes.get(role)!.clusterIp])));
                const k = new (kubernetes().KubernetesNode)(componentName, {
                    prefix: args.prefix, role: n.role, stackLabel: args.stackLabel, host: n.host, cluster: h.kubernetes, image: cfg.node.image,
                    httpPort: n.httpPort, p2pPort: n.p2pPort, genesis, startTimeoutSeconds: cfg.node.startTimeoutSeconds,
                    settings: inCluster.apply((ips) => ({ ...settings, peers: peerAddresses(plan, n, args.prefix, (role) => ips[role]) })),
                    gatePeers: gatedProduction(plan, n) ? inCluster.apply((ips) => peerHttpAddresses(plan, n, args.prefix, (role) => ips[role])) : undefined,
                    signingKeys: [signingKey(n)], provider: clusters.get(n.host)!,
                }, { ...opts, address: h.address });
                clusterNodes.set(n.role, k);
                return k;
            }
            const engine = engines.get(n.host)!;
            return new Node(componentName, {
                prefix: args.prefix, stackLabel: args.stackLabel, role: n.role, image: cfg.node.image,
                httpBindAddress: onHosts ? hostOf(plan, n).address : cfg.node.httpBindAddress, httpPort: n.httpPort,
                host: onHosts ? n.host : undefined, p2pPort: onHosts ? n.p2pPort : 0,
                startTimeoutSeconds: cfg.node.startTimeoutSeconds, network: engine.network.name, genesis, chainId: this.chainId,
                hostProvider: engine.objects, chainProvider: engine.nodes, signingKeys: [publicKey],
                settings: { ...settings, peers: peerAddresses(plan, n, args.prefix) },
            }, opts);
        };
        const boot = node(bootPlan, bootKey.publicKey, { parent: this });
        this.bootContainer = boot.container;

        // A plan the chain cannot carry out stops here, in preview too, before any chain-side
        // resource is registered: they all wait on this check.
        const planned = plannedChain(plan);
        const query = chainStateQuery(plan, planned);
        const checked = getChainState(chain, query.accounts, { coreSymbol: cfg.chain.coreSymbol, plannedStakes: query.plannedStakes, distribution: query.distribution }).apply((s) => {
            if (s.foreignChainId) {
                pulumi.log.warn(`${endpoint(bootPlan)} answers with chain ${s.foreignChainId}, not this stack's: another network holds the port ` +
                    "(eos-network:bootNode.httpPort); creating this stack's boot node will fail until it is free", this);
            }
            const problems = chainRefusals(s, planned);
            if (problems.length > 0) {
                throw new pulumi.RunError(`this change cannot be carried out on the running chain (nothing was changed):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
            }
            return [boot.container];
        });
        // Chain-side resources wait for the check and the boot node, and go away with the boot node (a
        // new one is a new chain). Every `after` list given here holds a chain-side resource, which
        // waits on the boot node itself: state lists the boot node only where nothing else is listed.
        const onChain = (after: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({
            parent: this, provider: chain, deletedWith: boot.container, dependsOn: checked.apply((c) => (after.length > 0 ? after : c)),
        });

        const system = systemContracts(name, plan, bootKey.publicKey, onChain);
        this.activatedFeatures = system.features.activated;
        const init = system.init;
        const creator = plan.creator && new Account(`${name}-account-${plan.creator.name}`, {
            name: plan.creator.name, creator: "eosio", ownerKey: keys.get(plan.creator.name)!.publicKey, activeKey: keys.get(plan.creator.name)!.publicKey,
            ...splitInputs(plan, plan.creator),
        }, onChain([init]));
        // Producers and staked accounts: created, funded and staked by the creator (or eosio).
        const accounts = new Map([...plan.producers, ...plan.accounts.filter((a) => !a.generated)].map((a) => [a.name, new Account(`${name}-account-${a.name}`, {
            name: a.name, creator: a.createdBy, ownerKey: keys.get(a.name)!.publicKey, activeKey: keys.get(a.name)!.publicKey, ...splitInputs(plan, a),
        }, onChain(creator ? [init, creator] : [init]))]));
        const team = plan.team.length === 0 ? undefined
            : new Team(`${name}-team`, { plan, keys: teamKeyring, prefix: name, onChain: (after) => onChain([init, ...after]) }, { parent: this });

        // One nodeos per producer that runs one; it registers (or changes its key) once its node
        // runs, so after a key rotation the node already holds the new key when the chain asks for it.
        const nodes = new Map(producerPlans.map((n) => [n.role, node(n, keys.get(n.role)!.publicKey, { parent: this, dependsOn: [boot] })]));
        this.producerEndpoints = pulumi.all(Object.fromEntries([...nodes].map(([p, n]) => [p, n.httpEndpoint])));
        this.nodes = pulumi.output(Object.fromEntries(plan.nodes.map((n) => [n.role, {
            host: n.host, httpEndpoint: endpoint(n), p2pAddress: p2pServerAddress(plan, n, args.prefix), producers: n.role === "boot" ? [] : n.producerNames,
        }])));
        this.hosts = pulumi.output(Object.fromEntries(plan.hosts.map((h) => [h.name, { address: h.address, docker: h.docker ?? "", ...(h.kubernetes ? { kubernetes: h.kubernetes.namespace } : {}) }])));
        const registrations = plan.producers.map((p) => new ProducerRegistration(`${name}-producer-${p.name}`, {
            producer: p.name, producerKey: keys.get(p.name)!.publicKey, url: p.url, location: p.location,
        }, onChain([accounts.get(p.name)!, ...(nodes.get(p.name)?.running ?? [])])));
        const proxies = plan.accounts.filter((a) => a.isProxy).map((a) => new ProxyRegistration(`${name}-proxy-${a.name}`, { proxy: a.name }, onChain([accounts.get(a.name)!])));
        // Votes come last among the chain writes: producers registered, each once its node runs (every
        // producer node is a producer's, so waiting on the registrations waits on all of them).
        const votes: pulumi.CustomResource[] = plan.accounts.filter((a) => !a.generated && (a.votes.length > 0 || a.proxy)).map((a) => new Vote(`${name}-vote-${a.name}`, {
            voter: a.name, producers: a.proxy ? [] : a.votes, proxy: a.proxy ?? "",
        }, onChain([accounts.get(a.name)!, ...registrations, ...proxies])));

        if (plan.distribution && distributionSeed) {
            // One resource for every generated account: created, staked and voting, by name.
            votes.push(new Distribution(`${name}-distribution`, {
                creator: plan.creator?.name ?? "eosio", seedKey: distributionSeed.publicKey, ...writtenDistribution(plan)!,
            }, {
                ...onChain([init, ...(creator ? [creator] : []), ...registrations, ...proxies]),
                // Thousands of accounts: the CLI would print every one; the provider names those that change.
                hideDiffs: ["accounts"],
            }));
        }
        this.plannedSchedule = pulumi.output(plan.schedule);
        let claims = new Map<string, RewardsClaim>();
        if (plan.schedule.length > 0) {
            const schedule = new ProducerSchedule(`${name}-schedule`, { producers: plan.schedule, timeoutSeconds: cfg.scheduleTimeoutSeconds }, onChain(votes));
            // Where the chain was when up last brought it to the planned schedule.
            [this.activeProducers, this.headBlock, this.lib] = [schedule.activeProducers, schedule.headBlock, schedule.lib];
            claims = new Map(plan.producers.filter((p) => p.claimRewards).map((p) => [p.name,
                new RewardsClaim(`${name}-rewards-${p.name}`, { producer: p.name }, onChain([schedule]))]));
            if (cfg.resign) {
                new Resignation(`${name}-resign`, {
                    accounts: [{ account: "eosio", controller: "eosio.prods" }, ...SYSTEM_ACCOUNTS.map((a) => ({ account: a, controller: "eosio" }))],
                }, onChain([schedule, ...(team?.accounts ?? [])]));
            }
        } else {
            // A network without producers: eosio produces, no schedule is awaited.
            [this.activeProducers, this.headBlock, this.lib] = [pulumi.output(["eosio"]), pulumi.output(undefined), pulumi.output(undefined)];
        }
        // A claim's outputs are read after it ran; a registration's before this up's claims.
        this.producerRewards = pulumi.all(Object.fromEntries(plan.producers.map((p, i) => {
            const from = claims.get(p.name) ?? registrations[i];
            return [p.name, pulumi.all([from.unpaidBlocks, from.lastClaimTime]).apply(([unpaidBlocks, lastClaimTime]) => ({ unpaidBlocks, lastClaimTime }))];
        })));
        // The program exports these as the stack's outputs; registered here too, state held them twice
        // (11 KB of a staging stack's).
        this.registerOutputs({});
    }
}

function purposeOf(role: string, account: string): string {
    return role === "creator" ? `account creator ${account}` : `${role} ${account}`;
}

/** A configured key where there is one, else a generated KeyPair kept (secret) in state. */
function accountKeys(parent: pulumi.Resource, name: string, host: Provider, configured: NetworkArgs["configuredKeys"]) {
    return (account: string, resourceName: string, purpose: string): AccountKey => {
        if (configured && configured.names.includes(account)) {
            const privateKey = pulumi.secret(configured.values.apply((v) => v[account]));
            return { privateKey, publicKey: pulumi.unsecret(privateKey.apply((k) => publicKeyOf(k))) };
        }
        const pair = new KeyPair(resourceName, { purpose }, { parent, provider: host });
        return { publicKey: pair.publicKey, privateKey: pair.privateKey };
    };
}

/**
 * Protocol features (PREACTIVATE, then eosio.bios, which has `activate`, then all the others),
 * the system accounts (eosio's key until the resignation), eosio.token with the core token,
 * eosio.msig (privileged) and eosio.system, initialised with the core symbol. After the
 * resignation these contracts change only through an eosio.msig proposal: a producer proposes
 * (the creator pays the proposal's RAM), 2/3+1 of the producers approve.
 */
function systemContracts(name: string, plan: NetworkPlan, bootKey: pulumi.Output<string>,
    onChain: (after?: pulumi.Resource[]) => pulumi.CustomResourceOptions) {
    const cfg = plan.config;
    const contract = (n: string) => ({
        wasmPath: path.resolve(cfg.contracts.dir, n, `${n}.wasm`), abiPath: path.resolve(cfg.contracts.dir, n, `${n}.abi`),
        proposer: plan.producers[0]?.name ?? "", ramPayer: plan.creator?.name ?? "",
    });
    const preactivate = new ProtocolFeatures(`${name}-preactivate`, { phase: "preactivate" }, onChain());
    const bios = new Contract(`${name}-bios`, { account: "eosio", ...contract("eosio.bios"), bootstrapOnly: true }, onChain([preactivate]));
    const features = new ProtocolFeatures(`${name}-features`, { phase: "activate" }, onChain([bios]));
    // Beside the features: newaccount and the token's and msig's code need none of them (the boot
    // waits one block per step, so every step off the longest path is half a second).
    const accounts = new Map(SYSTEM_ACCOUNTS.map((acct) => [acct, new Account(`${name}-account-${acct}`, {
        name: acct, creator: "eosio", ownerKey: bootKey, activeKey: bootKey, manageKeys: !cfg.resign,
    }, onChain([bios]))]));
    const tokenContract = new Contract(`${name}-contract-eosio.token`, { account: "eosio.token", ...contract("eosio.token") }, onChain([accounts.get("eosio.token")!]));
    const msigContract = new Contract(`${name}-contract-eosio.msig`, { account: "eosio.msig", ...contract("eosio.msig") }, onChain([accounts.get("eosio.msig")!]));
    const token = new Token(`${name}-token`, {
        contract: "eosio.token", issuer: plan.token.issuer, maxSupply: asset(plan, plan.token.maxSupply), issue: asset(plan, plan.token.issue),
    }, onChain([tokenContract]));
    const msigPriv = new Privilege(`${name}-priv-eosio.msig`, { account: "eosio.msig", privileged: true }, onChain([msigContract]));
    // eosio.system's code uses the features' intrinsics; its init needs the core token issued.
    const systemContract = new Contract(`${name}-contract-eosio.system`, { account: "eosio", ...contract("eosio.system") },
        onChain([features, ...accounts.values()]));
    const init = new SystemInit(`${name}-system-init`, { core: `${plan.symbol.precision},${plan.symbol.code}` }, onChain([systemContract, token, msigPriv]));
    return { features, init };
}
