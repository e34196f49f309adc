// eos-network: read and validate config, build the network, export what a user points cleos at.
import * as pulumi from "@pulumi/pulumi";
import { checkConfiguredKeys, ConfigError, parseStackConfig, rawStackConfig, SECRET_KEYS_CONFIG } from "./config";
import { Network } from "./components/network";
import { fundedAccounts } from "./components/plan";
import { publicKeyOf } from "./providers/keys";

const all = pulumi.runtime.allConfig();
const config = parseStackConfig(rawStackConfig(all));

// Configured keys: only their names are read in plain; problems are reported without the values.
const keysEntry = all[`eos-network:${SECRET_KEYS_CONFIG}`];
let configuredKeys: { names: string[]; values: pulumi.Output<Record<string, string>> } | undefined;
if (keysEntry !== undefined) {
    let parsed: Record<string, unknown>;
    try {
        parsed = JSON.parse(keysEntry);
    } catch {
        throw new ConfigError([{ path: "eos-network:keys", message: "expected an object of account name -> private key" }]);
    }
    const problems = checkConfiguredKeys(parsed, fundedAccounts(config).map((a) => a.name), publicKeyOf);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    configuredKeys = {
        names: Object.keys(parsed),
        values: new pulumi.Config("eos-network").requireSecretObject<Record<string, string>>(SECRET_KEYS_CONFIG),
    };
}

const stack = pulumi.getStack();
const network = new Network("eosnet", {
    config,
    prefix: `eosnet-${stack}`,
    stackLabel: `${pulumi.getProject()}/${stack}`,
    configuredKeys,
});

export const httpEndpoint = network.httpEndpoint;
export const chainId = network.chainId;
export const headBlock = network.headBlock;
export const lib = network.lib;
export const bootPublicKey = network.bootPublicKey;
export const activatedFeatures = network.activatedFeatures;
export const activeProducers = network.activeProducers;
export const producerEndpoints = network.producerEndpoints;
