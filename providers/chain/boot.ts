// Dynamic providers for the accounts, token, system contract state, producers and votes of a
// network. Every `create` reads the chain first and adopts what already matches; deletes of
// resources that are `deletedWith` the chain never run on a reset.
import * as pulumi from "@pulumi/pulumi";
import * as chain from "./client";
import { replaceOn } from "./resources";

const active = (actor: string) => [{ actor, permission: "active" }];

function authority(publicKey: string) {
    return { threshold: 1, keys: [{ key: publicKey, weight: 1 }], accounts: [], waits: [] };
}

function keysOf(account: any, perm: string): string[] {
    const p = (account.permissions || []).find((x: any) => x.perm_name === perm);
    return p ? p.required_auth.keys.map((k: any) => k.key) : [];
}

/** Legacy and new key formats of the same key compare equal. */
async function sameKey(a: string, b: string): Promise<boolean> {
    const { PublicKey } = await import("eosjs/dist/eosjs-key-conversions");
    return PublicKey.fromString(a).toString() === PublicKey.fromString(b).toString();
}

// ---------------------------------------------------------------------------------------------
// Account

export const accountProvider: pulumi.dynamic.ResourceProvider = {
    diff: async (_id: string, olds: any, news: any) => {
        const replaces = ["chainId", "name"].filter((k) => olds[k] !== news[k]);
        const changed = ["ownerKey", "activeKey", "ram", "cpu", "net", "liquid"].filter((k) => olds[k] !== news[k]);
        return { changes: replaces.length + changed.length > 0, replaces };
    },
    async create(inputs: any) {
        const existing = await chain.getAccount(inputs.endpoint, inputs.name);
        if (existing) {
            const owner = keysOf(existing, "owner");
            if (owner.length !== 1 || !(await sameKey(owner[0], inputs.ownerKey))) {
                throw new Error(`account ${inputs.name} already exists on chain with other owner keys (${owner.join(", ")})`);
            }
            return { id: `${inputs.chainId}/${inputs.name}`, outs: inputs };
        }
        const conn = await chain.connect(inputs.endpoint, [inputs.creatorKey]);
        const actions: chain.Action[] = [{
            account: "eosio",
            name: "newaccount",
            authorization: active(inputs.creator),
            data: { creator: inputs.creator, name: inputs.name, owner: authority(inputs.ownerKey), active: authority(inputs.activeKey) },
        }];
        if (inputs.ram) {
            actions.push({ account: "eosio", name: "buyram", authorization: active(inputs.creator), data: { payer: inputs.creator, receiver: inputs.name, quant: inputs.ram } });
        }
        if (inputs.cpu || inputs.net) {
            actions.push({
                account: "eosio",
                name: "delegatebw",
                authorization: active(inputs.creator),
                data: { from: inputs.creator, receiver: inputs.name, stake_net_quantity: inputs.net, stake_cpu_quantity: inputs.cpu, transfer: true },
            });
        }
        if (inputs.liquid) {
            actions.push({ account: "eosio.token", name: "transfer", authorization: active(inputs.creator), data: { from: inputs.creator, to: inputs.name, quantity: inputs.liquid, memo: "eos-network" } });
        }
        await chain.transact(conn, actions);
        return { id: `${inputs.chainId}/${inputs.name}`, outs: inputs };
    },
    async update(_id: string, olds: any, news: any) {
        throw new Error(`account ${news.name}: changing keys or stake of an existing account is not supported; ` +
            `it was created with ${JSON.stringify({ ownerKey: olds.ownerKey, ram: olds.ram, cpu: olds.cpu, net: olds.net })}. Reset the network (npm run destroy) to apply it`);
    },
};

export interface AccountArgs {
    endpoint: pulumi.Input<string>;
    chainId: pulumi.Input<string>;
    name: string;
    creator: string;
    creatorKey: pulumi.Input<string>;
    ownerKey: pulumi.Input<string>;
    activeKey: pulumi.Input<string>;
    /** With the system contract: RAM bought and CPU/NET staked by the creator, liquid transferred. */
    ram?: string;
    cpu?: string;
    net?: string;
    liquid?: string;
}

export class Account extends pulumi.dynamic.Resource {
    constructor(name: string, args: AccountArgs, opts?: pulumi.CustomResourceOptions) {
        super(accountProvider, name, { ram: "", cpu: "", net: "", liquid: "", ...args }, { ...opts, additionalSecretOutputs: ["creatorKey"] }, "eos-network", "Account");
    }
}

// ---------------------------------------------------------------------------------------------
// Token: create + issue

