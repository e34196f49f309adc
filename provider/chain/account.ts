// eosnet:chain:Account: an account with single-key owner/active authorities and, once the system
// contract is set, RAM bought and CPU/NET staked by its creator (newaccount + buyram + delegatebw
// + transfer in one transaction). read shows keys and self-staked CPU/NET as the chain has them;
// update changes keys (updateauth, signed with the account's current owner key) and stake
// (delegatebw/undelegatebw from the account's own balance).
import { Context, ResourceModule } from "../framework";
import { legacyPublicKey } from "../../keys/keys";
import { AccountView, Action, singleKey } from "./client";
import { active, assetLike, assetUnits } from "./common";
import { AccountInputs, AccountOutputs } from "./account.schema";

function auth(key: string) {
    return { threshold: 1, keys: [{ key, weight: 1 }], accounts: [], waits: [] };
}

/** The account as the chain shows it, in this resource's terms. */
function observed(desired: AccountInputs, a: AccountView): AccountOutputs {
    const perm = (p: string) => singleKey(a.permissions.find((x) => x.perm_name === p)?.required_auth) ?? "(not a single key)";
    const self = a.self_delegated_bandwidth;
    const staked = (v: string | undefined, like: string) => (like && v ? assetLike(assetUnits(v), like) : like ? assetLike(0n, like) : "");
    return {
        ...desired,
        name: a.account_name,
        ownerKey: perm("owner"),
        activeKey: perm("active"),
        cpu: staked(self?.cpu_weight, desired.cpu),
        net: staked(self?.net_weight, desired.net),
        ramBytes: a.ram_quota,
        balance: a.core_liquid_balance ?? "",
    };
}

/** RAM a balance row in a new scope is billed (the row, 16 + 112 bytes, and its table, 112), plus the RAM market's 0.5% fee and rounding. */
const BALANCE_ROW_RAM_BYTES = 256;

export function createActions(i: AccountInputs): Action[] {
    const actions: Action[] = [{
        account: "eosio", name: "newaccount", authorization: active(i.creator),
        data: { creator: i.creator, name: i.name, owner: auth(i.ownerKey), active: auth(i.activeKey) },
    }];
    if (i.ram) {
        actions.push({ account: "eosio", name: "buyram", authorization: active(i.creator), data: { payer: i.creator, receiver: i.name, quant: i.ram } });
    }
    if (i.cpu || i.net) {
        actions.push({
            account: "eosio", name: "delegatebw", authorization: active(i.creator),
            data: { from: i.creator, receiver: i.name, stake_net_quantity: i.net || assetLike(0n, i.cpu), stake_cpu_quantity: i.cpu || assetLike(0n, i.net), transfer: true },
        });
    }
    if (i.liquid && assetUnits(i.liquid) > 0n) {
        if (i.creator !== "eosio") {
            // eosio.token bills the new balance row to the sender (the account cannot co-sign before
            // it exists): the creator buys that RAM as it goes, or it runs out after a few dozen accounts.
            actions.push({ account: "eosio", name: "buyrambytes", authorization: active(i.creator), data: { payer: i.creator, receiver: i.creator, bytes: BALANCE_ROW_RAM_BYTES } });
        }
        actions.push({ account: "eosio.token", name: "transfer", authorization: active(i.creator), data: { from: i.creator, to: i.name, quantity: i.liquid, memo: "eos-network: initial funds" } });
    }
    return actions;
}

/** What changes `desired` needs over what the chain shows, as actions signed by the account itself. */
export function convergeActions(now: AccountOutputs, desired: AccountInputs): Action[] {
    const actions: Action[] = [];
    const sameKey = (a: string, b: string) => {
        try {
            return legacyPublicKey(a) === legacyPublicKey(b);
        } catch {
            return false;
        }
    };
    // active first: it is signed by owner, which may change next.
    if (desired.manageKeys && !sameKey(now.activeKey, desired.activeKey)) {
        actions.push({ account: "eosio", name: "updateauth", authorization: [{ actor: desired.name, permission: "owner" }], data: { account: desired.name, permission: "active", parent: "owner", auth: auth(desired.activeKey) } });
    }
    if (desired.manageKeys && !sameKey(now.ownerKey, desired.ownerKey)) {
        actions.push({ account: "eosio", name: "updateauth", authorization: [{ actor: desired.name, permission: "owner" }], data: { account: desired.name, permission: "owner", parent: "", auth: auth(desired.ownerKey) } });
    }
    const like = desired.cpu || desired.net;
    if (like) {
        const dCpu = assetUnits(desired.cpu) - assetUnits(now.cpu);
        const dNet = assetUnits(desired.net) - assetUnits(now.net);
        const more = { cpu: dCpu > 0n ? dCpu : 0n, net: dNet > 0n ? dNet : 0n };
        const less = { cpu: dCpu < 0n ? -dCpu : 0n, net: dNet < 0n ? -dNet : 0n };
        if (more.cpu > 0n || more.net > 0n) {
            actions.push({ account: "eosio", name: "delegatebw", authorization: active(desired.name), data: { from: desired.name, receiver: desired.name, stake_net_quantity: assetLike(more.net, like), stake_cpu_quantity: assetLike(more.cpu, like), transfer: false } });
        }
        if (less.cpu > 0n || less.net > 0n) {
            actions.push({ account: "eosio", name: "undelegatebw", authorization: active(desired.name), data: { from: desired.name, receiver: desired.name, unstake_net_quantity: assetLike(less.net, like), unstake_cpu_quantity: assetLike(less.cpu, like) } });
        }
    }
    return actions;
}

