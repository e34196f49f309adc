// Network: the top-level component of a stack. It wires the whole BIOS boot: boot node, protocol
// features, system accounts and contracts, token, staked accounts, producers and their nodes,
// votes, the producer schedule and the resignation of eosio. It holds no I/O: the chain is read
// through the eosnet provider (getChainState), decisions come from planning/.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { publicKeyOf } from "../keys/keys";
import { LABEL_MANAGED, LABEL_STACK } from "../rules/labels";
import { chainIdOf, renderGenesis } from "../planning/genesis";
import { CONTAINER_P2P_PORT, nodeObjectName } from "../planning/node";
import { chainRefusals } from "../planning/refusals";
import {
    accountConfigPaths, creatorAccount, creatorOf, desiredSchedule, fundedAccounts, nodePeers, plannedFunds, plannedStakes, producerHttpPort, stakedAccounts, SYSTEM_ACCOUNTS,
} from "../planning/network";
import { getChainState } from "../sdk/functions";
import {
    Account, Contract, DockerNetwork, KeyPair, Privilege, ProducerRegistration, ProducerSchedule, ProtocolFeatures, Provider,
    ProxyRegistration, Resignation, RewardsClaim, SystemInit, Token, Vote,
} from "../sdk/resources";
import { Node } from "./node";
import { Team, teamKeys } from "./team";
import { teamConfigPaths, teamStakes } from "../planning/team";

export interface NetworkArgs {
    config: StackConfig;
    /** Prefix of every docker object of the stack, e.g. eosnet-dev. */
    prefix: string;
    /** Value of the io.eos-network.stack label: <project>/<stack>. */
    stackLabel: string;
    /** Keys from `eos-network:keys` (secret): names known at plan time, values only as secrets. */
    configuredKeys?: { names: string[]; values: pulumi.Output<Record<string, string>> };
}

interface AccountKey {
    publicKey: pulumi.Output<string>;
    privateKey: pulumi.Output<string>;
}