export const tokenProvider: pulumi.dynamic.ResourceProvider = {
    diff: replaceOn(["chainId", "contract", "issuer", "maxSupply", "issue"]),
    async create(inputs: any) {
        const code = inputs.maxSupply.split(" ")[1];
        const stats = await chain.post(inputs.endpoint, "/v1/chain/get_currency_stats", { code: inputs.contract, symbol: code }).catch(() => ({}));
        const existing = stats[code];
        if (existing) {
            if (existing.max_supply !== inputs.maxSupply || existing.issuer !== inputs.issuer) {
                throw new Error(`token ${code} already exists with max supply ${existing.max_supply} and issuer ${existing.issuer}`);
            }
            return { id: `${inputs.chainId}/${code}`, outs: inputs };
        }
        const conn = await chain.connect(inputs.endpoint, [inputs.contractKey, inputs.issuerKey]);
        await chain.transact(conn, [
            { account: inputs.contract, name: "create", authorization: active(inputs.contract), data: { issuer: inputs.issuer, maximum_supply: inputs.maxSupply } },
            { account: inputs.contract, name: "issue", authorization: active(inputs.issuer), data: { to: inputs.issuer, quantity: inputs.issue, memo: "eos-network boot" } },
        ]);
        return { id: `${inputs.chainId}/${code}`, outs: inputs };
    },
};

export class Token extends pulumi.dynamic.Resource {
    constructor(name: string, args: {
        endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; contract: string; issuer: string;
        maxSupply: string; issue: string; contractKey: pulumi.Input<string>; issuerKey: pulumi.Input<string>;
    }, opts?: pulumi.CustomResourceOptions) {
        super(tokenProvider, name, args, { ...opts, additionalSecretOutputs: ["contractKey", "issuerKey"] }, "eos-network", "Token");
    }
}

// ---------------------------------------------------------------------------------------------
// Single privileged actions of the boot: setpriv, system init

export const privilegeProvider: pulumi.dynamic.ResourceProvider = {
    diff: replaceOn(["chainId", "account"]),
    async create(inputs: any) {
        const acct = await chain.getAccount(inputs.endpoint, inputs.account);
        if (!acct?.privileged) {
            const conn = await chain.connect(inputs.endpoint, [inputs.eosioKey]);
            await chain.transact(conn, [{ account: "eosio", name: "setpriv", authorization: active("eosio"), data: { account: inputs.account, is_priv: 1 } }]);
        }
        return { id: `${inputs.chainId}/${inputs.account}/privileged`, outs: inputs };
    },
};

