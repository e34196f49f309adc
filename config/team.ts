// `eos-network:teamAccounts`: a contract team's accounts, their permissions and links, contracts and
// setup actions. The schema, the checks across its fields (no I/O) and the checks of the contract
// files (wasm present, ABI readable, each action's data fits its ABI), each problem with its path.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { isPublicKey, legacyPublicKey } from "../keys/keys";
import { NAME_FORM, NAME_PATTERN, PERMISSION_LEVEL_PATTERN, PUBLIC_KEY_FORM } from "../rules/names";
import type { Problem } from "./paths";

const accountName = z.string().regex(NAME_PATTERN, `expected an account name: ${NAME_FORM}`).refine((n) => !n.endsWith("."), "an account name cannot end with '.'");
const antelopeName = (what: string) => z.string().regex(NAME_PATTERN, `expected ${what}: ${NAME_FORM}`);
const publicKey = z.string().refine(isPublicKey, `expected a public key (${PUBLIC_KEY_FORM}) with a valid checksum`);
const weight = z.number().int().min(1).max(65535);
const permissionLevel = z.string().regex(PERMISSION_LEVEL_PATTERN, "expected actor@permission, e.g. teamtoken@active");

export const TeamPermissionSchema = z
    .object({
        name: antelopeName("a permission name"),
        /** owner, active, or a permission listed before this one. */
        parent: antelopeName("a permission name").default("active"),
        threshold: z.number().int().min(1).default(1),
        /** A key without publicKey is generated and held by the stack; a publicKey is someone else's key. */
        keys: z.array(z.object({ publicKey: publicKey.optional(), weight: weight.default(1) }).strict()).default([]),
        accounts: z.array(z.object({ permission: permissionLevel, weight: weight.default(1) }).strict()).default([]),
    })
    .strict();

export const TeamLinkSchema = z
    .object({
        /** The contract whose action is linked; default: this account's own contract. */
        code: accountName.optional(),
        /** The action; omitted: every action of the contract. */
        action: antelopeName("an action name").optional(),
        /** One of this account's permissions. */
        permission: antelopeName("a permission name"),
    })
    .strict();

export const TeamContractSchema = z
    .object({
        /** Paths relative to the project folder (where Pulumi.yaml and the stack files are). */
        wasm: z.string().min(1),
        abi: z.string().min(1),
    })
    .strict();

export const TeamActionSchema = z
    .object({
        name: antelopeName("an action name"),
        /** Who signs, as actor@permission; the actors are team accounts. */
        authorization: z.array(permissionLevel).min(1, "name at least one actor@permission"),
        data: z.record(z.unknown()).default({}),
    })
    .strict();

export const TeamAccountSchema = z
    .object({
        name: accountName,
        /** The account's owner/active key; its private key is eos-network:keys.<name> (secret). Default: generated. */
        publicKey: publicKey.optional(),
        /** Funds split by eos-network:stakeRule like accounts[] ... */
        funds: z.string().optional(),
        /** ... or RAM (in tokens), CPU and NET stake and liquid tokens given by eosio. */
        ram: z.string().optional(),
        cpu: z.string().optional(),
        net: z.string().optional(),
        liquid: z.string().optional(),
        permissions: z.array(TeamPermissionSchema).default([]),
        links: z.array(TeamLinkSchema).default([]),
        contract: TeamContractSchema.optional(),
        /** Run once each, in order (accounts in order, then their actions), after the contract is set. */
        actions: z.array(TeamActionSchema).default([]),
    })
    .strict();

export const TeamAccountsSchema = z.array(TeamAccountSchema);
export type TeamAccount = z.infer<typeof TeamAccountSchema>;

/** `actor@permission` as its two names. */
export function permissionLevelOf(text: string): { actor: string; permission: string } {
    const [actor, permission] = text.split("@");
    return { actor, permission };
}

/** What the stack holds of a team permission: the weight of its generated keys and of team accounts in it. */
function heldWeight(perm: z.infer<typeof TeamPermissionSchema>, teamNames: Set<string>): number {
    return perm.keys.filter((k) => !k.publicKey).reduce((s, k) => s + k.weight, 0) +
        perm.accounts.filter((a) => teamNames.has(permissionLevelOf(a.permission).actor)).reduce((s, a) => s + a.weight, 0);
}

