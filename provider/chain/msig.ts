// Changes an account controlled by eosio.prods can only get the way the chain requires: an
// eosio.msig proposal by one producer, approved by 2/3+1 of the active schedule with the keys the
// provider holds, then executed. Used for contract upgrades after eosio's resignation.
import * as crypto from "crypto";
import { quorum } from "../../rules/schedule";
import { Context } from "../framework";
import { pollUntil } from "../poll";
import { Action } from "./client";
import { active } from "./common";
import { activeSchedule } from "./schedule";

export interface GovernedPlan {
    proposer: string;
    approvers: string[];
    needed: number;
    of: number;
    /** Who buys the proposal's RAM for the proposer ("" when it has enough). */
    ramPayer: string;
    /** What preview shows. */
    description: string;
}

/**
 * Whether `account@active` answers to eosio.prods (through accounts, as eosio and eosio.* do after
 * the resignation). Such changes go through a proposal even though the stack may hold every
 * producer's key: that is how the chain's governance works, and what a real network would do.
 */
export async function governedByProducers(ctx: Context, account: string, depth = 4): Promise<boolean> {
    if (account === "eosio.prods") {
        return true;
    }
    if (depth === 0) {
        return false;
    }
    const a = await ctx.chain().getAccount(account);
    const auth = a?.permissions.find((p) => p.perm_name === "active")?.required_auth;
    for (const level of auth?.accounts ?? []) {
        if (await governedByProducers(ctx, level.permission.actor, depth - 1)) {
            return true;
        }
    }
    return false;
}

/** Whether a change to `account` is signed directly (not through an eosio.msig proposal). */
export async function signsDirectly(ctx: Context, account: string): Promise<boolean> {
    return !(await governedByProducers(ctx, account));
}

/**
 * How a proposal would pass: the producers of the active schedule whose keys the provider holds
 * approve, 2/3+1 of them; the proposer is `preferred` if it is one of them. An error says what is
 * missing (keys, or RAM for the proposal without a payer).
 */
export async function planGovernedChange(ctx: Context, preferred: string, ramPayer: string, proposalBytes: number): Promise<GovernedPlan> {
    const chain = ctx.chain();
    const schedule = (await activeSchedule(ctx)).producers;
    const signable: string[] = [];
    for (const p of schedule) {
        if ((await chain.cannotAuthorize(p)) === undefined) {
            signable.push(p);
        }
    }
    const needed = quorum(schedule.length);
    if (signable.length < needed) {
        throw new Error(`eosio.prods needs ${needed} of the ${schedule.length} scheduled producers to approve, and the provider holds the keys of ${signable.length} ` +
            `(${signable.join(", ") || "none"}); give it the others' keys (eos-network:keys)`);
    }
    const proposer = signable.includes(preferred) ? preferred : signable[0];
    const approvers = [proposer, ...signable.filter((p) => p !== proposer)].slice(0, needed);
    const account = await chain.getAccount(proposer);
    const free = account ? account.ram_quota - account.ram_usage : 0;
    const payer = free >= proposalBytes ? "" : ramPayer;
    if (free < proposalBytes && !ramPayer) {
        throw new Error(`the proposal needs about ${Math.ceil(proposalBytes / 1024)} KiB of RAM and ${proposer} has ${Math.floor(free / 1024)} KiB free; ` +
            "configure eos-network:creator (a funded account of the stack) to pay for it");
    }
    const description = `eosio.msig proposal by ${proposer}, approved by ${approvers.join(", ")} (${needed} of ${schedule.length})` +
        (payer ? `, RAM paid by ${payer}` : "");
    return { proposer, approvers, needed, of: schedule.length, ramPayer: payer, description };
}

/** A proposal name (12 chars of a-z, 1-5) derived from what it changes, so a retry finds it. */
export function proposalName(seed: string): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz12345";
    const digest = crypto.createHash("sha256").update(seed).digest();
    let out = "eosnet";
    for (let i = 0; out.length < 12; i++) {
        out += alphabet[digest[i] % alphabet.length];
    }
    return out;
}

/** approvals2 rows hold { level, time }, the older approvals rows bare permission levels. */
interface ApprovalsRow {
    provided_approvals: ({ level: { actor: string } } | { actor: string })[];
}

async function providedApprovals(ctx: Context, proposer: string, name: string): Promise<string[]> {
    const chain = ctx.chain();
    for (const table of ["approvals2", "approvals"]) {
        const row = await chain.row<ApprovalsRow>("eosio.msig", proposer, table, name).catch(() => undefined);
        if (row) {
            return row.provided_approvals.map((a) => ("level" in a ? a.level.actor : a.actor));
        }
    }
    return [];
}

/** Proposes `actions`, approves with the planned producers and executes; resumes a proposal left by an interrupted run. */
export async function proposeApproveExec(ctx: Context, plan: GovernedPlan, actions: Action[], seed: string, proposalBytes: number): Promise<void> {
    const chain = ctx.chain();
    const name = proposalName(seed);
    const existing = await chain.row<{ proposal_name: string }>("eosio.msig", plan.proposer, "proposal", name);
    if (!existing) {
        const schedule = (await activeSchedule(ctx)).producers;
        const expiration = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 19);
        const trx = {
            expiration, ref_block_num: 0, ref_block_prefix: 0, max_net_usage_words: 0, max_cpu_usage_ms: 0, delay_sec: 0,
            context_free_actions: [], actions: await chain.serializeActions(actions), transaction_extensions: [],
        };
        const propose: Action[] = [];
        if (plan.ramPayer) {
            propose.push({ account: "eosio", name: "buyrambytes", authorization: active(plan.ramPayer), data: { payer: plan.ramPayer, receiver: plan.proposer, bytes: proposalBytes } });
        }
        propose.push({
            account: "eosio.msig", name: "propose", authorization: active(plan.proposer),
            data: { proposer: plan.proposer, proposal_name: name, requested: schedule.map((p) => ({ actor: p, permission: "active" })), trx },
        });
        ctx.progress(`proposing ${name} (${plan.description})`);
        await chain.transact(propose);
    }
    const approved = new Set(await providedApprovals(ctx, plan.proposer, name));
    const approvals = plan.approvers.filter((p) => !approved.has(p)).map((p) => ({
        account: "eosio.msig", name: "approve", authorization: active(p), data: { proposer: plan.proposer, proposal_name: name, level: { actor: p, permission: "active" } },
    }));
    if (approvals.length > 0) {
        ctx.progress(`approving ${name}: ${plan.approvers.filter((p) => !approved.has(p)).join(", ")}`);
        await chain.transact(approvals);
    }
    ctx.progress(`executing ${name}`);
    await chain.transact([{ account: "eosio.msig", name: "exec", authorization: active(plan.proposer), data: { proposer: plan.proposer, proposal_name: name, executer: plan.proposer } }]);
    await pollUntil(`proposal ${name} to be executed`, 60_000, 500, async () => !(await chain.row("eosio.msig", plan.proposer, "proposal", name)));
}