export class Privilege extends pulumi.dynamic.Resource {
    constructor(name: string, args: { endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; account: string; eosioKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        super(privilegeProvider, name, args, { ...opts, additionalSecretOutputs: ["eosioKey"] }, "eos-network", "Privilege");
    }
}

export const systemInitProvider: pulumi.dynamic.ResourceProvider = {
    diff: replaceOn(["chainId", "core"]),
    async create(inputs: any) {
        const market = await chain.post(inputs.endpoint, "/v1/chain/get_table_rows", { json: true, code: "eosio", scope: "eosio", table: "rammarket", limit: 1 });
        if (market.rows.length === 0) {
            const conn = await chain.connect(inputs.endpoint, [inputs.eosioKey]);
            await chain.transact(conn, [{ account: "eosio", name: "init", authorization: active("eosio"), data: { version: 0, core: inputs.core } }]);
        }
        return { id: `${inputs.chainId}/system-init`, outs: inputs };
    },
};

export class SystemInit extends pulumi.dynamic.Resource {
    constructor(name: string, args: { endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; core: string; eosioKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        super(systemInitProvider, name, args, { ...opts, additionalSecretOutputs: ["eosioKey"] }, "eos-network", "SystemInit");
    }
}

// ---------------------------------------------------------------------------------------------
// Producer registration, votes, proxies

/** The row of `owner` in one of the system contract's tables (producers, voters), if any. */
async function systemRow(endpoint: string, table: string, owner: string): Promise<any | undefined> {
    const rows = await chain.post(endpoint, "/v1/chain/get_table_rows", { json: true, code: "eosio", scope: "eosio", table, lower_bound: owner, upper_bound: owner, limit: 1 });
    return rows.rows[0];
}

async function regproducer(inputs: any) {
    const row = await systemRow(inputs.endpoint, "producers", inputs.producer);
    if (row && row.is_active && row.url === inputs.url && row.location === inputs.location && (await sameKey(row.producer_key, inputs.producerKey))) {
        return;
    }
    const conn = await chain.connect(inputs.endpoint, [inputs.accountKey]);
    await chain.transact(conn, [{
        account: "eosio",
        name: "regproducer",
        authorization: active(inputs.producer),
        data: { producer: inputs.producer, producer_key: inputs.producerKey, url: inputs.url, location: inputs.location },
    }]);
}

export const producerRegistrationProvider: pulumi.dynamic.ResourceProvider = {
    diff: async (_id: string, olds: any, news: any) => {
        const replaces = ["chainId", "producer"].filter((k) => olds[k] !== news[k]);
        const changes = replaces.length > 0 || ["producerKey", "url", "location"].some((k) => olds[k] !== news[k]);
        return { changes, replaces };
    },
    async create(inputs: any) {
        await regproducer(inputs);
        return { id: `${inputs.chainId}/${inputs.producer}`, outs: inputs };
    },
    async update(_id: string, _olds: any, news: any) {
        await regproducer(news);
        return { outs: news };
    },
    async delete(_id: string, olds: any) {
        const conn = await chain.connect(olds.endpoint, [olds.accountKey]);
        await chain.transact(conn, [{ account: "eosio", name: "unregprod", authorization: active(olds.producer), data: { producer: olds.producer } }]);
    },
};

export class ProducerRegistration extends pulumi.dynamic.Resource {
    constructor(name: string, args: {
        endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; producer: string; producerKey: pulumi.Input<string>;
        url: string; location: number; accountKey: pulumi.Input<string>;
    }, opts?: pulumi.CustomResourceOptions) {
        super(producerRegistrationProvider, name, args, { ...opts, additionalSecretOutputs: ["accountKey"] }, "eos-network", "ProducerRegistration");
    }
}

async function vote(inputs: any, producers: string[], proxy: string) {
    const row = await systemRow(inputs.endpoint, "voters", inputs.voter);
    const sorted = [...producers].sort();
    if (row && (row.proxy || "") === proxy && JSON.stringify([...(row.producers || [])].sort()) === JSON.stringify(sorted)) {
        return;
    }
    const conn = await chain.connect(inputs.endpoint, [inputs.voterKey]);
    await chain.transact(conn, [{ account: "eosio", name: "voteproducer", authorization: active(inputs.voter), data: { voter: inputs.voter, proxy, producers: sorted } }]);
}

export const voteProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        return { inputs: { ...news, producers: [...(news.producers || [])].sort(), proxy: news.proxy || "" } };
    },
    diff: async (_id: string, olds: any, news: any) => {
        const replaces = ["chainId", "voter"].filter((k) => olds[k] !== news[k]);
        const changes = replaces.length > 0 || olds.proxy !== news.proxy || JSON.stringify(olds.producers) !== JSON.stringify(news.producers);
        return { changes, replaces };
    },
    async create(inputs: any) {
        await vote(inputs, inputs.producers, inputs.proxy);
        return { id: `${inputs.chainId}/${inputs.voter}/vote`, outs: inputs };
    },
    async update(_id: string, _olds: any, news: any) {
        await vote(news, news.producers, news.proxy);
        return { outs: news };
    },
    async delete(_id: string, olds: any) {
        await vote(olds, [], "");
    },
};

export class Vote extends pulumi.dynamic.Resource {
    constructor(name: string, args: {
        endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; voter: string; producers?: string[]; proxy?: string; voterKey: pulumi.Input<string>;
    }, opts?: pulumi.CustomResourceOptions) {
        super(voteProvider, name, { producers: [], proxy: "", ...args }, { ...opts, additionalSecretOutputs: ["voterKey"] }, "eos-network", "Vote");
    }
}

export const proxyRegistrationProvider: pulumi.dynamic.ResourceProvider = {
    diff: replaceOn(["chainId", "proxy"]),
    async create(inputs: any) {
        const row = await systemRow(inputs.endpoint, "voters", inputs.proxy);
        if (!row?.is_proxy) {
            const conn = await chain.connect(inputs.endpoint, [inputs.proxyKey]);
            await chain.transact(conn, [{ account: "eosio", name: "regproxy", authorization: active(inputs.proxy), data: { proxy: inputs.proxy, isproxy: true } }]);
        }
        return { id: `${inputs.chainId}/${inputs.proxy}/proxy`, outs: inputs };
    },
    async delete(_id: string, olds: any) {
        const conn = await chain.connect(olds.endpoint, [olds.proxyKey]);
        await chain.transact(conn, [{ account: "eosio", name: "regproxy", authorization: active(olds.proxy), data: { proxy: olds.proxy, isproxy: false } }]);
    },
};