/** Checks across the team's fields (the amounts are read by the plan). */
export function teamProblems(team: TeamAccount[]): Problem[] {
    const out: Problem[] = [];
    const byName = new Map(team.map((a, i) => [a.name, { a, i }]));
    const teamNames = new Set(byName.keys());
    const permsOf = (a: TeamAccount) => new Map(a.permissions.map((p) => [p.name, p]));

    team.forEach((a, i) => {
        const at = (...p: (string | number)[]) => ["teamAccounts", i, ...p];
        // Funding: funds split by the stake rule, or explicit RAM/CPU/NET.
        const explicit = (["ram", "cpu", "net", "liquid"] as const).filter((k) => a[k] !== undefined);
        if (a.funds !== undefined && explicit.length > 0) {
            out.push({ path: at("funds"), message: `give funds (split by eos-network:stakeRule) or ${explicit.join("/")}, not both` });
        } else if (a.funds === undefined && a.ram === undefined) {
            out.push({ path: at(), message: "needs funds (split by eos-network:stakeRule, like accounts[]) or ram, cpu and net" });
        } else if (a.funds === undefined) {
            for (const k of ["cpu", "net"] as const) {
                if (a[k] === undefined) {
                    out.push({ path: at(k), message: `needed with ram: an account without staked ${k.toUpperCase()} cannot transact` });
                }
            }
        }

        // Permissions: not owner/active, parents known and listed first, satisfiable.
        const seen = new Set<string>();
        a.permissions.forEach((p, j) => {
            if (p.name === "owner" || p.name === "active") {
                out.push({ path: at("permissions", j, "name"), message: `${p.name} is the account's own key (publicKey or a generated key); declare another permission` });
            } else if (seen.has(p.name)) {
                out.push({ path: at("permissions", j, "name"), message: `duplicate permission ${p.name}` });
            }
            if (p.parent !== "owner" && p.parent !== "active" && !seen.has(p.parent)) {
                out.push({ path: at("permissions", j, "parent"), message: `${p.parent} is not owner, active or a permission listed before this one` });
            }
            seen.add(p.name);
            if (p.keys.length === 0 && p.accounts.length === 0) {
                out.push({ path: at("permissions", j), message: "needs keys or accounts" });
                return;
            }
            const totalWeight = [...p.keys, ...p.accounts].reduce((s, x) => s + x.weight, 0);
            if (p.threshold > totalWeight) {
                out.push({ path: at("permissions", j, "threshold"), message: `${p.threshold} exceeds the total weight ${totalWeight} of its keys and accounts: it could never be satisfied` });
            }
            const keys = new Set<string>();
            p.keys.forEach((k, n) => {
                const key = k.publicKey ? legacyPublicKey(k.publicKey) : undefined;
                if (key && keys.has(key)) {
                    out.push({ path: at("permissions", j, "keys", n, "publicKey"), message: "listed twice" });
                }
                if (key) {
                    keys.add(key);
                }
            });
            const levels = new Set<string>();
            p.accounts.forEach((x, n) => {
                const { actor, permission } = permissionLevelOf(x.permission);
                if (levels.has(x.permission)) {
                    out.push({ path: at("permissions", j, "accounts", n, "permission"), message: "listed twice" });
                }
                levels.add(x.permission);
                const other = byName.get(actor);
                if (other && permission !== "owner" && permission !== "active" && !permsOf(other.a).has(permission)) {
                    out.push({ path: at("permissions", j, "accounts", n, "permission"), message: `${actor} has no permission ${permission} (owner, active, or one in teamAccounts[${other.i}].permissions)` });
                }
            });
        });

        // Links: to a declared permission, each contract action once.
        const linked = new Set<string>();
        a.links.forEach((l, j) => {
            if (!permsOf(a).has(l.permission)) {
                out.push({ path: at("links", j, "permission"), message: `${l.permission} is not a permission of ${a.name} (declare it in teamAccounts[${i}].permissions)` });
            }
            const code = l.code ?? a.name;
            const key = `${code}::${l.action ?? "*"}`;
            if (linked.has(key)) {
                out.push({ path: at("links", j), message: `links ${key} twice` });
            }
            linked.add(key);
            const target = byName.get(code);
            if (target && !target.a.contract) {
                out.push({ path: at("links", j, "code"), message: `${code} has no contract (teamAccounts[${target.i}].contract)` });
            }
        });

        // Setup actions: on this account's contract, signed by team permissions the stack holds.
        if (a.actions.length > 0 && !a.contract) {
            out.push({ path: at("actions"), message: `${a.name} has no contract (teamAccounts[${i}].contract): setup actions run on the account's own contract` });
        }
        a.actions.forEach((act, j) => {
            const levels = new Set<string>();
            act.authorization.forEach((level, k) => {
                const where = at("actions", j, "authorization", k);
                const { actor, permission } = permissionLevelOf(level);
                if (levels.has(level)) {
                    out.push({ path: where, message: "listed twice" });
                }
                levels.add(level);
                const signer = byName.get(actor);
                if (!signer) {
                    out.push({ path: where, message: `${actor} is not a team account: setup actions are signed with the team's own keys` });
                    return;
                }
                if (permission === "owner" || permission === "active") {
                    return;
                }
                const perm = permsOf(signer.a).get(permission);
                if (!perm) {
                    out.push({ path: where, message: `${actor} has no permission ${permission} (owner, active, or one in teamAccounts[${signer.i}].permissions)` });
                    return;
                }
                const held = heldWeight(perm, teamNames);
                const total = [...perm.keys, ...perm.accounts].reduce((s, x) => s + x.weight, 0);
                if (held < perm.threshold && perm.threshold <= total) { // (a threshold above the total is reported at the permission)
                    out.push({ path: where, message: `${level} needs weight ${perm.threshold} and the stack holds keys of weight ${held} (keys given by publicKey are not held here)` });
                }
            });
        });
    });
    return out;
}

