// eos-network: read and validate config, build the network, export what a user points cleos at.
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, rawStackConfig } from "./config";
import { Network } from "./components/network";

const config = parseStackConfig(rawStackConfig(pulumi.runtime.allConfig()));
const stack = pulumi.getStack();
const network = new Network("eosnet", {
    config,
    prefix: `eosnet-${stack}`,
    stackLabel: `${pulumi.getProject()}/${stack}`,
});

export const httpEndpoint = network.httpEndpoint;
export const chainId = network.chainId;
export const headBlock = network.headBlock;
export const lib = network.lib;
export const bootPublicKey = network.bootPublicKey;
export const activatedFeatures = network.activatedFeatures;
export const activeProducers = network.activeProducers;
export const producerEndpoints = network.producerEndpoints;
