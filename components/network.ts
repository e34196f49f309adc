// Network: the top-level component of a stack: docker network, boot key, boot node.
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { DockerNetwork, LABEL_MANAGED, LABEL_STACK } from "../providers/docker/resources";
import { KeyPair } from "../providers/keys";
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
        this.headBlock = info.head_block_num;
        this.lib = info.last_irreversible_block_num;
        this.bootPublicKey = bootKey.publicKey;
        this.registerOutputs({
            httpEndpoint: this.httpEndpoint,
            chainId: this.chainId,
            headBlock: this.headBlock,
            lib: this.lib,
        });
    }
}
