// eosnet:chain:Contract: code and ABI set on an account (setcode/setabi), compared by hash. check
// hashes the files, so a changed file shows in preview as an update with both hashes.
import * as crypto from "crypto";
import * as fs from "fs";
import { z } from "zod";
import { Context, ResourceModule } from "../framework";
import { rawAbi } from "./client";

const ZERO_HASH = "0".repeat(64);

export const ContractInputs = z.object({
    account: z.string().min(1),
    wasmPath: z.string().min(1),
    abiPath: z.string().min(1),
    /** sha256 of the wasm file (set by check); the chain's get_code_hash. */
    codeHash: z.string().default(""),
    /** sha256 of the ABI in setabi's binary form (set by check); the chain's get_raw_abi hash. */
    abiHash: z.string().default(""),
    /**
     * A boot step that a later contract on the same account replaces (eosio.bios before
     * eosio.system): done once the account has any code, and never set again.
     */
    bootstrapOnly: z.boolean().default(false),
});
export type ContractInputs = z.infer<typeof ContractInputs>;
export const ContractOutputs = ContractInputs.extend({});
export type ContractOutputs = z.infer<typeof ContractOutputs>;

function fileProblem(path: string): string | undefined {
    if (!fs.existsSync(path)) {
        return `contract file not found: ${path} (eos-network:contracts.dir holds <name>/<name>.wasm and .abi; npm run setup fills the default)`;
    }
    return undefined;
}

async function onChain(ctx: Context, account: string): Promise<{ codeHash: string; abiHash: string }> {
    const chain = ctx.chain();
    const [codeHash, abiHash] = await Promise.all([chain.codeHash(account), chain.abiHash(account)]);
    return { codeHash, abiHash };
}

async function deploy(ctx: Context, i: ContractInputs): Promise<ContractOutputs> {
    const chain = ctx.chain();
    const now = await onChain(ctx, i.account);
    if (i.bootstrapOnly && now.codeHash !== ZERO_HASH) {
        return { ...i };
    }
    const auth = [{ actor: i.account, permission: "active" }];
    const actions = [];
    if (now.codeHash !== i.codeHash) {
        actions.push({ account: "eosio", name: "setcode", authorization: auth, data: { account: i.account, vmtype: 0, vmversion: 0, code: fs.readFileSync(i.wasmPath).toString("hex") } });
    }
    if (now.abiHash !== i.abiHash) {
        actions.push({ account: "eosio", name: "setabi", authorization: auth, data: { account: i.account, abi: rawAbi(fs.readFileSync(i.abiPath, "utf8")).raw.toString("hex") } });
    }
    if (actions.length > 0) {
        ctx.progress(`setting ${actions.map((a) => a.name).join(" + ")} on ${i.account}`, { ephemeral: true });
        await chain.ensureEosioAbi();
        await chain.transact(actions);
        chain.forgetAbi(i.account);
    }
    const after = await onChain(ctx, i.account);
    if (after.codeHash !== i.codeHash) {
        throw new Error(`code hash of ${i.account} is ${after.codeHash} after setcode, expected ${i.codeHash}`);
    }
    return { ...i, ...after };
}

export const contract: ResourceModule<ContractInputs, ContractOutputs> = {
    token: "eosnet:chain:Contract",
    description: "A contract (wasm + ABI) set on an account, compared with the chain by hash.",
    inputs: ContractInputs,
    outputs: ContractOutputs,
    async check(_ctx, news) {
        const failures = (["wasmPath", "abiPath"] as const).flatMap((p) => {
            const problem = fileProblem(news[p]);
            return problem ? [{ property: p, reason: problem }] : [];
        });
        if (failures.length > 0) {
            return { failures };
        }
        const codeHash = crypto.createHash("sha256").update(fs.readFileSync(news.wasmPath)).digest("hex");
        let abiHash: string;
        try {
            abiHash = rawAbi(fs.readFileSync(news.abiPath, "utf8")).hash;
        } catch (e) {
            return { failures: [{ property: "abiPath", reason: `${news.abiPath} is not an ABI: ${(e as Error).message}` }] };
        }
        return { inputs: { ...news, codeHash, abiHash } };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.account !== news.account ? ["account"] : [];
        const changed = [...replaces, ...(["codeHash", "abiHash"] as const).filter((k) => olds[k] !== news[k])];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: inputs.account, outs: await deploy(ctx, inputs) };
    },
    async read(ctx, id, props) {
        const now = await onChain(ctx, id);
        if (props?.bootstrapOnly && now.codeHash !== ZERO_HASH) {
            return { id, props: props as ContractOutputs };
        }
        if (now.codeHash === ZERO_HASH && !props) {
            return undefined;
        }
        const base = { account: id, wasmPath: props?.wasmPath ?? "", abiPath: props?.abiPath ?? "", bootstrapOnly: props?.bootstrapOnly ?? false };
        return { id, props: { ...base, ...now }, inputs: { ...base, codeHash: "", abiHash: "" } };
    },
    async update(ctx, _id, _olds, news) {
        return deploy(ctx, news);
    },
};
