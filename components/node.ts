// Node: one nodeos with its own data volume, joined to the stack's docker network. The volume is
// named after the chain id, so a new genesis is a new volume (and a new container): nodeos never
// meets the data of another chain.
import * as pulumi from "../sdk/pulumi";
import { LABEL_CHAIN, LABEL_HOST, LABEL_MANAGED, LABEL_ROLE, LABEL_STACK } from "../rules/labels";
import { nodeObjectName, NodeSettings } from "../planning/node";
import { DockerVolume, NodeosContainer } from "../sdk/resources";

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
    /** Host port its p2p listener is published on (0: not published, peers on the same engine only). */
    p2pPort: number;
    /** The configured host it is placed on (labelled on its container and volume); none on the one implicit engine. */
    host?: string;
    genesis: pulumi.Input<string>;
    chainId: pulumi.Input<string>;
    settings: NodeSettings;
    /** Public keys the node signs with; the chain provider holds the private halves. */
    signingKeys: pulumi.Input<pulumi.Input<string>[]>;
    startTimeoutSeconds: number;
    /** Serves docker volumes. */
    hostProvider: pulumi.ProviderResource;
    /** Serves the container: it holds the signing keys written into config.ini. */
    chainProvider: pulumi.ProviderResource;
}

export class Node extends pulumi.ComponentResource {
    public readonly containerName: pulumi.Output<string>;
    public readonly httpEndpoint: pulumi.Output<string>;
    /** The container: chain-side resources are deletedWith the boot node's (a new one is a new chain). */
    public readonly container: NodeosContainer;
    /** What a chain write that needs this node waits on: its container, not the component (every child would be listed in that write's state). */
    public readonly running: pulumi.Resource[];

    constructor(name: string, args: NodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eosnet:index:Node", name, {}, opts);
        const objectName = nodeObjectName(args.prefix, args.role);
        const placed: Record<string, string> = args.host ? { [LABEL_HOST]: args.host } : {};
        const labels = pulumi.output(args.chainId).apply((chainId) => ({
            [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel, [LABEL_ROLE]: args.role, [LABEL_CHAIN]: chainId, ...placed,
        }));

        const volume = new DockerVolume(`${name}-volume`, {
            // Across hosts the host is in the name: a renamed host's new volume never adopts the old one.
            name: pulumi.output(args.chainId).apply((id) => `${objectName}-${args.host ? `${args.host}-` : ""}${id.slice(0, 12)}`),
            labels,
        // One engine: delete first (a new chain reuses nothing). Across hosts a moved node's new volume is
        // made on the new host first, so its old container goes (delete-first) before its old volume.
        }, { parent: this, provider: args.hostProvider, deleteBeforeReplace: !args.host });

        this.container = new NodeosContainer(`${name}-container`, {
            name: objectName,
            image: args.image,
            network: args.network,
            aliases: [objectName],
            httpPort: args.httpPort,
            httpBindAddress: args.httpBindAddress,
            p2pPort: args.p2pPort,
            volume: volume.name,
            labels: { [LABEL_MANAGED]: "true", [LABEL_STACK]: args.stackLabel, [LABEL_ROLE]: args.role, ...placed },
            genesis: args.genesis,
            settings: args.settings,
            signingKeys: args.signingKeys,
            startTimeoutSeconds: args.startTimeoutSeconds,
        }, { parent: this, provider: args.chainProvider, deleteBeforeReplace: true });

        this.running = [this.container];
        this.containerName = this.container.name;
        this.httpEndpoint = this.container.httpEndpoint;
        this.registerOutputs({ containerName: this.containerName, httpEndpoint: this.httpEndpoint });
    }
}
