// eosnet:chain:Contract: code and ABI set on an account (setcode/setabi), compared by hash. check
// hashes the files, so a changed file shows in preview as an update with both hashes.
import * as crypto from "crypto";
import * as fs from "fs";
import { Context, ResourceModule } from "../framework";
import { Action, rawAbi } from "./client";
import { planGovernedChange, proposeApproveExec, signsDirectly } from "./msig";
import { pollUntil } from "../poll";
import { NodeUnreachable } from "../errors";
import { ContractInputs, ContractOutputs } from "./contract.schema";

const ZERO_HASH = "0".repeat(64);

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

/** RAM a proposal holding this contract takes (the packed transaction plus the table row). */
function proposalBytes(i: ContractInputs): number {
    return fs.statSync(i.wasmPath).size + fs.statSync(i.abiPath).size + 4096;
}

/** How check expects the contract to be set, for preview; undefined while the chain is not reachable. */
async function expectedVia(ctx: Context, i: ContractInputs): Promise<string | undefined> {
    if (!ctx.config.endpoint) {
        return undefined;
    }
    try {
        if (await signsDirectly(ctx, i.account)) {
            const why = (await ctx.chain().getAccount(i.account)) ? await ctx.chain().cannotAuthorize(i.account) : undefined;
            if (why) {
                throw new Error(`the provider holds no keys that satisfy ${i.account}@active (${why})`);
            }
            return `setcode/setabi signed by ${i.account}`;
        }
    } catch (e) {
        if (e instanceof NodeUnreachable) {
            return undefined;
        }
        throw e;
    }
    return (await planGovernedChange(ctx, i.proposer, i.ramPayer, proposalBytes(i))).description;
}

async function deploy(ctx: Context, i: ContractInputs): Promise<ContractOutputs> {
    const chain = ctx.chain();
    const now = await onChain(ctx, i.account);
    if (i.bootstrapOnly && now.codeHash !== ZERO_HASH) {
        return { ...i };
    }
    const auth = [{ actor: i.account, permission: "active" }];
    const actions: Action[] = [];
    if (now.codeHash !== i.codeHash) {
        actions.push({ account: "eosio", name: "setcode", authorization: auth, data: { account: i.account, vmtype: 0, vmversion: 0, code: fs.readFileSync(i.wasmPath).toString("hex") } });
    }
    if (now.abiHash !== i.abiHash) {
        actions.push({ account: "eosio", name: "setabi", authorization: auth, data: { account: i.account, abi: rawAbi(fs.readFileSync(i.abiPath, "utf8")).raw.toString("hex") } });
    }
    let via = `setcode/setabi signed by ${i.account}`;
    if (actions.length > 0) {
        await chain.ensureEosioAbi();
        if (await signsDirectly(ctx, i.account)) {
            ctx.progress(`setting ${actions.map((a) => a.name).join(" + ")} on ${i.account}`, { ephemeral: true });
            await chain.transact(actions);
        } else {
            const bytes = proposalBytes(i);
            const plan = await planGovernedChange(ctx, i.proposer, i.ramPayer, bytes);
            via = plan.description;
            await proposeApproveExec(ctx, plan, actions, `${i.account}${i.codeHash}${i.abiHash}`, bytes);
        }
        chain.forgetAbi(i.account);
    }
    // A proposal's transaction may run a block later than its exec.
    const after = await pollUntil(`the code of ${i.account} to be ${i.codeHash.slice(0, 12)}…`, 30_000, 300, async () => {
        const now2 = await onChain(ctx, i.account);
        return now2.codeHash === i.codeHash ? now2 : undefined;
    }, () => `it is still ${now.codeHash.slice(0, 12)}…`);
    return { ...i, ...after, deployVia: actions.length > 0 ? via : i.deployVia };
}

export const contract: ResourceModule<ContractInputs, ContractOutputs> = {
    token: "eosnet:chain:Contract",
    description: "A contract (wasm + ABI) set on an account, compared with the chain by hash.",
    inputs: ContractInputs,
    outputs: ContractOutputs,
    async check(ctx, news, olds) {
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
        const inputs = { ...news, codeHash, abiHash };
        if (olds && olds.codeHash === codeHash && olds.abiHash === abiHash) {
            return { inputs: { ...inputs, deployVia: olds.deployVia } };
        }
        // A new contract (or a changed file): say how it will be set, or why it cannot be.
        try {
            return { inputs: { ...inputs, deployVia: (await expectedVia(ctx, inputs)) ?? "" } };
        } catch (e) {
            return { inputs, failures: [{ property: "wasmPath", reason: `${news.account}'s contract cannot be changed: ${(e as Error).message}` }] };
        }
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.account !== news.account ? ["account"] : [];
        const changed: string[] = [...replaces, ...(["codeHash", "abiHash"] as const).filter((k) => olds[k] !== news[k])];
        if (changed.length > 0 && news.deployVia) {
            changed.push("deployVia"); // preview shows how: directly, or the proposal and its approvers
        }
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
        const base = ContractInputs.parse({ ...props, account: id, wasmPath: props?.wasmPath ?? "-", abiPath: props?.abiPath ?? "-" });
        return { id, props: { ...base, ...now }, inputs: { ...base, codeHash: "", abiHash: "" } };
    },
    async update(ctx, _id, _olds, news) {
        return deploy(ctx, news);
    },
};
