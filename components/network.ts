// Network: the top-level component of a stack: docker network, boot key, boot node.
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { DockerNetwork, LABEL_MANAGED, LABEL_STACK } from "../providers/docker/resources";
import { KeyPair } from "../providers/keys";
import * as path from "path";
import { ContractDeployment, ProtocolFeatures } from "../providers/chain/resources";
import { getInfo } from "./chain";
import { CONTAINER_P2P_PORT, Node, renderGenesis } from "./node";

export interface NetworkArgs {
    config: StackConfig;
    /** Prefix of every docker object of the stack, e.g. eosnet-dev. */
    prefix: string;
    /** Value of the io.eos-network.stack label: <project>/<stack>. */
    stackLabel: string;
}

export class Network extends pulumi.ComponentResource {
    public readonly httpEndpoint: pulumi.Output<string>;
    public readonly chainId: pulumi.Output<string>;
    public readonly headBlock: pulumi.Output<number>;
    public readonly lib: pulumi.Output<number>;
    public readonly bootPublicKey: pulumi.Output<string>;
    public readonly activatedFeatures: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eos:index:Network", name, {}, opts);
        const cfg = args.config;
        const labels = { [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel };

        const network = new DockerNetwork(`${name}-network`, { name: `${args.prefix}-net`, labels }, { parent: this });
        const bootKey = new KeyPair(`${name}-boot-key`, { purpose: "eosio genesis and boot producer" }, { parent: this });

        const boot = new Node(
            `${name}-boot`,
            {
                prefix: args.prefix,
                role: "boot",
                stackLabel: args.stackLabel,
                image: cfg.node.image,
                network: network.name,
                httpBindAddress: cfg.node.httpBindAddress,
                httpPort: cfg.bootNode.httpPort,
                genesis: bootKey.publicKey.apply((k) => renderGenesis(cfg.chain.initialTimestamp, k)),
                settings: {
                    producerNames: ["eosio"],
                    enableStaleProduction: true,
                    peers: [],
                    p2pServerAddress: `${args.prefix}-boot:${CONTAINER_P2P_PORT}`,
                    chainStateDbSizeMb: cfg.node.chainStateDbSizeMb,
                    agentName: `${args.prefix}-boot`,
                    extraConfig: cfg.node.extraConfig,
                },
                signatureKeys: pulumi
                    .all([bootKey.publicKey, bootKey.privateKey])
                    .apply(([publicKey, privateKey]) => [{ publicKey, privateKey }]),
                startTimeoutSeconds: cfg.node.startTimeoutSeconds,
            },
            { parent: this },
        );

        // Read back from the chain once the boot node answers.
        const info = boot.httpEndpoint.apply((endpoint) => getInfo(endpoint));
        this.httpEndpoint = boot.httpEndpoint;
        this.chainId = info.chain_id;
        this.bootPublicKey = bootKey.publicKey;

        // BIOS boot. Chain-side resources go away with the boot container (a new one is a new chain).
        const onChain = { parent: this, deletedWith: boot.container };
        const contract = (n: string) => ({
            wasmPath: path.resolve(cfg.contracts.dir, n, `${n}.wasm`),
            abiPath: path.resolve(cfg.contracts.dir, n, `${n}.abi`),
        });
        const chainRef = { endpoint: this.httpEndpoint, chainId: this.chainId };
        const preactivate = new ProtocolFeatures(`${name}-preactivate`, { ...chainRef, phase: "preactivate" }, onChain);
        const bios = new ContractDeployment(`${name}-bios`, {
            ...chainRef, account: "eosio", ...contract("eosio.bios"), privateKey: bootKey.privateKey,
        }, { ...onChain, dependsOn: [preactivate] });
        const features = new ProtocolFeatures(`${name}-features`, {
            ...chainRef, phase: "activate", privateKey: bootKey.privateKey,
        }, { ...onChain, dependsOn: [bios] });
        this.activatedFeatures = features.activated;

        // Read the chain's progress last, after everything above is in.
        const final = features.activated.apply(() => this.httpEndpoint).apply((endpoint) => getInfo(endpoint));
        this.headBlock = final.head_block_num;
        this.lib = final.last_irreversible_block_num;
        this.registerOutputs({
            httpEndpoint: this.httpEndpoint,
            chainId: this.chainId,
            headBlock: this.headBlock,
            lib: this.lib,
            activatedFeatures: this.activatedFeatures,
        });
    }
}