/** convergeActions, with more stake funded by the creator while it still signs (else by the account's own balance). */
export async function fundedConvergeActions(ctx: Context, now: AccountOutputs, desired: AccountInputs): Promise<Action[]> {
    let actions = convergeActions(now, desired);
    const stakeMore = actions.find((a) => a.name === "delegatebw");
    if (stakeMore) {
        const data = stakeMore.data as { stake_cpu_quantity: string; stake_net_quantity: string };
        const needed = assetUnits(data.stake_cpu_quantity) + assetUnits(data.stake_net_quantity);
        if ((await ctx.chain().cannotAuthorize(desired.creator)) === undefined) {
            // The creator still signs (before eosio's resignation): it funds the stake, as at creation.
            actions = actions.map((a) => a !== stakeMore ? a : { ...a, authorization: active(desired.creator), data: { ...data, from: desired.creator, transfer: true } });
        } else if (needed > assetUnits(now.balance || undefined)) {
            throw new Error(`${desired.name} needs ${assetLike(needed, desired.cpu || desired.net)} liquid to stake what is configured, and has ${now.balance || "nothing"}; ` +
                `its creator ${desired.creator} can no longer sign: fund the account or lower its stake`);
        }
    }
    return actions;
}

async function converge(ctx: Context, now: AccountOutputs, desired: AccountInputs): Promise<AccountOutputs> {
    const actions = await fundedConvergeActions(ctx, now, desired);
    if (actions.length === 0) {
        return now;
    }
    ctx.progress(`${actions.map((a) => a.name).join(", ")} for ${desired.name}`, { ephemeral: true });
    await ctx.chain().transact(actions);
    return read(ctx, desired);
}

async function read(ctx: Context, desired: AccountInputs): Promise<AccountOutputs> {
    const a = await ctx.chain().getAccount(desired.name);
    if (!a) {
        throw new Error(`account ${desired.name} is not on the chain`);
    }
    return observed(desired, a);
}

export const account: ResourceModule<AccountInputs, AccountOutputs> = {
    token: "eosnet:chain:Account",
    description: "An account: single-key owner/active, and RAM/CPU/NET bought and staked by its creator.",
    inputs: AccountInputs,
    outputs: AccountOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.name !== news.name ? ["name"] : [];
        const changed = [...replaces, ...convergeActions(olds, news).map((a) =>
            a.name === "updateauth" ? ((a.data as { permission: string }).permission === "owner" ? "ownerKey" : "activeKey") : "cpu")];
        return { changes: changed.length > 0, replaces, changed: [...new Set(changed)] };
    },
    async create(ctx, inputs) {
        const chain = ctx.chain();
        const existing = await chain.getAccount(inputs.name);
        if (existing) {
            // Left by an interrupted run (or made by hand): adopt it and converge keys and stake.
            ctx.progress(`${inputs.name} is already on the chain: adopting it`);
            return { id: inputs.name, outs: await converge(ctx, observed(inputs, existing), inputs) };
        }
        await chain.transactBatched(createActions(inputs));
        return { id: inputs.name, outs: await read(ctx, inputs) };
    },
    async read(ctx, id, props) {
        const a = await ctx.chain().getAccount(id);
        if (!a) {
            return undefined;
        }
        // Importing (no props): the stake and keys the chain shows are what the account is.
        const self = a.self_delegated_bandwidth;
        const base: AccountInputs = AccountInputs.parse({
            ownerKey: "", activeKey: "", cpu: self?.cpu_weight ?? "", net: self?.net_weight ?? "", ...props, name: id,
        });
        const now = observed(base, a);
        return { id, props: now, inputs: { ...base, ownerKey: now.ownerKey, activeKey: now.activeKey, cpu: now.cpu, net: now.net } };
    },
    async update(ctx, _id, olds, news) {
        return converge(ctx, olds, news);
    },
};
