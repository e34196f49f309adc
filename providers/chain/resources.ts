// Dynamic providers for chain-side state: protocol features and contract deployments.
// Each `create` first looks at the chain and adopts what already matches; deletes are no-ops
// because these resources are `deletedWith` the chain (the reset wipes them).
import * as crypto from "crypto";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as chain from "./client";
import { planFeatureActivation } from "../logic/features";

export function fileSha256(path: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(path)).digest("hex");
}

/** A diff where a change to any of `keys` replaces the resource and nothing else is a change. */
export const replaceOn = (keys: string[]) => async (_id: string, olds: any, news: any) => {
    const replaces = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    return { changes: replaces.length > 0, replaces };
};

// ---------------------------------------------------------------------------------------------
// Protocol features

async function activatedDigests(endpoint: string): Promise<Set<string>> {
    const seen = new Set<string>();
    let lower: number | undefined;
    for (;;) {
        const page = await chain.post(endpoint, "/v1/chain/get_activated_protocol_features", { limit: 100, search_by_block_num: false, lower_bound: lower });
        for (const f of page.activated_protocol_features) {
            seen.add(f.feature_digest);
        }
        if (page.more === undefined || page.more === null || page.activated_protocol_features.length === 0) {
            return seen;
        }
        lower = page.more;
    }
}

async function waitActivated(endpoint: string, digests: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const active = await activatedDigests(endpoint);
        const missing = digests.filter((d) => !active.has(d));
        if (missing.length === 0) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`protocol features not active after ${timeoutMs / 1000}s: ${missing.join(", ")}`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
}

export const protocolFeaturesProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (news.phase !== "preactivate" && news.phase !== "activate") {
            failures.push({ property: "phase", reason: "phase is 'preactivate' or 'activate'" });
        }
        return { inputs: { ...news, exclude: [...(news.exclude || [])].sort() }, failures };
    },
    diff: replaceOn(["chainId", "phase", "exclude"]),
    async create(inputs: any) {
        const supported = await chain.post(inputs.endpoint, "/v1/producer/get_supported_protocol_features", {});
        const plan = planFeatureActivation(supported, inputs.exclude);
        const active = await activatedDigests(inputs.endpoint);
        if (inputs.phase === "preactivate") {
            if (!active.has(plan.preactivate.digest)) {
                await chain.post(inputs.endpoint, "/v1/producer/schedule_protocol_feature_activations", {
                    protocol_features_to_activate: [plan.preactivate.digest],
                });
                await waitActivated(inputs.endpoint, [plan.preactivate.digest], 60_000);
            }
            return { id: `${inputs.chainId}/preactivate`, outs: { ...inputs, activated: [plan.preactivate.codename] } };
        }
        const todo = plan.rest.filter((f) => !active.has(f.digest));
        if (todo.length > 0) {
            const conn = await chain.connect(inputs.endpoint, [inputs.privateKey]);
            // One transaction, in dependency order: eosio::activate pre-activates, the next block activates.
            await chain.transact(conn, todo.map((f) => ({
                account: "eosio",
                name: "activate",
                authorization: [{ actor: "eosio", permission: "active" }],
                data: { feature_digest: f.digest },
            })));
            await waitActivated(inputs.endpoint, todo.map((f) => f.digest), 60_000);
        }
        return { id: `${inputs.chainId}/features`, outs: { ...inputs, activated: plan.rest.map((f) => f.codename) } };
    },
};

export interface ProtocolFeaturesArgs {
    endpoint: pulumi.Input<string>;
    chainId: pulumi.Input<string>;
    phase: "preactivate" | "activate";
    exclude?: pulumi.Input<string[]>;
    /** eosio's key, needed by the activate phase. */
    privateKey?: pulumi.Input<string>;
}

export class ProtocolFeatures extends pulumi.dynamic.Resource {
    public readonly activated!: pulumi.Output<string[]>;
    constructor(name: string, args: ProtocolFeaturesArgs, opts?: pulumi.CustomResourceOptions) {
        super(protocolFeaturesProvider, name, { exclude: [], privateKey: "", ...args, activated: undefined },
            { ...opts, additionalSecretOutputs: ["privateKey"] }, "eos-network", "ProtocolFeatures");
    }
}

// ---------------------------------------------------------------------------------------------
// Contract deployment

async function deployedHashes(endpoint: string, account: string): Promise<{ codeHash: string; abiHash: string }> {
    const code = await chain.post(endpoint, "/v1/chain/get_code_hash", { account_name: account });
    const abi = await chain.post(endpoint, "/v1/chain/get_raw_abi", { account_name: account });
    return { codeHash: code.code_hash, abiHash: abi.abi_hash };
}

async function deployContract(inputs: any) {
    const conn = await chain.connect(inputs.endpoint, [inputs.privateKey]);
    const onChain = await deployedHashes(inputs.endpoint, inputs.account);
    const abiText = fs.readFileSync(inputs.abiPath, "utf8");
    const rawAbiHash = crypto.createHash("sha256").update(chain.rawAbi(conn, abiText)).digest("hex");
    const actions: chain.Action[] = [];
    const [setcode, setabi] = chain.setContractActions(conn, inputs.account, fs.readFileSync(inputs.wasmPath), abiText);
    if (onChain.codeHash !== inputs.codeHash) {
        actions.push(setcode);
    }
    if (onChain.abiHash !== rawAbiHash) {
        actions.push(setabi);
    }
    if (actions.length > 0) {
        await chain.ensureEosioAbi(conn);
        await chain.transact(conn, actions);
    }
    const after = await deployedHashes(inputs.endpoint, inputs.account);
    if (after.codeHash !== inputs.codeHash) {
        throw new Error(`code hash of ${inputs.account} is ${after.codeHash} after setcode, expected ${inputs.codeHash}`);
    }
    return { ...inputs, abiHash: after.abiHash };
}

export const contractDeploymentProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        for (const p of ["wasmPath", "abiPath"]) {
            if (!news[p] || !fs.existsSync(news[p])) {
                failures.push({ property: p, reason: `contract file not found: ${news[p]}` });
            }
        }
        return { inputs: news, failures };
    },
    async diff(_id: string, olds: any, news: any) {
        const replaces = ["chainId", "account"].filter((k) => olds[k] !== news[k]);
        const changes = replaces.length > 0 || olds.codeHash !== news.codeHash || olds.abiFileHash !== news.abiFileHash;
        return { changes, replaces };
    },
    async create(inputs: any) {
        const outs = await deployContract(inputs);
        return { id: `${inputs.chainId}/${inputs.account}`, outs };
    },
    async update(_id: string, _olds: any, news: any) {
        return { outs: await deployContract(news) };
    },
};

export interface ContractDeploymentArgs {
    endpoint: pulumi.Input<string>;
    chainId: pulumi.Input<string>;
    account: pulumi.Input<string>;
    wasmPath: string;
    abiPath: string;
    /** Key of the account's active permission. */
    privateKey: pulumi.Input<string>;
}

export class ContractDeployment extends pulumi.dynamic.Resource {
    public readonly codeHash!: pulumi.Output<string>;
    public readonly abiHash!: pulumi.Output<string>;
    constructor(name: string, args: ContractDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
        super(contractDeploymentProvider, name, {
            ...args,
            // Diffs compare file digests computed here, so a changed wasm/abi shows in preview.
            codeHash: fileSha256(args.wasmPath),
            abiFileHash: fileSha256(args.abiPath),
            abiHash: undefined,
        }, { ...opts, additionalSecretOutputs: ["privateKey"] }, "eos-network", "ContractDeployment");
    }
}