export class Network extends pulumi.ComponentResource {
    public readonly httpEndpoint: pulumi.Output<string>;
    private readonly httpEndpointText: string;
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
    /** Each registered producer's unpaid blocks and last claim time, as read by this up. */
    public readonly producerRewards: pulumi.Output<Record<string, { unpaidBlocks: number; lastClaimTime: string }>>;
    /** The provider holding this chain's endpoint and keys, for resources added beside the network. */
    public readonly chainProvider: Provider;
    /** The provider of docker objects and key pairs. */
    public readonly hostProvider: Provider;
    /** The boot node's container: chain-side resources are deletedWith it. */
    public readonly bootContainer: pulumi.CustomResource;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eosnet:index:Network", name, {}, opts);
        const cfg = args.config;
        const labels = { [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel };
        const bindHost = cfg.node.httpBindAddress === "0.0.0.0" ? "127.0.0.1" : cfg.node.httpBindAddress;

        // Docker objects and generated keys need no credentials.
        this.hostProvider = new Provider(`${name}-host`, {}, { parent: this });
        const host = this.hostProvider;

        // A configured key where there is one, else a generated KeyPair kept (secret) in state.
        const keyFor = (account: string, resourceName: string, purpose: string): AccountKey => {
            const configured = args.configuredKeys;
            if (configured && configured.names.includes(account)) {
                const privateKey = pulumi.secret(configured.values.apply((v) => v[account]));
                return { privateKey, publicKey: pulumi.unsecret(privateKey.apply((k) => publicKeyOf(k))) };
            }
            const pair = new KeyPair(resourceName, { purpose }, { parent: this, provider: host });
            return { publicKey: pair.publicKey, privateKey: pair.privateKey };
        };
        const bootKey = keyFor("eosio", `${name}-boot-key`, "eosio genesis and boot producer");
        const keys = new Map<string, AccountKey>();
        const creatorFunds = creatorAccount(cfg);
        for (const f of [...(creatorFunds ? [creatorFunds] : []), ...fundedAccounts(cfg)]) {
            keys.set(f.name, keyFor(f.name, `${name}-key-${f.name}`, f === creatorFunds ? `account creator ${f.name}` : `${f.role} ${f.name}`));
        }
        const teamKeyring = teamKeys(name, cfg.teamAccounts, keyFor, { parent: this, provider: host });

        const genesis = bootKey.publicKey.apply((k) => renderGenesis(cfg.chain.initialTimestamp, k, cfg.chain));
        this.chainId = genesis.apply(chainIdOf);
        this.httpEndpointText = `http://${bindHost}:${cfg.bootNode.httpPort}`;
        this.httpEndpoint = pulumi.output(this.httpEndpointText);
        this.bootPublicKey = bootKey.publicKey;

        // The chain's credentials: its endpoint, its id (every write checks it) and every key the
        // stack signs with, held once, as a secret, in this provider's configuration.
        this.chainProvider = new Provider(`${name}-chain`, {
            endpoint: this.httpEndpoint,
            // Producer nodes serve the same chain: the provider reads and writes through them while
            // the boot node is down (or being recreated).
            fallbackEndpoints: cfg.producers.flatMap((p, i) => p.runsNode ? [`http://${bindHost}:${producerHttpPort(cfg, i)}`] : []),
            chainId: this.chainId,
            keys: pulumi.all([bootKey.privateKey, ...[...keys.values()].map((k) => k.privateKey), ...teamKeyring.privateKeys]),
        }, { parent: this });
        const chain = this.chainProvider;

        const network = new DockerNetwork(`${name}-network`, { name: `${args.prefix}-net`, labels }, { parent: this, provider: host, deleteBeforeReplace: true });

        const bootAgent = nodeObjectName(args.prefix, "boot");
        const producerAgents = cfg.producers.map((p) => nodeObjectName(args.prefix, p.name));
        const peersOf = (self: string) => nodePeers(bootAgent, cfg.producers.map((p, i) => ({ agent: producerAgents[i], runsNode: p.runsNode })), self)
            .map((a) => `${a}:${CONTAINER_P2P_PORT}`);
        const nodeSettings = (agent: string) => ({
            p2pServerAddress: `${agent}:${CONTAINER_P2P_PORT}`,
            chainStateDbSizeMb: cfg.node.chainStateDbSizeMb,
            maxTransactionTimeMs: cfg.node.maxTransactionTimeMs,
            agentName: agent,
            extraConfig: cfg.node.extraConfig,
        });
        const nodeDefaults = {
            prefix: args.prefix,
            stackLabel: args.stackLabel,
            image: cfg.node.image,
            httpBindAddress: cfg.node.httpBindAddress,
            startTimeoutSeconds: cfg.node.startTimeoutSeconds,
            network: network.name,
            genesis,
            chainId: this.chainId,
            hostProvider: host,
            chainProvider: chain,
        };

        const boot = new Node(`${name}-boot`, {
            ...nodeDefaults,
            role: "boot",
            httpPort: cfg.bootNode.httpPort,
            settings: { ...nodeSettings(bootAgent), producerNames: ["eosio"], enableStaleProduction: true, peers: peersOf(bootAgent) },
            signingKeys: [bootKey.publicKey],
        }, { parent: this });
        this.bootContainer = boot.container;

        // A plan the chain cannot carry out stops here, in preview too, before any chain-side
        // resource is registered: they all wait on this check.
        const desired = desiredSchedule(cfg);
        const paths = new Map([...accountConfigPaths(cfg), ...teamConfigPaths(cfg)]);
        const state = getChainState(chain, [...paths.keys()], { coreSymbol: cfg.chain.coreSymbol });
        const plan = {
            schedule: desired, paths, stakes: new Map([...plannedStakes(cfg), ...teamStakes(cfg)]), funds: plannedFunds(cfg), creator: cfg.creator?.name,
            createdByEosio: teamConfigPaths(cfg),
            maxSupply: cfg.chain.maxSupply, issuer: "eosio",
        };
        const checked = state.apply((s) => {
            if (s.foreignChainId) {
                pulumi.log.warn(`${this.httpEndpointText} answers with chain ${s.foreignChainId}, not this stack's: another network holds the port ` +
                    "(eos-network:bootNode.httpPort); creating this stack's boot node will fail until it is free", this);
            }
            const problems = chainRefusals(s, plan);
            if (problems.length > 0) {
                throw new pulumi.RunError(`this change cannot be carried out on the running chain (nothing was changed):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
            }
            return [boot.container];
        });

        // Chain-side resources wait for the boot node and go away with it (a new one is a new chain).
        const onChain = (after: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({
            parent: this,
            provider: chain,
            deletedWith: boot.container,
            dependsOn: checked.apply((c) => [...c, ...after]),
        });
        // After the resignation these contracts change only through an eosio.msig proposal: a
        // producer proposes (the creator pays the proposal's RAM), 2/3+1 of the producers approve.
        const contract = (n: string) => ({
            wasmPath: path.resolve(cfg.contracts.dir, n, `${n}.wasm`),
            abiPath: path.resolve(cfg.contracts.dir, n, `${n}.abi`),
            proposer: cfg.producers[0]?.name ?? "",
            ramPayer: cfg.creator?.name ?? "",
        });

        // Protocol features: PREACTIVATE, then eosio.bios (it has `activate`), then all the others.
        const preactivate = new ProtocolFeatures(`${name}-preactivate`, { phase: "preactivate" }, onChain());
        const bios = new Contract(`${name}-bios`, { account: "eosio", ...contract("eosio.bios"), bootstrapOnly: true }, onChain([preactivate]));
        const features = new ProtocolFeatures(`${name}-features`, { phase: "activate" }, onChain([bios]));
        this.activatedFeatures = features.activated;

        // System accounts, all with eosio's key until the resignation hands them to eosio.
        const systemAccounts = new Map(SYSTEM_ACCOUNTS.map((acct) => [acct, new Account(`${name}-account-${acct}`, {
            name: acct, creator: "eosio", ownerKey: bootKey.publicKey, activeKey: bootKey.publicKey, manageKeys: !cfg.resign,
        }, onChain([features]))]));

        const tokenContract = new Contract(`${name}-contract-eosio.token`, { account: "eosio.token", ...contract("eosio.token") }, onChain([systemAccounts.get("eosio.token")!]));
        const msigContract = new Contract(`${name}-contract-eosio.msig`, { account: "eosio.msig", ...contract("eosio.msig") }, onChain([systemAccounts.get("eosio.msig")!]));
        const token = new Token(`${name}-token`, {
            contract: "eosio.token", issuer: "eosio", maxSupply: cfg.chain.maxSupply, issue: cfg.chain.issue,
        }, onChain([tokenContract]));
        const msigPriv = new Privilege(`${name}-priv-eosio.msig`, { account: "eosio.msig", privileged: true }, onChain([msigContract]));
        const systemContract = new Contract(`${name}-contract-eosio.system`, { account: "eosio", ...contract("eosio.system") },
            onChain([token, msigPriv, features, ...systemAccounts.values()]));
        const init = new SystemInit(`${name}-system-init`, { core: `${cfg.chain.precision},${cfg.chain.coreSymbol}` }, onChain([systemContract]));

        // The creator (if configured): eosio gives it its funds, and it creates and funds everyone
        // else, so accounts and producers can still be added once eosio has resigned.
        const creator = creatorFunds && new Account(`${name}-account-${creatorFunds.name}`, {
            name: creatorFunds.name, creator: "eosio", ownerKey: keys.get(creatorFunds.name)!.publicKey, activeKey: keys.get(creatorFunds.name)!.publicKey,
            ram: creatorFunds.ram, cpu: creatorFunds.cpu, net: creatorFunds.net, liquid: creatorFunds.liquid,
        }, onChain([init]));

        // Producers and staked accounts: created, funded and staked by the creator (or eosio).
        const accounts = new Map<string, InstanceType<typeof Account>>();
        for (const f of fundedAccounts(cfg)) {
            const key = keys.get(f.name)!;
            accounts.set(f.name, new Account(`${name}-account-${f.name}`, {
                name: f.name, creator: creatorOf(cfg), ownerKey: key.publicKey, activeKey: key.publicKey, ram: f.ram, cpu: f.cpu, net: f.net, liquid: f.liquid,
            }, onChain(creator ? [init, creator] : [init])));
        }

        // The team's accounts, permissions, contracts and setup actions (eos-network:teamAccounts).
        const team = cfg.teamAccounts.length === 0 ? undefined
            : new Team(`${name}-team`, { config: cfg, keys: teamKeyring, prefix: name, onChain: (after) => onChain([init, ...after]) }, { parent: this });

        // After every node stopped at once (an engine or host restart) the head is stale, and a
        // producer only resumes on a recent block: one producer may produce on a stale chain, so
        // the others get recent blocks again. The first configured producer with a node does.
        const restartProducer = cfg.producers.find((p) => p.runsNode)?.name;
        // One nodeos per producer that runs a node, peered with the boot node and each other.
        const producerNodes = cfg.producers.flatMap((p, i) => p.runsNode ? [new Node(`${name}-node-${p.name}`, {
            ...nodeDefaults,
            role: p.name,
            httpPort: producerHttpPort(cfg, i),
            settings: { ...nodeSettings(producerAgents[i]), producerNames: [p.name], enableStaleProduction: p.name === restartProducer, peers: peersOf(producerAgents[i]) },
            signingKeys: [keys.get(p.name)!.publicKey],
        }, { parent: this, dependsOn: [boot] })] : []);
        this.producerEndpoints = pulumi.all(Object.fromEntries(
            cfg.producers.flatMap((p) => p.runsNode ? [p.name] : []).map((n, i) => [n, producerNodes[i].httpEndpoint]),
        ));

        // A producer registers (or changes its key) once its node runs: after a key rotation the node
        // already holds the new key when the chain starts to ask for it.
        const nodeOf = new Map(cfg.producers.filter((p) => p.runsNode).map((p, i) => [p.name, producerNodes[i]]));
        const registrations = cfg.producers.map((p) => new ProducerRegistration(`${name}-producer-${p.name}`, {
            producer: p.name, producerKey: keys.get(p.name)!.publicKey, url: p.url, location: p.location,
        }, onChain([accounts.get(p.name)!, ...(nodeOf.has(p.name) ? [nodeOf.get(p.name)!] : [])])));

        const staked = stakedAccounts(cfg);
        const proxies = staked.filter((a) => a.isProxy).map((a) => new ProxyRegistration(`${name}-proxy-${a.name}`, { proxy: a.name }, onChain([accounts.get(a.name)!])));

        // Votes come last among the chain writes: producers registered and their nodes running.
        const votes = staked.filter((a) => a.votes.length > 0 || a.proxy).map((a) => new Vote(`${name}-vote-${a.name}`, {
            voter: a.name, producers: a.proxy ? [] : a.votes, proxy: a.proxy ?? "",
        }, onChain([accounts.get(a.name)!, ...registrations, ...proxies, ...producerNodes])));

        this.plannedSchedule = pulumi.output(desired);
        let claims = new Map<string, RewardsClaim>();
        if (desired.length > 0) {
            const schedule = new ProducerSchedule(`${name}-schedule`, { producers: desired, timeoutSeconds: cfg.scheduleTimeoutSeconds }, onChain(votes));
            this.activeProducers = schedule.activeProducers;
            // Where the chain was when up last brought it to the planned schedule.
            this.headBlock = schedule.headBlock;
            this.lib = schedule.lib;
            // Rewards, for producers that claim them, once they are elected.
            claims = new Map(cfg.producers.filter((x) => x.claimRewards).map((p) => [p.name,
                new RewardsClaim(`${name}-rewards-${p.name}`, { producer: p.name }, onChain([schedule]))]));
            if (cfg.resign) {
                new Resignation(`${name}-resign`, {
                    accounts: [
                        { account: "eosio", controller: "eosio.prods" },
                        ...SYSTEM_ACCOUNTS.map((a) => ({ account: a, controller: "eosio" })),
                    ],
                }, onChain([schedule, ...(team?.accounts ?? [])]));
            }
        } else {
            // A network without producers: eosio produces, no schedule is awaited.
            this.activeProducers = pulumi.output(["eosio"]);
            this.headBlock = pulumi.output(undefined);
            this.lib = pulumi.output(undefined);
        }
        // A claim's outputs are read after it ran; a registration's before this up's claims.
        this.producerRewards = pulumi.all(Object.fromEntries(cfg.producers.map((p, i) => {
            const from = claims.get(p.name) ?? registrations[i];
            return [p.name, pulumi.all([from.unpaidBlocks, from.lastClaimTime]).apply(([unpaidBlocks, lastClaimTime]) => ({ unpaidBlocks, lastClaimTime }))];
        })));
        this.registerOutputs({
            httpEndpoint: this.httpEndpoint,
            chainId: this.chainId,
            headBlock: this.headBlock,
            lib: this.lib,
            activatedFeatures: this.activatedFeatures,
            activeProducers: this.activeProducers,
            plannedSchedule: this.plannedSchedule,
            producerEndpoints: this.producerEndpoints,
            producerRewards: this.producerRewards,
        });
    }
}
