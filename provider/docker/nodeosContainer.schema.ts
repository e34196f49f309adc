// eosnet:docker:NodeosContainer's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { DOCKER_NAME_PATTERN } from "../../rules/labels";

/** What config.ini says (planning/node.ts renders it). */
export const NodeSettingsSchema = z.object({
    producerNames: z.array(z.string()).describe("producer-name lines: the accounts this node produces blocks for."),
    enableStaleProduction: z.boolean().describe("enable-stale-production: produce on a chain whose head is old (the boot node of a new chain)."),
    peers: z.array(z.string()).describe("p2p-peer-address lines: host:port of the nodes this one dials."),
    p2pServerAddress: z.string().describe("p2p-server-address: host:port the other nodes reach this one at."),
    chainStateDbSizeMb: z.number().int().describe("chain-state-db-size-mb: the size of the chain state database."),
    maxTransactionTimeMs: z.number().int().describe("max-transaction-time: the node's limit on one transaction's CPU time, in ms."),
    agentName: z.string().describe("agent-name: the name this node gives its peers."),
    extraConfig: z.array(z.string()).describe("Further config.ini lines, as written."),
    netApi: z.boolean().default(false).describe("Load net_api_plugin: peers connected, for npm run status (nodes across hosts)."),
});

export const NodeosContainerInputs = z.object({
    name: z.string().regex(DOCKER_NAME_PATTERN, "a docker container name").describe("The docker container's name."),
    image: z.string().min(1, "a node image is required (eos-network:node.image)").describe("The docker image with nodeos."),
    network: z.string().min(1).describe("The docker network the node joins (its peers' network)."),
    aliases: z.array(z.string()).default([]).describe("Names the node is reached at on the docker network."),
    httpPort: z.number().int().min(1).max(65535).describe("Host port the node's HTTP API (chain API) is published on."),
    httpBindAddress: z.string().default("127.0.0.1").describe("Host address the HTTP API (and a published p2p port) is published on (\"\" or 0.0.0.0: all interfaces)."),
    p2pPort: z.number().int().min(0).max(65535).default(0)
        .describe("Host port the p2p listener is published on, for peers on other hosts (0: not published; peers on the same docker network use the alias)."),
    volume: z.string().min(1).describe("The docker volume holding the node's data (blocks log and state)."),
    labels: z.record(z.string()).default({}).describe("Docker labels of the container (the stack's ownership labels); the provider adds its own."),
    genesis: z.string().min(2).describe("Genesis JSON text (also checked by nodeos against an existing blocks log)."),
    settings: NodeSettingsSchema.describe("What config.ini says, apart from the signing keys."),
    signingKeys: z.array(z.string()).default([])
        .describe("Public keys this node signs blocks with (signature-provider); the private halves come from the provider's keys."),
    startTimeoutSeconds: z.number().int().min(5).default(120)
        .describe("How long the node may take to answer get_info (and to sync to the chain's LIB) once started."),
    running: z.boolean().default(true).describe("Desired: the node runs. A container found stopped is started by update."),
    configDigest: z.string().default("").describe("Digest of genesis, config.ini (without keys) and signing keys; computed by check."),
});
export type NodeosContainerInputs = z.infer<typeof NodeosContainerInputs>;

// Genesis and settings are what the provider wrote into the container; the container shows them
// only as the digest file (configDigest), so they stay in the inputs and are not echoed here: 1.3 KB
// of each node's state, twice over with the file backend's indentation.
export const NodeosContainerShown = NodeosContainerInputs.omit({ genesis: true, settings: true });
export type NodeosContainerShown = z.infer<typeof NodeosContainerShown>;

export const NodeosContainerOutputs = NodeosContainerShown.extend({
    containerId: z.string().describe("The container's id in the docker engine."),
    imageId: z.string().describe("The id of the image the container runs."),
    restartPolicy: z.string().describe("The container's docker restart policy."),
    httpEndpoint: z.string().describe("Where this machine reaches the node's chain API, e.g. http://127.0.0.1:8888."),
});
export type NodeosContainerOutputs = z.infer<typeof NodeosContainerOutputs>;
