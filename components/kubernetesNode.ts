// KubernetesNode: one nodeos as workloads of a cluster, through the official Kubernetes provider.
// A StatefulSet of exactly one replica (one signer per producer, never a surge), its own
// PersistentVolumeClaim, a Service of its own (a ClusterIP that exists before the pod and survives
// restarts, with NodePorts where this machine and other hosts reach its HTTP and p2p ports),
// config.ini with the signing keys in a Secret mounted read-only (0600) as nodeos' config dir, and
// genesis.json in a ConfigMap. The pod template carries a checksum of both, so a change replaces it.
import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "../sdk/pulumi";
import { publicKeyOf } from "../keys/keys";
import { CONTAINER_HTTP_PORT, CONTAINER_P2P_PORT, KUBERNETES_PATHS, nodeCommand, nodeObjectName, nodeProbe, NodeSettings, productionGateCommand, renderConfigIni, signatureProviderLines } from "../planning/node";
import type { PlannedCluster } from "../planning/plan";
import { kubernetesLabelValue, LABEL_HOST, LABEL_MANAGED, LABEL_ROLE, LABEL_STACK } from "../rules/labels";

export interface KubernetesNodeArgs {
    /** Object name prefix for this stack, e.g. eosnet-dev. */
    prefix: string;
    /** boot, or the producer's name. */
    role: string;
    stackLabel: string;
    /** The configured host (a namespace of a cluster). */
    host: string;
    cluster: PlannedCluster;
    image: string;
    /** NodePorts of its HTTP API and its p2p listener. */
    httpPort: number;
    p2pPort: number;
    genesis: pulumi.Input<string>;
    /** Settings with the peers resolved (peers in the cluster by their Service's ClusterIP); the paths are the node's own. */
    settings: pulumi.Input<NodeSettings>;
    /**
     * A producer node's peers' HTTP APIs (host:port): it starts with production paused, and a
     * production gate beside nodeos resumes it once synced to their LIB. Absent: no gate, no pause.
     */
    gatePeers?: pulumi.Input<string[]>;
    /** Private keys it signs with (secrets): only ever in its Secret. */
    signingKeys: pulumi.Input<string>[];
    /** How long a start (or a replay) may take before the pod counts as failed. */
    startTimeoutSeconds: number;
    provider: k8s.Provider;
}

/** Startup probe failures (10 s apart) before the kubelet restarts a node that has not answered yet: a day of replay. */
export const STARTUP_PROBE_FAILURES = 8640;

/** Seconds nodeos gets to close its state after SIGTERM: an unclean stop costs a replay. */
export const TERMINATION_GRACE_SECONDS = 300;

export class KubernetesNode extends pulumi.ComponentResource {
    public readonly httpEndpoint: pulumi.Output<string>;
    /** Where nodes of the same cluster reach it: its Service's ClusterIP. */
    public readonly clusterIp: pulumi.Output<string>;
    /** The StatefulSet: chain-side resources are deletedWith the boot node's (a new one is a new chain). */
    public readonly container: k8s.apps.v1.StatefulSet;
    public readonly service: k8s.core.v1.Service;
    /** What a chain write that needs this node waits on: its StatefulSet (pod ready) and Service (its endpoint), not every child. */
    public readonly running: pulumi.Resource[];

