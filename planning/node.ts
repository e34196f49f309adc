// What a nodeos container runs: config.ini, the start script and the health check. Pure, no I/O;
// the provider writes these into the container (keys only ever there, never on a command line).

export const CONTAINER_HTTP_PORT = 8888;
export const CONTAINER_P2P_PORT = 9876;
export const DATA_DIR = "/eos/data";
export const CONFIG_DIR = "/eos/config";

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
    /** net_api_plugin, for the peers `npm run status` shows (nodes across hosts). */
    netApi?: boolean;
    /** Where nodeos keeps its protocol feature files when the config dir is read-only (a Secret on a cluster). */
    protocolFeaturesDir?: string;
    /** Every start with production paused, resumed by the production gate once synced (a producer node on a cluster). */
    pauseOnStartup?: boolean;
}

/** Where a node's files are: on docker all in one volume; on a cluster config.ini is a Secret, genesis a ConfigMap. */
export interface NodePaths {
    dataDir: string;
    configDir: string;
    genesis: string;
}

export const DOCKER_PATHS: NodePaths = { dataDir: DATA_DIR, configDir: CONFIG_DIR, genesis: `${CONFIG_DIR}/genesis.json` };
export const KUBERNETES_PATHS: NodePaths = { dataDir: "/eos/data", configDir: "/eos/config", genesis: "/eos/genesis/genesis.json" };

export interface SignatureKey {
    publicKey: string;
    privateKey: string;
}

/** config.ini without keys: what the container's spec digest and state may hold. */
export function renderConfigIni(s: NodeSettings): string {
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
        ...(s.netApi ? ["plugin = eosio::net_api_plugin"] : []),
        ...(s.protocolFeaturesDir ? [`protocol-features-dir = ${s.protocolFeaturesDir}`] : []),
        `chain-state-db-size-mb = ${s.chainStateDbSizeMb}`,
        "resource-monitor-space-threshold = 99",
        "abi-serializer-max-time-ms = 2000",
        `max-transaction-time = ${s.maxTransactionTimeMs}`,
        "contracts-console = true",
        `enable-stale-production = ${s.enableStaleProduction}`,
        ...(s.pauseOnStartup ? ["pause-on-startup = true"] : []),
        ...s.producerNames.map((p) => `producer-name = ${p}`),
        ...s.extraConfig,
    ];
    return lines.join("\n") + "\n";
}

/** The signature-provider lines the provider appends to config.ini inside the container only. */
export function signatureProviderLines(keys: SignatureKey[]): string {
    return keys.map((k) => `signature-provider = ${k.publicKey}=KEY:${k.privateKey}\n`).join("");
}

/**
 * The container's command: bash starts nodeos on the volume. The genesis is always passed (nodeos
 * checks it against an existing blocks log, so a volume of another chain is refused); a state
 * left dirty by SIGKILL (chainbase's dirty byte, offset 8 after the "EOSIODB" magic) is rebuilt
 * from the blocks log with a hard replay instead of failing "replay required".
 */
export function nodeCommand(paths: NodePaths = DOCKER_PATHS): string[] {
    const script = [
        "set -eu",
        `state=${paths.dataDir}/state/shared_memory.bin`,
        `flags="--data-dir ${paths.dataDir} --config-dir ${paths.configDir} --genesis-json ${paths.genesis}"`,
        'if [ -f "$state" ] && [ "$(head -c 7 "$state")" = EOSIODB ] && [ "$(od -An -tu1 -j8 -N1 "$state" | tr -d " ")" != 0 ]; then',
        '  echo "eos-network: state was not shut down cleanly; rebuilding it from the blocks log (hard replay)" >&2',
        '  flags="$flags --hard-replay-blockchain"',
        "fi",
        "exec nodeos $flags",
    ].join("\n");
    return ["bash", "-c", script];
}

/** For `docker ps`: healthy while the HTTP API answers get_info (bash only: no curl is assumed). */
export function nodeHealthcheck(): string[] {
    return ["CMD", ...nodeProbe()];
}

/** The get_info probe as a command (a pod's startup and readiness probes). */
export function nodeProbe(): string[] {
    const probe =
        `exec 3<>/dev/tcp/127.0.0.1/${CONTAINER_HTTP_PORT} && ` +
        `printf 'GET /v1/chain/get_info HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q head_block_num <&3`;
    return ["bash", "-c", probe];
}

/**
 * The production gate beside a producer node on a cluster, whose nodeos starts every time with
 * production paused: a pod can start at any time (rescheduled, restarted, on a new claim), not only
 * in an `up` that could wait for it, and a node that is behind must never sign (with
 * enable-stale-production it would sign on an old head). Whenever nodeos reports production paused,
 * the gate reads the LIB its peers (`host:port` of their HTTP APIs, the arguments) report, waits
 * until the node's head has reached it, and resumes production; no peer answering means nobody to
 * sync from (a network that stopped whole). So a pause by hand does not last on a cluster: a
 * producer stops signing there when its key or node goes. bash only (no curl in the image).
 * `self`: the node's own API (tests point it elsewhere).
 */
export function productionGateCommand(peerHttp: string[], self = `127.0.0.1:${CONTAINER_HTTP_PORT}`): string[] {
    const script = [
        "set -u",
        // PID 1 of its container: bash ignores a SIGTERM it does not trap, and the pod would wait out its grace period.
        "trap 'exit 0' TERM INT",
        "nap() { sleep \"$1\" & wait $!; }",
        // One HTTP call with a deadline: the body on stdout, non-zero without an answer.
        "post() { timeout 3 bash -c 'exec 3<>/dev/tcp/${1%:*}/${1##*:} && printf \"POST %s HTTP/1.0\\r\\nHost: %s\\r\\nContent-Length: 2\\r\\n\\r\\n{}\" \"$2\" \"$1\" >&3 && sed \"1,/^\\r$/d\" <&3' _ \"$1\" \"$2\" 2>/dev/null; }",
        "field() { sed -n \"s/.*\\\"$1\\\":\\([0-9]*\\).*/\\1/p\"; }",
        "self=$1; shift",
        "while :; do",
        "  if [ \"$(post $self /v1/producer/paused)\" = true ]; then",
        "    target=0",
        "    for peer in \"$@\"; do",
        "      lib=$(post \"$peer\" /v1/chain/get_info | field last_irreversible_block_num)",
        "      if [ \"${lib:-0}\" -gt \"$target\" ]; then target=$lib; fi",
        "    done",
        "    echo \"production-gate: production is paused; the peers' LIB is $target\"",
        "    head=$(post $self /v1/chain/get_info | field head_block_num)",
        "    until [ \"${head:-0}\" -ge \"$target\" ]; do nap 1; head=$(post $self /v1/chain/get_info | field head_block_num); done",
        "    until post $self /v1/producer/resume >/dev/null && [ \"$(post $self /v1/producer/paused)\" = false ]; do nap 1; done",
        "    echo \"production-gate: synced to block ${head:-0}: production resumed\"",
        "  fi",
        "  nap 2",
        "done",
    ].join("\n");
    return ["bash", "-c", script, "production-gate", self, ...peerHttp];
}

/** Name of a node's docker objects (container, alias on the network): <prefix>-<role>. */
export function nodeObjectName(prefix: string, role: string): string {
    return `${prefix}-${role.replace(/\./g, "-")}`;
}
