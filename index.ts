// eos-network: read and validate config, compute the plan once, build the network, export what a
// user points cleos at. The program is a function so tests can run it under mocks, config and all.
import * as pulumi from "./sdk/pulumi";
import { HOST_CREDENTIALS_CONFIG, HostCredential, loadStackConfig, SECRET_KEYS_CONFIG } from "./config";
import { Network } from "./components/network";

export = async () => {
    // Every config problem is reported here, before any resource is registered.
    const { plan, keyNames, hostCredentialNames } = loadStackConfig(pulumi.runtime.allConfig());
    const config = new pulumi.Config("eos-network");
    const configuredKeys = keyNames.length > 0
        ? { names: keyNames, values: config.requireSecretObject<Record<string, string>>(SECRET_KEYS_CONFIG) }
        : undefined;
    const hostCredentials = hostCredentialNames.length > 0 ? config.requireSecretObject<Record<string, HostCredential>>(HOST_CREDENTIALS_CONFIG) : undefined;

    const stack = pulumi.getStack();
    const network = new Network("eosnet", {
        plan,
        prefix: `eosnet-${stack}`,
        stackLabel: `${pulumi.getProject()}/${stack}`,
        configuredKeys,
        hostCredentials,
    });

    return {
        httpEndpoint: network.httpEndpoint,
        chainId: network.chainId,
        headBlock: network.headBlock,
        lib: network.lib,
        bootPublicKey: network.bootPublicKey,
        activatedFeatures: network.activatedFeatures,
        activeProducers: network.activeProducers,
        plannedSchedule: network.plannedSchedule,
        producerEndpoints: network.producerEndpoints,
        producerRewards: network.producerRewards,
        nodes: network.nodes,
        hosts: network.hosts,
    };
};