/** Fields of an ABI struct, its bases' first. */
function structFields(abi: { structs: { name: string; base: string; fields: { name: string }[] }[] }, type: string): string[] | undefined {
    const s = abi.structs.find((x) => x.name === type);
    if (!s) {
        return undefined;
    }
    return [...(s.base ? structFields(abi, s.base) ?? [] : []), ...s.fields.map((f) => f.name)];
}

/**
 * The contract files of the team, read from `base` (the project folder): wasm and ABI present, the
 * ABI readable, and each setup action named in it with data its ABI can serialize.
 */
export function teamFileProblems(team: TeamAccount[], base: string = process.cwd()): Problem[] {
    const out: Problem[] = [];
    if (!team.some((a) => a.contract)) {
        return out; // no contract to read (eosjs, loaded for the ABIs, is not needed)
    }
    const { Serialize } = require("eosjs");
    const abis = new Map<string, { abi: any; types: Map<string, any>; file: string }>();
    team.forEach((a, i) => {
        if (!a.contract) {
            return;
        }
        const files = { wasm: path.resolve(base, a.contract.wasm), abi: path.resolve(base, a.contract.abi) };
        for (const k of ["wasm", "abi"] as const) {
            if (!fs.existsSync(files[k]) || !fs.statSync(files[k]).isFile()) {
                out.push({ path: ["teamAccounts", i, "contract", k], message: `${files[k]} does not exist (relative paths are read from the project folder ${base})` });
            }
        }
        if (!fs.existsSync(files.abi)) {
            return;
        }
        try {
            const abi = JSON.parse(fs.readFileSync(files.abi, "utf8"));
            for (const k of ["types", "structs", "actions", "tables", "variants"]) {
                abi[k] ??= [];
            }
            abis.set(a.name, { abi, types: Serialize.getTypesFromAbi(Serialize.createInitialTypes(), abi), file: path.basename(files.abi) });
        } catch (e) {
            out.push({ path: ["teamAccounts", i, "contract", "abi"], message: `${files.abi} is not an ABI: ${(e as Error).message}` });
        }
    });
    const actionType = (code: string, action: string) => abis.get(code)?.abi.actions.find((x: { name: string }) => x.name === action)?.type as string | undefined;
    const actionList = (code: string) => abis.get(code)!.abi.actions.map((x: { name: string }) => x.name).join(", ");

    team.forEach((a, i) => {
        a.links.forEach((l, j) => {
            const code = l.code ?? a.name;
            if (l.action && abis.has(code) && !actionType(code, l.action)) {
                out.push({ path: ["teamAccounts", i, "links", j, "action"], message: `${abis.get(code)!.file} has no action ${l.action} (it has ${actionList(code)})` });
            }
        });
        const abi = abis.get(a.name);
        if (!abi) {
            return;
        }
        a.actions.forEach((act, j) => {
            const at = ["teamAccounts", i, "actions", j];
            const type = actionType(a.name, act.name);
            if (!type) {
                out.push({ path: [...at, "name"], message: `${abi.file} has no action ${act.name} (it has ${actionList(a.name)})` });
                return;
            }
            const fields = structFields(abi.abi, type);
            const unknown = fields ? Object.keys(act.data).filter((k) => !fields.includes(k)) : [];
            if (unknown.length > 0) {
                out.push({ path: [...at, "data", unknown[0]], message: `unknown field of ${act.name} (it has ${fields!.join(", ")})` });
                return;
            }
            try {
                const buffer = new Serialize.SerialBuffer({ textEncoder: new TextEncoder(), textDecoder: new TextDecoder() });
                abi.types.get(type).serialize(buffer, act.data);
            } catch (e) {
                out.push({ path: [...at, "data"], message: `does not fit ${act.name} in ${abi.file}: ${(e as Error).message}` });
            }
        });
    });
    return out;
}
