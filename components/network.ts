// Network: the top-level component of a stack. It runs the whole BIOS boot: boot node, protocol
// features, system accounts and contracts, token, staked accounts, producers and their nodes,
// votes, the producer schedule and the resignation of eosio.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { DockerNetwork, LABEL_MANAGED, LABEL_STACK } from "../providers/docker/resources";
import { KeyPair, publicKeyOf } from "../providers/keys";
import { ContractDeployment, ProtocolFeatures } from "../providers/chain/resources";
import { Account, Privilege, ProducerRegistration, ProducerSchedule, ProxyRegistration, Resign, SystemInit, Token, Vote } from "../providers/chain/boot";
import { eosioResigned, existingAccounts, getActiveSchedule, getInfo } from "./chain";
import { scheduleChangeProblem } from "../providers/logic/election";
import { CONTAINER_P2P_PORT, Node, nodeObjectName, renderGenesis } from "./node";
import { accountConfigPaths, desiredSchedule, fundedAccounts, nodePeers, producerHttpPort, stakedAccounts, SYSTEM_ACCOUNTS } from "./plan";

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
    public readonly chainId: pulumi.Output<string>;
    public readonly headBlock: pulumi.Output<number>;
    public readonly lib: pulumi.Output<number>;
    public readonly bootPublicKey: pulumi.Output<string>;
    public readonly activatedFeatures: pulumi.Output<string[]>;
    public readonly activeProducers: pulumi.Output<string[]>;
    /** The schedule the configured votes elect (top 21 by stake, by name): known in preview. */
    public readonly plannedSchedule: pulumi.Output<string[]>;
    public readonly producerEndpoints: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eos:index:Network", name, {}, opts);
        const cfg = args.config;
        const labels = { [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel };
        const nodeDefaults = {
            prefix: args.prefix,
            stackLabel: args.stackLabel,
            image: cfg.node.image,
            httpBindAddress: cfg.node.httpBindAddress,
            startTimeoutSeconds: cfg.node.startTimeoutSeconds,
        };
        const nodeSettings = (agent: string) => ({
            p2pServerAddress: `${agent}:${CONTAINER_P2P_PORT}`,
            chainStateDbSizeMb: cfg.node.chainStateDbSizeMb,
            maxTransactionTimeMs: cfg.node.maxTransactionTimeMs,
            agentName: agent,
            extraConfig: cfg.node.extraConfig,
        });

        const network = new DockerNetwork(`${name}-network`, { name: `${args.prefix}-net`, labels }, { parent: this });
        // A configured key where there is one, else a generated KeyPair kept (secret) in state.
        const keyFor = (account: string, resourceName: string, purpose: string): AccountKey => {
            const configured = args.configuredKeys;
            if (configured && configured.names.includes(account)) {
                const privateKey = pulumi.secret(configured.values.apply((v) => v[account]));
                return { privateKey, publicKey: pulumi.unsecret(privateKey.apply((k) => publicKeyOf(k))) };
            }
            const pair = new KeyPair(resourceName, { purpose }, { parent: this });
            return { publicKey: pair.publicKey, privateKey: pair.privateKey };
        };
        const bootKey = keyFor("eosio", `${name}-boot-key`, "eosio genesis and boot producer");
        const genesis = bootKey.publicKey.apply((k) => renderGenesis(cfg.chain.initialTimestamp, k, cfg.chain));
        const keyList = (k: AccountKey) => pulumi.all([k.publicKey, k.privateKey]).apply(([publicKey, privateKey]) => [{ publicKey, privateKey }]);

        const bootAgent = nodeObjectName(args.prefix, "boot");
        const producerAgents = cfg.producers.map((p) => nodeObjectName(args.prefix, p.name));
        const peersOf = (self: string) => nodePeers(bootAgent, cfg.producers.map((p, i) => ({ agent: producerAgents[i], runsNode: p.runsNode })), self)
            .map((a) => `${a}:${CONTAINER_P2P_PORT}`);

        const boot = new Node(`${name}-boot`, {
            ...nodeDefaults,
            role: "boot",
            network: network.name,
            httpPort: cfg.bootNode.httpPort,
            genesis,
            settings: { ...nodeSettings(bootAgent), producerNames: ["eosio"], enableStaleProduction: true, peers: peersOf(bootAgent) },
            signatureKeys: keyList(bootKey),
        }, { parent: this });

        const info = boot.httpEndpoint.apply((endpoint) => getInfo(endpoint));
        this.httpEndpoint = boot.httpEndpoint;
        this.chainId = info.chain_id;
        this.bootPublicKey = bootKey.publicKey;

        // A plan the chain cannot carry out stops here, in preview too (the node already runs),
        // before any chain-side resource: every one of them takes this chain id.
        const desired = desiredSchedule(cfg);
        const checkedChainId = pulumi.all([this.chainId, boot.httpEndpoint]).apply(async ([id, endpoint]) => {
            const problems: string[] = [];
            const scheduleProblem = scheduleChangeProblem(await getActiveSchedule(endpoint), desired);
            if (scheduleProblem) {
                problems.push(`eos-network:accounts: ${scheduleProblem}`);
            }
            if (await eosioResigned(endpoint)) {
                // Only eosio creates accounts here, and after the resignation it cannot sign alone.
                const paths = accountConfigPaths(cfg);
                const existing = await existingAccounts(endpoint, [...paths.keys()]);
                for (const [account, where] of paths) {
                    if (!existing.has(account)) {
                        problems.push(`${where}: ${account} is not on the chain, and eosio has resigned to eosio.prods, so it cannot be created; ` +
                            "reset the network (npm run destroy, then npm run up), or set eos-network:resign to false for a network that grows");
                    }
                }
            }
            if (problems.length > 0) {
                throw new pulumi.RunError(`this change cannot be carried out on the running chain (nothing was changed):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
            }
            return id;
        });

        // Chain-side resources go away with the boot container (a new one is a new chain).
        const onChain = { parent: this, deletedWith: boot.container };
        const chainRef = { endpoint: this.httpEndpoint, chainId: checkedChainId };
        const eosioKey = bootKey.privateKey;
        const contract = (n: string) => ({
            wasmPath: path.resolve(cfg.contracts.dir, n, `${n}.wasm`),
            abiPath: path.resolve(cfg.contracts.dir, n, `${n}.abi`),
        });

        // Protocol features: PREACTIVATE, then eosio.bios (it has `activate`), then all the others.
        const preactivate = new ProtocolFeatures(`${name}-preactivate`, { ...chainRef, phase: "preactivate" }, onChain);
        const bios = new ContractDeployment(`${name}-bios`, { ...chainRef, account: "eosio", ...contract("eosio.bios"), privateKey: eosioKey },
            { ...onChain, dependsOn: [preactivate] });
        const features = new ProtocolFeatures(`${name}-features`, { ...chainRef, phase: "activate", privateKey: eosioKey },
            { ...onChain, dependsOn: [bios] });
        this.activatedFeatures = features.activated;

        // System accounts, all with eosio's key until the resignation.
        const systemAccounts = new Map(SYSTEM_ACCOUNTS.map((acct) => [acct, new Account(`${name}-account-${acct}`, {
            ...chainRef, name: acct, creator: "eosio", creatorKey: eosioKey, ownerKey: bootKey.publicKey, activeKey: bootKey.publicKey,
        }, { ...onChain, dependsOn: [features] })]));

        const tokenContract = new ContractDeployment(`${name}-contract-eosio.token`, { ...chainRef, account: "eosio.token", ...contract("eosio.token"), privateKey: eosioKey },
            { ...onChain, dependsOn: [systemAccounts.get("eosio.token")!] });
        const msigContract = new ContractDeployment(`${name}-contract-eosio.msig`, { ...chainRef, account: "eosio.msig", ...contract("eosio.msig"), privateKey: eosioKey },
            { ...onChain, dependsOn: [systemAccounts.get("eosio.msig")!] });
        const token = new Token(`${name}-token`, {
            ...chainRef, contract: "eosio.token", issuer: "eosio", maxSupply: cfg.chain.maxSupply, issue: cfg.chain.issue, contractKey: eosioKey, issuerKey: eosioKey,
        }, { ...onChain, dependsOn: [tokenContract] });
        const msigPriv = new Privilege(`${name}-priv-eosio.msig`, { ...chainRef, account: "eosio.msig", eosioKey }, { ...onChain, dependsOn: [msigContract] });
        const systemContract = new ContractDeployment(`${name}-contract-eosio.system`, { ...chainRef, account: "eosio", ...contract("eosio.system"), privateKey: eosioKey },
            { ...onChain, dependsOn: [token, msigPriv, features, ...systemAccounts.values()] });
        const init = new SystemInit(`${name}-system-init`, { ...chainRef, core: `${cfg.chain.precision},${cfg.chain.coreSymbol}`, eosioKey },
            { ...onChain, dependsOn: [systemContract] });

        // Producers and staked accounts: a generated key each, created and funded by eosio.
        const keys = new Map<string, AccountKey>();
        const accounts = new Map<string, Account>();
        for (const f of fundedAccounts(cfg)) {
            const key = keyFor(f.name, `${name}-key-${f.name}`, `${f.role} ${f.name}`);
            keys.set(f.name, key);
            accounts.set(f.name, new Account(`${name}-account-${f.name}`, {
                ...chainRef, name: f.name, creator: "eosio", creatorKey: eosioKey, ownerKey: key.publicKey, activeKey: key.publicKey,
                ram: f.ram, cpu: f.cpu, net: f.net, liquid: f.liquid,
            }, { ...onChain, dependsOn: [init] }));
        }

        const registrations = cfg.producers.map((p) => new ProducerRegistration(`${name}-producer-${p.name}`, {
            ...chainRef, producer: p.name, producerKey: keys.get(p.name)!.publicKey, url: p.url, location: p.location, accountKey: keys.get(p.name)!.privateKey,
        }, { ...onChain, dependsOn: [accounts.get(p.name)!] }));

        // One nodeos per producer that runs a node, peered with the boot node and each other.
        const producerNodes = cfg.producers.flatMap((p, i) => p.runsNode ? [new Node(`${name}-node-${p.name}`, {
            ...nodeDefaults,
            role: p.name,
            network: network.name,
            httpPort: producerHttpPort(cfg, i),
            genesis,
            settings: { ...nodeSettings(producerAgents[i]), producerNames: [p.name], enableStaleProduction: false, peers: peersOf(producerAgents[i]) },
            signatureKeys: keyList(keys.get(p.name)!),
        }, { parent: this, dependsOn: [boot] })] : []);
        this.producerEndpoints = pulumi.all(Object.fromEntries(
            cfg.producers.flatMap((p) => p.runsNode ? [p.name] : []).map((n, i) => [n, producerNodes[i].httpEndpoint]),
        ));

        const staked = stakedAccounts(cfg);
        const proxies = staked.filter((a) => a.isProxy).map((a) => new ProxyRegistration(`${name}-proxy-${a.name}`, {
            ...chainRef, proxy: a.name, proxyKey: keys.get(a.name)!.privateKey,
        }, { ...onChain, dependsOn: [accounts.get(a.name)!] }));

        // Votes come last among the chain writes: producers registered and their nodes running.
        const votes = staked.filter((a) => a.votes.length > 0 || a.proxy).map((a) => new Vote(`${name}-vote-${a.name}`, {
            ...chainRef, voter: a.name, producers: a.proxy ? [] : a.votes, proxy: a.proxy ?? "", voterKey: keys.get(a.name)!.privateKey,
        }, { ...onChain, dependsOn: [accounts.get(a.name)!, ...registrations, ...proxies, ...producerNodes] }));

        this.plannedSchedule = pulumi.output(desired);
        let last: pulumi.CustomResource[] = [init, ...votes];
        if (desired.length > 0) {
            const schedule = new ProducerSchedule(`${name}-schedule`, {
                ...chainRef, producers: desired, timeoutSeconds: cfg.scheduleTimeoutSeconds,
            }, { ...onChain, dependsOn: votes });
            this.activeProducers = schedule.activeProducers;
            last = [schedule];
            if (cfg.resign) {
                const resign = new Resign(`${name}-resign`, {
                    ...chainRef,
                    eosioKey,
                    accounts: [
                        { account: "eosio", controller: "eosio.prods" },
                        ...SYSTEM_ACCOUNTS.map((a) => ({ account: a, controller: "eosio" })),
                    ],
                }, { ...onChain, dependsOn: [schedule] });
                last = [resign];
            }
        } else {
            this.activeProducers = pulumi.output(["eosio"]);
        }

        // Read the chain's progress at the very end.
        const final = pulumi.all(last.map((r) => r.id)).apply(() => this.httpEndpoint).apply((endpoint) => getInfo(endpoint));
        this.headBlock = final.head_block_num;
        this.lib = final.last_irreversible_block_num;
        this.registerOutputs({
            httpEndpoint: this.httpEndpoint,
            chainId: this.chainId,
            headBlock: this.headBlock,
            lib: this.lib,
            activatedFeatures: this.activatedFeatures,
            activeProducers: this.activeProducers,
            plannedSchedule: this.plannedSchedule,
            producerEndpoints: this.producerEndpoints,
        });
    }
}