    constructor(name: string, args: KubernetesNodeArgs, opts: pulumi.ComponentResourceOptions & { address: string }) {
        const { address, ...componentOpts } = opts;
        super("eosnet:index:KubernetesNode", name, {}, componentOpts);
        const objectName = nodeObjectName(args.prefix, args.role);
        // A DNS-1035 label; 52 at most, so the controller-revision-hash label of its pods fits in 63.
        if (!/^[a-z]([a-z0-9-]{0,50}[a-z0-9])?$/.test(objectName)) {
            throw new pulumi.RunError(`node ${args.role} on host ${args.host}: its Kubernetes name ${objectName} (eosnet-<stack>-<role>) must be lowercase letters, digits and '-', ` +
                `52 characters at most: use a shorter stack name of lowercase letters, digits and '-'`);
        }
        const namespace = args.cluster.namespace;
        const selector = { "app.kubernetes.io/name": "nodeos", "app.kubernetes.io/instance": objectName };
        const labels = {
            ...selector, "app.kubernetes.io/managed-by": "eos-network",
            [LABEL_MANAGED]: "true", [LABEL_STACK]: kubernetesLabelValue(args.stackLabel), [LABEL_ROLE]: kubernetesLabelValue(args.role), [LABEL_HOST]: args.host,
        };
        // patchForce: the stack owns these objects; a field someone changed by hand (kubectl edit, patch, scale)
        // is taken back by the next up instead of stopping it with a server-side apply conflict.
        const metadata = (suffix = "") => ({ name: `${objectName}${suffix}`, namespace, labels, annotations: { [LABEL_STACK]: args.stackLabel, "pulumi.com/patchForce": "true" } });
        const child = { parent: this, provider: args.provider };

        this.service = new k8s.core.v1.Service(`${name}-service`, {
            metadata: metadata(),
            spec: {
                type: "NodePort",
                selector,
                // Peers dial a node that is still replaying or syncing: it is reached before it is ready.
                publishNotReadyAddresses: true,
                ports: [
                    { name: "http", port: CONTAINER_HTTP_PORT, targetPort: CONTAINER_HTTP_PORT, nodePort: args.httpPort, protocol: "TCP" },
                    { name: "p2p", port: CONTAINER_P2P_PORT, targetPort: CONTAINER_P2P_PORT, nodePort: args.p2pPort, protocol: "TCP" },
                ],
            },
        }, { ...child, deleteBeforeReplace: true });

        // The config dir is the read-only Secret: nodeos keeps its protocol feature files on the claim.
        const settings = pulumi.output(args.settings).apply((s) => ({ ...s, protocolFeaturesDir: `${KUBERNETES_PATHS.dataDir}/protocol_features`, pauseOnStartup: !!args.gatePeers }));
        const configIni = pulumi.all([settings, ...args.signingKeys]).apply(([settings, ...keys]) =>
            renderConfigIni(settings as NodeSettings) + signatureProviderLines((keys as string[]).map((k) => ({ publicKey: publicKeyOf(k), privateKey: k }))));
        const secret = new k8s.core.v1.Secret(`${name}-config`, {
            metadata: metadata("-config"),
            type: "Opaque",
            stringData: { "config.ini": pulumi.secret(configIni) },
        }, { ...child, deleteBeforeReplace: true });
        const genesis = new k8s.core.v1.ConfigMap(`${name}-genesis`, {
            metadata: metadata("-genesis"),
            data: { "genesis.json": args.genesis },
        }, { ...child, deleteBeforeReplace: true });
        const claim = new k8s.core.v1.PersistentVolumeClaim(`${name}-data`, {
            // Bound only once its pod is scheduled (WaitForFirstConsumer): the StatefulSet's readiness is the wait.
            metadata: { ...metadata("-data"), annotations: { ...metadata().annotations, "pulumi.com/skipAwait": "true" } },
            spec: {
                accessModes: ["ReadWriteOnce"],
                ...(args.cluster.storageClass ? { storageClassName: args.cluster.storageClass } : {}),
                resources: { requests: { storage: args.cluster.storageSize } },
            },
        // A changed size or class applies to new claims only: replacing a claim would drop the node's chain data.
        }, { ...child, deleteBeforeReplace: true, ignoreChanges: ["spec.resources", "spec.storageClassName"] });

        // What rolls the pod: the settings and genesis, and the public keys (never the private ones).
        const checksum = pulumi.all([settings, args.genesis, ...args.signingKeys]).apply(([settings, g, ...keys]) =>
            crypto.createHash("sha256").update(JSON.stringify([renderConfigIni(settings as NodeSettings), g, (keys as string[]).map(publicKeyOf)])).digest("hex"));
        const probe = { exec: { command: nodeProbe() }, timeoutSeconds: 5 };
        this.container = new k8s.apps.v1.StatefulSet(`${name}-statefulset`, {
            metadata: metadata(),
            spec: {
                // One signer per producer: one replica, and a pod is replaced only after the old one is gone.
                replicas: 1,
                serviceName: objectName,
                podManagementPolicy: "OrderedReady",
                updateStrategy: { type: "RollingUpdate" },
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels, annotations: { "io.eos-network/config-checksum": checksum } },
                    spec: {
                        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
                        enableServiceLinks: false,
                        containers: [{
                            name: "nodeos",
                            image: args.image,
                            imagePullPolicy: args.cluster.imagePullPolicy,
                            command: nodeCommand(KUBERNETES_PATHS),
                            ports: [{ name: "http", containerPort: CONTAINER_HTTP_PORT }, { name: "p2p", containerPort: CONTAINER_P2P_PORT }],
                            // A replay can take hours: the startup probe gives it a day (a node that exits restarts anyway),
                            // and no liveness probe ever kills a replaying node. `up` waits startTimeoutSeconds for readiness.
                            startupProbe: { ...probe, periodSeconds: 10, failureThreshold: STARTUP_PROBE_FAILURES },
                            readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
                            volumeMounts: [
                                { name: "data", mountPath: KUBERNETES_PATHS.dataDir },
                                { name: "config", mountPath: KUBERNETES_PATHS.configDir, readOnly: true },
                                { name: "genesis", mountPath: KUBERNETES_PATHS.genesis.replace(/\/[^/]+$/, ""), readOnly: true },
                            ],
                        }, ...(args.gatePeers ? [{
                            // Resumes production whenever it is paused, once the node has caught up (planning/node.ts).
                            name: "production-gate",
                            image: args.image,
                            imagePullPolicy: args.cluster.imagePullPolicy,
                            command: pulumi.output(args.gatePeers).apply((peers) => productionGateCommand(peers)),
                            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                        }] : [])],
                        volumes: [
                            { name: "data", persistentVolumeClaim: { claimName: claim.metadata.name } },
                            { name: "config", secret: { secretName: secret.metadata.name, defaultMode: 0o600 } },
                            { name: "genesis", configMap: { name: genesis.metadata.name } },
                        ],
                    },
                },
            },
        }, {
            ...child,
            // A changed pod template replaces the StatefulSet, delete-first (its pod stops before the new
            // one starts; the claim stays). For one replica that costs what a rolling update does, and a
            // set whose pod never became ready on a bad template (kubernetes#67250: the controller waits
            // for that pod forever) goes with it once the config is fixed.
            deleteBeforeReplace: true,
            replaceOnChanges: ["spec.template", "spec.selector", "spec.serviceName"],
            // Readiness within the start timeout (the startup probe's), plus scheduling and an image pull.
            customTimeouts: { create: `${args.startTimeoutSeconds + 120}s`, update: `${args.startTimeoutSeconds + 120}s` },
        });

        this.running = [this.service, this.container];
        this.httpEndpoint = pulumi.output(`http://${address}:${args.httpPort}`);
        this.clusterIp = this.service.spec.clusterIP;
        this.registerOutputs({ httpEndpoint: this.httpEndpoint, clusterIp: this.clusterIp });
    }
}
