// Type tokens of the eosnet package (no Pulumi import: the policy pack reads these too).
export const TYPES = {
    network: "eosnet:docker:Network",
    volume: "eosnet:docker:Volume",
    nodeosContainer: "eosnet:docker:NodeosContainer",
    keyPair: "eosnet:keys:KeyPair",
    protocolFeatures: "eosnet:chain:ProtocolFeatures",
    contract: "eosnet:chain:Contract",
    account: "eosnet:chain:Account",
    token: "eosnet:chain:Token",
    privilege: "eosnet:chain:Privilege",
    systemInit: "eosnet:chain:SystemInit",
    producerRegistration: "eosnet:chain:ProducerRegistration",
    proxyRegistration: "eosnet:chain:ProxyRegistration",
    vote: "eosnet:chain:Vote",
    producerSchedule: "eosnet:chain:ProducerSchedule",
    resignation: "eosnet:chain:Resignation",
    rewardsClaim: "eosnet:chain:RewardsClaim",
    permission: "eosnet:chain:Permission",
    linkAuth: "eosnet:chain:LinkAuth",
    action: "eosnet:chain:Action",
    distribution: "eosnet:chain:Distribution",
} as const;

/** The provider resource's type. */
export const PROVIDER_TYPE = "pulumi:providers:eosnet";