export class ProxyRegistration extends pulumi.dynamic.Resource {
    constructor(name: string, args: { endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; proxy: string; proxyKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        super(proxyRegistrationProvider, name, args, { ...opts, additionalSecretOutputs: ["proxyKey"] }, "eos-network", "ProxyRegistration");
    }
}

// ---------------------------------------------------------------------------------------------
// Producer schedule: waits for the chain to really run the desired set

async function waitForSchedule(inputs: any): Promise<{ version: number; activeProducers: string[] }> {
    const want = JSON.stringify([...inputs.producers].sort());
    const deadline = Date.now() + inputs.timeoutSeconds * 1000;
    let last = "";
    for (;;) {
        const sched = await chain.post(inputs.endpoint, "/v1/chain/get_producer_schedule", {});
        const activeNames = sched.active.producers.map((p: any) => p.producer_name);
        last = `active v${sched.active.version} [${activeNames.join(", ")}], pending ${sched.pending ? "[" + sched.pending.producers.map((p: any) => p.producer_name).join(", ") + "]" : "none"}`;
        if (JSON.stringify([...activeNames].sort()) === want) {
            // Irreversibility must move past the point where the schedule became active. It needs
            // 2/3+1 of the producers to have produced on top, so allow three full rounds of blocks.
            const start = (await chain.post(inputs.endpoint, "/v1/chain/get_info", {})).head_block_num;
            const giveUpAt = start + 3 * 12 * activeNames.length;
            for (;;) {
                const info = await chain.post(inputs.endpoint, "/v1/chain/get_info", {});
                if (info.last_irreversible_block_num > start) {
                    return { version: sched.active.version, activeProducers: activeNames };
                }
                if (info.head_block_num > giveUpAt || Date.now() > deadline) {
                    throw new Error(`schedule ${last} is active but LIB is stuck at ${info.last_irreversible_block_num} (head ${info.head_block_num}, ` +
                        `waited from ${start}): are 2/3+1 of the producers' nodes running and peered?`);
                }
                await new Promise((r) => setTimeout(r, 500));
            }
        }
        if (Date.now() > deadline) {
            throw new Error(`desired producer schedule [${[...inputs.producers].sort().join(", ")}] not active after ${inputs.timeoutSeconds}s; chain has ${last}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

export const producerScheduleProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        return { inputs: { ...news, producers: [...(news.producers || [])].sort() } };
    },
    diff: async (_id: string, olds: any, news: any) => {
        const replaces = ["chainId"].filter((k) => olds[k] !== news[k]);
        const changes = replaces.length > 0 || JSON.stringify(olds.producers) !== JSON.stringify(news.producers);
        return { changes, replaces };
    },
    async create(inputs: any) {
        const outs = await waitForSchedule(inputs);
        return { id: `${inputs.chainId}/schedule`, outs: { ...inputs, ...outs } };
    },
    async update(_id: string, _olds: any, news: any) {
        return { outs: { ...news, ...(await waitForSchedule(news)) } };
    },
};

export class ProducerSchedule extends pulumi.dynamic.Resource {
    public readonly activeProducers!: pulumi.Output<string[]>;
    public readonly version!: pulumi.Output<number>;
    constructor(name: string, args: { endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; producers: string[]; timeoutSeconds: number }, opts?: pulumi.CustomResourceOptions) {
        super(producerScheduleProvider, name, { ...args, activeProducers: undefined, version: undefined }, opts, "eos-network", "ProducerSchedule");
    }
}

// ---------------------------------------------------------------------------------------------
// Resignation: eosio and eosio.* hand owner/active to eosio.prods (or eosio)

export const resignProvider: pulumi.dynamic.ResourceProvider = {
    diff: replaceOn(["chainId", "accounts"]),
    async create(inputs: any) {
        const conn = await chain.connect(inputs.endpoint, [inputs.eosioKey]);
        const actions: chain.Action[] = [];
        for (const a of inputs.accounts as { account: string; controller: string }[]) {
            const acct = await chain.getAccount(inputs.endpoint, a.account);
            const resigned = ["owner", "active"].every((perm) => {
                const p = (acct.permissions || []).find((x: any) => x.perm_name === perm);
                return p && p.required_auth.keys.length === 0 && p.required_auth.accounts.length === 1 && p.required_auth.accounts[0].permission.actor === a.controller;
            });
            if (resigned) {
                continue;
            }
            const auth = { threshold: 1, keys: [], accounts: [{ permission: { actor: a.controller, permission: "active" }, weight: 1 }], waits: [] };
            // active first: once owner is gone, the key can no longer sign for the account.
            actions.push({ account: "eosio", name: "updateauth", authorization: [{ actor: a.account, permission: "owner" }], data: { account: a.account, permission: "active", parent: "owner", auth } });
            actions.push({ account: "eosio", name: "updateauth", authorization: [{ actor: a.account, permission: "owner" }], data: { account: a.account, permission: "owner", parent: "", auth } });
        }
        if (actions.length > 0) {
            await chain.transact(conn, actions);
        }
        return { id: `${inputs.chainId}/resign`, outs: inputs };
    },
};

export class Resign extends pulumi.dynamic.Resource {
    constructor(name: string, args: { endpoint: pulumi.Input<string>; chainId: pulumi.Input<string>; accounts: { account: string; controller: string }[]; eosioKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        super(resignProvider, name, args, { ...opts, additionalSecretOutputs: ["eosioKey"] }, "eos-network", "Resign");
    }
}
