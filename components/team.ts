// Team: a contract team's part of the network (eos-network:teamAccounts). Its accounts are created
// and funded by eosio with the other accounts (before eosio resigns); permissions, links, contracts
// and setup actions are signed with the team's own keys, so they keep converging after the
// resignation. Wiring only: the eosnet provider does the work.
import * as path from "path";
import * as pulumi from "../sdk/pulumi";
import type { TeamAccount } from "../config/team";
import { permissionLevelOf } from "../config/team";
import { NetworkPlan, splitInputs } from "../planning/plan";
import { Account, Action, Contract, KeyPair, LinkAuth, Permission } from "../sdk/resources";

export interface TeamKey {
    publicKey: pulumi.Output<string>;
    /** Absent for a key given by its public half (someone else's). */
    privateKey?: pulumi.Output<string>;
}

export interface TeamKeys {
    /** Each team account's owner/active key. */
    accounts: Map<string, TeamKey>;
    /** Each permission's keys (`account@permission`), in config order. */
    permissions: Map<string, TeamKey[]>;
    /** Every private key the team signs with: the chain provider holds them. */
    privateKeys: pulumi.Output<string>[];
}

/**
 * The team's keys, made before the chain provider that holds them: each account's own key from
 * `accountKey` (a configured key or a generated one), and a KeyPair per permission key given
 * without a public key.
 */
export function teamKeys(
    prefix: string,
    team: TeamAccount[],
    accountKey: (account: string, resourceName: string, purpose: string) => { publicKey: pulumi.Output<string>; privateKey: pulumi.Output<string> },
    opts: pulumi.CustomResourceOptions,
): TeamKeys {
    const accounts = new Map<string, TeamKey>();
    const permissions = new Map<string, TeamKey[]>();
    for (const a of team) {
        accounts.set(a.name, accountKey(a.name, `${prefix}-key-${a.name}`, `team account ${a.name}`));
        for (const p of a.permissions) {
            permissions.set(`${a.name}@${p.name}`, p.keys.map((k, n) => {
                if (k.publicKey) {
                    return { publicKey: pulumi.output(k.publicKey) };
                }
                const pair = new KeyPair(`${prefix}-key-${a.name}-${p.name}-${n}`, { purpose: `permission ${a.name}@${p.name} key ${n}` }, opts);
                return { publicKey: pair.publicKey, privateKey: pair.privateKey };
            }));
        }
    }
    const privateKeys = [...accounts.values(), ...[...permissions.values()].flat()].flatMap((k) => (k.privateKey ? [k.privateKey] : []));
    return { accounts, permissions, privateKeys };
}

export interface TeamArgs {
    plan: NetworkPlan;
    keys: TeamKeys;
    /** Prefix of resource names (the network's name). */
    prefix: string;
    /** Options of a chain-side resource that waits for `after`: provider, deletedWith, dependencies. */
    onChain: (after: pulumi.Resource[]) => pulumi.CustomResourceOptions;
    /** Folder relative contract paths are read from: the project folder. */
    baseDir?: string;
}

export class Team extends pulumi.ComponentResource {
    /** The team's accounts: eosio must not resign before they exist. */
    public readonly accounts: Account[] = [];
    public readonly contracts = new Map<string, Contract>();
    /** Setup actions, in the order they run. */
    public readonly actions: Action[] = [];

    constructor(name: string, args: TeamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eosnet:index:Team", name, {}, opts);
        const team = args.plan.config.teamAccounts;
        const base = args.baseDir ?? process.cwd();
        const p = args.prefix;
        const on = (after: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ ...args.onChain(after), parent: this });

        for (const a of args.plan.team) {
            const key = args.keys.accounts.get(a.name)!;
            this.accounts.push(new Account(`${p}-account-${a.name}`, {
                name: a.name, creator: a.createdBy, ownerKey: key.publicKey, activeKey: key.publicKey, ...splitInputs(args.plan, a),
            }, on([])));
        }
        // updateauth names other accounts, linkauth other contracts: every team account exists first.
        const accounts = [...this.accounts];

        const authorities: pulumi.Resource[] = [];
        team.forEach((a) => {
            const perms = new Map<string, Permission>();
            for (const perm of a.permissions) {
                const keys = args.keys.permissions.get(`${a.name}@${perm.name}`)!;
                const parent = perms.get(perm.parent);
                const resource = new Permission(`${p}-permission-${a.name}-${perm.name}`, {
                    account: a.name,
                    permission: perm.name,
                    parent: perm.parent,
                    threshold: perm.threshold,
                    keys: keys.map((k, n) => k.publicKey.apply((key) => ({ key, weight: perm.keys[n].weight }))),
                    accounts: perm.accounts.map((x) => ({ ...permissionLevelOf(x.permission), weight: x.weight })),
                }, on([...accounts, ...(parent ? [parent] : [])]));
                perms.set(perm.name, resource);
                authorities.push(resource);
            }
            for (const l of a.links) {
                const code = l.code ?? a.name;
                authorities.push(new LinkAuth(`${p}-link-${a.name}-${code}-${l.action ?? "all"}`, {
                    account: a.name, code, type: l.action ?? "", requirement: l.permission,
                }, on([...accounts, perms.get(l.permission)!])));
            }
        });

        team.forEach((a, i) => {
            if (a.contract) {
                this.contracts.set(a.name, new Contract(`${p}-contract-${a.name}`, {
                    account: a.name, wasmPath: path.resolve(base, a.contract.wasm), abiPath: path.resolve(base, a.contract.abi),
                }, on([this.accounts[i]])));
            }
        });

        // Setup actions run in config order, each once its contract is set and every permission
        // and link of the team is in place. The name is the action's, so reordering reruns nothing.
        const occurrences = new Map<string, number>();
        team.forEach((a, i) => {
            a.actions.forEach((act, j) => {
                const id = `${a.name}-${act.name}`;
                const n = (occurrences.get(id) ?? 0) + 1;
                occurrences.set(id, n);
                const previous = this.actions[this.actions.length - 1];
                this.actions.push(new Action(`${p}-action-${id}${n > 1 ? `-${n}` : ""}`, {
                    account: a.name,
                    name: act.name,
                    authorization: act.authorization.map(permissionLevelOf),
                    data: act.data,
                    label: `eos-network:teamAccounts[${i}].actions[${j}]`,
                }, on([this.contracts.get(a.name)!, ...authorities, ...(previous ? [previous] : [])])));
            });
        });
        this.registerOutputs({});
    }
}
