// Node: one nodeos in a container with its own volume, joined to the network's docker network.
import * as pulumi from "@pulumi/pulumi";
import { DockerContainer, DockerVolume, LABEL_MANAGED, LABEL_STACK } from "../providers/docker/resources";

export const CONTAINER_HTTP_PORT = 8888;
export const CONTAINER_P2P_PORT = 9876;

export interface SignatureKey {
    publicKey: string;
    privateKey: string;
}

export interface NodeSettings {
    /** Producer accounts this node signs for; empty for a non-producing node. */
    producerNames: string[];
    /** Produce even when the chain looks stale (the boot node of a new chain). */
    enableStaleProduction: boolean;
    /** Other nodes' p2p addresses (host:port on the docker network). */
    peers: string[];
    /** This node's own p2p address as peers see it. */
    p2pServerAddress: string;
    chainStateDbSizeMb: number;
    maxTransactionTimeMs: number;
    agentName: string;
    extraConfig: string[];
}

/** config.ini for a node. Holds the signature keys, so it is only ever written into the container. */
export function renderConfigIni(s: NodeSettings, keys: SignatureKey[]): string {
    const lines = [
        "# written by eos-network",
        `agent-name = ${s.agentName}`,
        `http-server-address = 0.0.0.0:${CONTAINER_HTTP_PORT}`,
        "http-validate-host = false",
        `p2p-listen-endpoint = 0.0.0.0:${CONTAINER_P2P_PORT}`,
        `p2p-server-address = ${s.p2pServerAddress}`,
        "p2p-max-nodes-per-host = 100",
        ...s.peers.map((p) => `p2p-peer-address = ${p}`),
        "plugin = eosio::chain_api_plugin",
        "plugin = eosio::producer_api_plugin",
        `chain-state-db-size-mb = ${s.chainStateDbSizeMb}`,
        "resource-monitor-space-threshold = 99",
        "abi-serializer-max-time-ms = 2000",
        `max-transaction-time = ${s.maxTransactionTimeMs}`,
        "contracts-console = true",
        `enable-stale-production = ${s.enableStaleProduction}`,
        ...s.producerNames.map((p) => `producer-name = ${p}`),
        ...keys.map((k) => `signature-provider = ${k.publicKey}=KEY:${k.privateKey}`),
        ...s.extraConfig,
    ];
    return lines.join("\n") + "\n";
}

/** Genesis of a new chain; `initial_key` is the key `eosio` starts with. */
export function renderGenesis(initialTimestamp: string, initialKey: string, cpu = { maxBlockCpuUsageUs: 200000, maxTransactionCpuUsageUs: 150000 }): string {
    if (cpu.maxTransactionCpuUsageUs >= cpu.maxBlockCpuUsageUs) {
        throw new Error("eos-network:chain.maxTransactionCpuUsageUs must be below maxBlockCpuUsageUs");
    }
    return JSON.stringify(
        {
            initial_timestamp: initialTimestamp,
            initial_key: initialKey,
            initial_configuration: {
                max_block_net_usage: 1048576,
                target_block_net_usage_pct: 1000,
                max_transaction_net_usage: 524288,
                context_free_discount_net_usage_num: 20,
                context_free_discount_net_usage_den: 100,
                max_block_cpu_usage: cpu.maxBlockCpuUsageUs,
                target_block_cpu_usage_pct: 1000,
                max_transaction_cpu_usage: cpu.maxTransactionCpuUsageUs,
                min_transaction_cpu_usage: 100,
                max_transaction_lifetime: 3600,
                deferred_trx_expiration_window: 600,
                max_transaction_delay: 3888000,
                max_inline_action_size: 4096,
                max_inline_action_depth: 4,
                max_authority_depth: 6,
            },
        },
        null,
        2,
    );
}

/** The command line: only paths and plugin-independent flags, never a key. */
export function nodeCommand(): string[] {
    return ["nodeos", "--data-dir", "/eos/data", "--config-dir", "/eos/config", "--genesis-json", "/eos/config/genesis.json"];
}

/** For `docker ps`: healthy while the HTTP API answers get_info (bash only: no curl is assumed). */
export function nodeHealthcheck(): string[] {
    const probe =
        `exec 3<>/dev/tcp/127.0.0.1/${CONTAINER_HTTP_PORT} && ` +
        `printf 'GET /v1/chain/get_info HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q head_block_num <&3`;
    return ["CMD", "bash", "-c", probe];
}

/** Name of a node's docker objects (container, alias on the network): <prefix>-<role>. */
export function nodeObjectName(prefix: string, role: string): string {
    return `${prefix}-${role.replace(/\./g, "-")}`;
}

export interface NodeArgs {
    /** Docker object name prefix for this stack, e.g. eosnet-dev. */
    prefix: string;
    /** Node role within the network: boot, or the producer's name. */
    role: string;
    stackLabel: string;
    image: string;
    network: pulumi.Input<string>;
    httpBindAddress: string;
    httpPort: number;
    genesis: pulumi.Input<string>;
    settings: NodeSettings;
    signatureKeys: pulumi.Input<SignatureKey[]>;
    startTimeoutSeconds: number;
}

export class Node extends pulumi.ComponentResource {
    public readonly containerName: pulumi.Output<string>;
    public readonly httpEndpoint: pulumi.Output<string>;
    /** The container: chain-side resources are deletedWith it (a new container is a new chain). */
    public readonly container: DockerContainer;

    constructor(name: string, args: NodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eos:index:Node", name, {}, opts);
        const labels = { [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel, "io.eos-network.role": args.role };
        const objectName = nodeObjectName(args.prefix, args.role);

        const volume = new DockerVolume(`${name}-volume`, { name: `${objectName}-data`, labels }, { parent: this });

        const files = pulumi
            .all([args.genesis, args.signatureKeys])
            .apply(([genesis, keys]) => [
                { path: "/eos/config/genesis.json", content: genesis, mode: 0o644 },
                { path: "/eos/config/config.ini", content: renderConfigIni(args.settings, keys), mode: 0o600 },
            ]);

        const host = args.httpBindAddress === "0.0.0.0" ? "127.0.0.1" : args.httpBindAddress;
        const container = new DockerContainer(
            `${name}-container`,
            {
                name: objectName,
                image: args.image,
                command: nodeCommand(),
                labels,
                network: args.network,
                aliases: [objectName],
                ports: [{ containerPort: CONTAINER_HTTP_PORT, hostPort: args.httpPort, hostIp: args.httpBindAddress }],
                volumes: [{ volume: volume.name, target: "/eos/data" }],
                files: pulumi.secret(files),
                healthcheck: nodeHealthcheck(),
                healthTimeoutSeconds: args.startTimeoutSeconds,
                readinessUrl: `http://${host}:${args.httpPort}/v1/chain/get_info`,
            },
            { parent: this },
        );

        this.container = container;
        this.containerName = container.name;
        this.httpEndpoint = container.containerId.apply(() => `http://${host}:${args.httpPort}`);
        this.registerOutputs({ containerName: this.containerName, httpEndpoint: this.httpEndpoint });
    }
}
