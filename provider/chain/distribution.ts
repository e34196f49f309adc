// eosnet:chain:Distribution: a stack's generated accounts as one resource that keeps them as a set,
// by name. They are created, staked and voting as planning/distribution generates them from the
// spec, each with a key derived from one seed key (no key resource per account). read shows every
// account as the chain has it, so diff names each account to add, repair (key, stake, vote) or drop,
// and update does exactly that, in a few large transactions instead of one per account. An account
// keeps the stake it was created with (recorded in state): growing the count adds accounts without
// restaking the others.
import { derivedKeyPair, legacyPublicKey, publicKeyOf } from "../../keys/keys";
import { writtenDistributionAccounts } from "../../planning/distribution";
import { readAnyAsset } from "../../rules/assets";
import { Context, Diff, differingKeys, ResourceModule } from "../framework";
import { createActions, fundedConvergeActions } from "./account";
import { AccountInputs, AccountOutputs } from "./account.schema";
import { AccountView, Action, singleKey } from "./client";
import { active, assetLike, assetUnits, sorted } from "./common";
import { DistributionInputs, DistributionOutputs, GeneratedAccountState } from "./distribution.schema";

/** A generated account as the inputs want it. */
export interface WantedAccount {
    name: string;
    key: string;
    ram: string;
    cpu: string;
    net: string;
    /** "" for none. */
    liquid: string;
    votes: string[];
}

/** Accounts per transaction: creation is 4 actions each; a vote is 1 action and 1 signature. */
const CREATE_PER_TRANSACTION = 20;
const REPAIR_PER_TRANSACTION = 10;
const VOTES_PER_TRANSACTION = 50;

const INPUT_FIELDS = Object.keys(DistributionInputs.shape) as (keyof DistributionInputs & string)[];

/** Change summaries this provider process has shown. */
const said = new Set<string>();
/** seed public key -> its private key among the provider's keys. */
const seeds = new Map<string, string>();
/** "<seed public key> <account>" -> derived pair: derived once per provider process. */
const derived = new Map<string, { publicKey: string; privateKey: string }>();

function seedPrivateKey(ctx: Context, seedKey: string): string {
    // Asked once per generated account: legacyPublicKey remembers each text it converted.
    const want = legacyPublicKey(seedKey);
    if (!seeds.has(want)) {
        for (const k of ctx.config.keys) {
            seeds.set(publicKeyOf(k), k);
        }
    }
    const found = seeds.get(want);
    if (!found) {
        throw new Error(`the provider holds no private key for the distribution's seed key ${seedKey}: generated accounts' keys are derived from it, so it must be among the provider's keys`);
    }
    return found;
}

function keyOf(ctx: Context, seedKey: string, account: string): { publicKey: string; privateKey: string } {
    const id = `${seedKey} ${account}`;
    let pair = derived.get(id);
    if (!pair) {
        pair = derivedKeyPair(seedPrivateKey(ctx, seedKey), account);
        derived.set(id, pair);
    }
    return pair;
}

/** The accounts the inputs generate, with their derived public keys (pure but for the key derivation). */
export function wantedAccounts(i: DistributionInputs, publicKeyFor: (account: string) => string): WantedAccount[] {
    const f = (u: bigint) => assetLike(u, i.total);
    return writtenDistributionAccounts(i)!.map((a) => ({
        name: a.name, key: publicKeyFor(a.name), ram: f(a.ram), cpu: f(a.cpu), net: f(a.net), liquid: a.liquid > 0n ? f(a.liquid) : "", votes: sorted(a.votes),
    }));
}

/** The last inputs' accounts: a run's check, diff and create or update each ask for the same set. */
let lastWanted: { spec: string; want: WantedAccount[] } | undefined;

function wanted(ctx: Context, i: DistributionInputs): WantedAccount[] {
    const spec = JSON.stringify(INPUT_FIELDS.map((f) => i[f]));
    if (lastWanted?.spec !== spec) {
        lastWanted = { spec, want: wantedAccounts(i, (name) => keyOf(ctx, i.seedKey, name).publicKey) };
    }
    return lastWanted.want;
}

/** An account in this resource's terms, as the chain shows it. */
export function stateOf(a: AccountView, like: string): GeneratedAccountState {
    const perm = (p: string) => singleKey(a.permissions.find((x) => x.perm_name === p)?.required_auth);
    const [owner, act] = [perm("owner"), perm("active")];
    const self = a.self_delegated_bandwidth;
    const voter = a.voter_info;
    return {
        key: owner && act ? (owner === act ? owner : `${owner}/${act}`) : "(not a single key)",
        cpu: self?.cpu_weight ?? assetLike(0n, like),
        net: self?.net_weight ?? assetLike(0n, like),
        votes: voter && !voter.proxy ? sorted(voter.producers) : [],
        ...(voter?.proxy ? { proxy: voter.proxy } : {}),
    };
}

/** What an account's line in state is read against (see EncodedAccount). */
export interface AccountCodec {
    /** The inputs' producers, sorted: votes are written as indices into them. */
    producers: string[];
    /** An asset in the distribution's symbol. */
    like: string;
    /** The key derived for an account from the seed. */
    derivedKey: (account: string) => string;
    /** Each producer's index in `producers`. */
    index: Map<string, number>;
}

/** A codec for a distribution's lines; the producers' index is built once, not per account. */
export function accountCodec(producers: string[], like: string, derivedKey: (account: string) => string): AccountCodec {
    return { producers, like, derivedKey, index: new Map(producers.map((p, k) => [p, k])) };
}

const amountOf = (asset: string) => asset.split(" ")[0];

/** One account's state as its line in state. */
export function encodeAccount(name: string, a: GeneratedAccountState, c: AccountCodec): string {
    const vote = a.proxy ? `proxy ${a.proxy}` : a.votes.map((p) => (c.index.has(p) ? String(c.index.get(p)) : `@${p}`)).join(" ");
    const fields = [a.key === c.derivedKey(name) ? "=" : a.key, `${amountOf(a.cpu)} ${amountOf(a.net)}`, vote];
    if (a.given && (assetUnits(a.given.cpu) !== assetUnits(a.cpu) || assetUnits(a.given.net) !== assetUnits(a.net))) {
        fields.push(`${amountOf(a.given.cpu)} ${amountOf(a.given.net)}`);
    }
    return fields.join(";");
}

/** An account's line in state read back; an object (state from before the line format) as it is. */
export function decodeAccount(name: string, line: string | GeneratedAccountState, c: AccountCodec): GeneratedAccountState {
    if (typeof line !== "string") {
        return line;
    }
    const [key, stake, vote, given] = line.split(";");
    const symbol = c.like.split(" ")[1];
    const pair = (text: string) => {
        const [cpu, net] = text.split(" ");
        return { cpu: `${cpu} ${symbol}`, net: `${net} ${symbol}` };
    };
    if (stake === undefined || vote === undefined) {
        throw new Error(`generated account ${name}: unreadable state line ${JSON.stringify(line)}`);
    }
    const proxy = vote.startsWith("proxy ") ? vote.slice("proxy ".length) : undefined;
    const votes = proxy || vote === "" ? [] : sorted(vote.split(" ").map((t) => (t.startsWith("@") ? t.slice(1) : c.producers[Number(t)])));
    if (votes.some((v) => v === undefined)) {
        throw new Error(`generated account ${name}: a vote in ${JSON.stringify(line)} indexes past the ${c.producers.length} producers`);
    }
    const now = pair(stake);
    return { key: key === "=" ? c.derivedKey(name) : key, ...now, votes, ...(proxy ? { proxy } : {}), given: given ? pair(given) : now };
}

function codecOf(ctx: Context, o: Pick<DistributionInputs, "producers" | "total" | "seedKey">): AccountCodec {
    return accountCodec(o.producers, o.total, (account) => keyOf(ctx, o.seedKey, account).publicKey);
}

function decodeAll(ctx: Context, o: DistributionOutputs, c: AccountCodec = codecOf(ctx, o)): Record<string, GeneratedAccountState> {
    return Object.fromEntries(Object.entries(o.accounts ?? {}).map(([n, line]) => [n, decodeAccount(n, line, c)]));
}

function encodeAll(ctx: Context, i: DistributionInputs, states: Record<string, GeneratedAccountState>): Record<string, string> {
    const c = codecOf(ctx, i);
    return Object.fromEntries(Object.entries(states).map(([n, a]) => [n, encodeAccount(n, a, c)]));
}

/**
 * What a diff finds: the accounts `news` generates against those `olds` holds. Under the same seed,
 * a key written "=" in state is the one derived for the account, so a stand-in for it compares as
 * well as the key itself, and a preview with nothing to do derives none of thousands of keys
 * (a key written out differs from the derived one: encodeAccount writes "=" exactly when they match).
 * A line that is exactly what its wanted account encodes to differs in nothing and is not decoded.
 */
function changesOf(ctx: Context, olds: DistributionOutputs, news: DistributionInputs): SetChanges {
    const lines = olds.accounts ?? {};
    if (olds.seedKey !== news.seedKey || !Object.values(lines).every((l) => typeof l === "string")) {
        return setChanges(wanted(ctx, news), decodeAll(ctx, olds));
    }
    // Neither a key's text (EOS…, PUB_…) nor another written form ("owner/active", "(not a single key)").
    const standIn = (account: string) => `(derived for ${account})`;
    const c = accountCodec(olds.producers, olds.total, standIn);
    const want = wantedAccounts(news, standIn);
    const exact = new Set(want.filter((w) => lines[w.name] === encodeAccount(w.name, { key: w.key, cpu: w.cpu, net: w.net, votes: w.votes }, c)).map((w) => w.name));
    const rest = Object.entries(lines).filter(([n]) => !exact.has(n)).map(([n, l]) => [n, decodeAccount(n, l, c)] as const);
    return setChanges(want.filter((w) => !exact.has(w.name)), Object.fromEntries(rest));
}

/** The stake an account is to have: what it was created with, else (new, adopted) what is generated now. */
function stakeOf(want: WantedAccount, have: GeneratedAccountState | undefined): { cpu: string; net: string } {
    return have?.given ?? { cpu: want.cpu, net: want.net };
}

/** What differs for one account: its key, its stake, its vote. */
export function accountDifferences(want: WantedAccount, have: GeneratedAccountState): ("key" | "stake" | "vote")[] {
    const out: ("key" | "stake" | "vote")[] = [];
    if (have.key !== want.key) {
        out.push("key");
    }
    const stake = stakeOf(want, have);
    if (assetUnits(have.cpu) !== assetUnits(stake.cpu) || assetUnits(have.net) !== assetUnits(stake.net)) {
        out.push("stake");
    }
    if (have.proxy || JSON.stringify(sorted(have.votes)) !== JSON.stringify(want.votes)) {
        out.push("vote");
    }
    return out;
}

export interface SetChanges {
    /** Generated accounts the chain does not have. */
    add: string[];
    /** Accounts to repair, with what differs. */
    repair: Map<string, ("key" | "stake" | "vote")[]>;
    /** Accounts no longer generated (the count went down, the prefix changed): unvoted, left on the chain. */
    drop: string[];
}

/** How the set on the chain (`have`) differs from the generated one (`want`). */
export function setChanges(want: WantedAccount[], have: Record<string, GeneratedAccountState>): SetChanges {
    const names = new Set(want.map((w) => w.name));
    const repair = new Map<string, ("key" | "stake" | "vote")[]>();
    const add: string[] = [];
    for (const w of want) {
        const h = have[w.name];
        if (!h) {
            add.push(w.name);
            continue;
        }
        const d = accountDifferences(w, h);
        if (d.length > 0) {
            repair.set(w.name, d);
        }
    }
    return { add, repair, drop: Object.keys(have).filter((n) => !names.has(n)).sort() };
}

/** The changes in a sentence that names the accounts (at most `max` per kind). */
export function describeChanges(c: SetChanges, max = 100): string {
    const list = (names: string[]) => names.slice(0, max).join(", ") + (names.length > max ? ` and ${names.length - max} more (a preview's engine events list every one as accounts.<name>)` : "");
    const parts: string[] = [];
    if (c.add.length > 0) {
        parts.push(`${c.add.length} to create: ${list(c.add)}`);
    }
    if (c.repair.size > 0) {
        parts.push(`${c.repair.size} to repair: ${list([...c.repair].map(([n, d]) => `${n} (${d.join(", ")})`))}`);
    }
    if (c.drop.length > 0) {
        parts.push(`${c.drop.length} no longer generated (their votes are withdrawn, the accounts stay): ${list(c.drop)}`);
    }
    return parts.join("; ");
}

/** The accounts the chain has, each with the stake it was given (from `before`, else what `want` generates). */
function statesOf(views: Map<string, AccountView>, names: string[], like: string, before: Record<string, GeneratedAccountState>,
    want: WantedAccount[]): Record<string, GeneratedAccountState> {
    const wanted = new Map(want.map((w) => [w.name, w]));
    return Object.fromEntries(names.filter((n) => views.has(n)).map((n) => {
        const given = before[n]?.given ?? (wanted.has(n) ? stakeOf(wanted.get(n)!, undefined) : undefined);
        return [n, { ...stateOf(views.get(n)!, like), ...(given ? { given } : {}) }];
    }));
}

function chunks<T>(list: T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(list.length / size) }, (_, k) => list.slice(k * size, (k + 1) * size));
}

function voteAction(voter: string, producers: string[]): Action {
    return { account: "eosio", name: "voteproducer", authorization: active(voter), data: { voter, proxy: "", producers } };
}

/**
 * Creates what is missing, repairs what drifted, then casts (or withdraws) the votes that differ.
 * Returns the wanted accounts as they are now: every transaction is in a block by then, so they
 * are what was read before with what was pushed applied (no second read of thousands of accounts).
 */
async function apply(ctx: Context, i: DistributionInputs, want: WantedAccount[], views: Map<string, AccountView>, drop: string[],
    before: Record<string, GeneratedAccountState>): Promise<Record<string, GeneratedAccountState>> {
    const chain = ctx.chain();
    chain.holdDerivedKeys([...want.map((w) => w.name), ...drop].map((account) => ({ account, ...keyOf(ctx, i.seedKey, account) })));
    const have = statesOf(views, [...want.map((w) => w.name), ...drop], i.total, before, want);
    const changes = setChanges(want, have);
    const byName = new Map(want.map((w) => [w.name, w]));
    const step = (what: string) => (pushed: number, included: number, total: number) =>
        void ctx.progress(`distribution: ${what}: ${pushed}/${total} transactions pushed, ${included} in blocks`, { ephemeral: true });

    // Transactions as parts that stay whole: one account's actions, one vote.
    const creations = chunks(changes.add, CREATE_PER_TRANSACTION).map((names) => names.map((n) => {
        const w = byName.get(n)!;
        return createActions({ name: n, creator: i.creator, ownerKey: w.key, activeKey: w.key, ram: w.ram, cpu: w.cpu, net: w.net, liquid: w.liquid, manageKeys: true });
    }));
    // Key and stake repairs here; votes below, with the new accounts'.
    const toRepair = [...changes.repair].filter(([, d]) => d.some((x) => x !== "vote")).map(([n]) => n);
    const repairs: Action[][][] = [];
    for (const names of chunks(toRepair, REPAIR_PER_TRANSACTION)) {
        const actions: Action[][] = [];
        for (const n of names) {
            const w = byName.get(n)!;
            const v = views.get(n)!;
            const [ownerKey, activeKey] = have[n].key.includes("/") ? have[n].key.split("/") : [have[n].key, have[n].key];
            const desired: AccountInputs = { name: n, creator: i.creator, ownerKey: w.key, activeKey: w.key, ram: w.ram, ...stakeOf(w, have[n]), liquid: w.liquid, manageKeys: true };
            const now: AccountOutputs = { ...desired, ownerKey, activeKey, cpu: have[n].cpu, net: have[n].net, ramBytes: v.ram_quota, balance: v.core_liquid_balance ?? "" };
            actions.push(await fundedConvergeActions(ctx, now, desired));
        }
        repairs.push(actions);
    }
    if (creations.length + repairs.length > 0) {
        ctx.progress(`distribution: creating ${changes.add.length} accounts, repairing the key or stake of ${toRepair.length}`);
        await chain.transactMany([...creations, ...repairs], step(`${changes.add.length} accounts`));
    }
    // Votes once every account is in a block: a vote needs its voter's stake.
    const added = new Set(changes.add);
    const voters = [
        ...want.filter((w) => added.has(w.name) ? w.votes.length > 0 : changes.repair.get(w.name)?.includes("vote")).map((w) => voteAction(w.name, w.votes)),
        ...drop.filter((n) => have[n] && (have[n].votes.length > 0 || have[n].proxy)).map((n) => voteAction(n, [])),
    ];
    if (voters.length > 0) {
        ctx.progress(`distribution: ${voters.length} votes`);
        await chain.transactMany(chunks(voters, VOTES_PER_TRANSACTION).map((vs) => vs.map((v) => [v])), step(`${voters.length} votes`));
    }
    return afterApply(want, have, changes);
}

/** The wanted accounts once `changes` are made on the chain that showed `have`. */
export function afterApply(want: WantedAccount[], have: Record<string, GeneratedAccountState>, changes: SetChanges): Record<string, GeneratedAccountState> {
    const added = new Set(changes.add);
    return Object.fromEntries(want.map((w) => {
        const h = have[w.name];
        if (added.has(w.name) || !h) {
            return [w.name, { key: w.key, cpu: w.cpu, net: w.net, votes: w.votes, given: { cpu: w.cpu, net: w.net } }];
        }
        const d = changes.repair.get(w.name) ?? [];
        const stake = d.includes("stake") ? stakeOf(w, h) : { cpu: h.cpu, net: h.net };
        const vote = d.includes("vote") ? { votes: w.votes } : { votes: h.votes, ...(h.proxy ? { proxy: h.proxy } : {}) };
        return [w.name, { key: d.includes("key") ? w.key : h.key, ...stake, ...vote, given: stakeOf(w, h) }];
    }));
}

export const distribution: ResourceModule<DistributionInputs, DistributionOutputs> = {
    token: "eosnet:chain:Distribution",
    description: "Generated staked accounts (Pareto funds, seeded votes) kept as one set by name, their keys derived from one seed key.",
    inputs: DistributionInputs,
    outputs: DistributionOutputs,
    async check(_ctx, news, olds) {
        const failures: { property: string; reason: string }[] = [];
        if (olds && olds.seedKey !== news.seedKey) {
            // The accounts' owner keys derive from the old seed, which a new seed cannot sign for.
            failures.push({ property: "seedKey", reason: `the seed of the generated accounts' keys changed (${olds.seedKey} -> ${news.seedKey}): their keys cannot follow; reset the network (npm run destroy, then npm run up)` });
        }
        const symbols = (["total", "minimum", "ram", "minStake", "maxLiquid"] as const).map((f) => [f, readAnyAsset(news[f])?.symbol] as const);
        const first = symbols[0][1];
        for (const [f, s] of symbols) {
            if (!s || s.code !== first?.code || s.precision !== first.precision) {
                failures.push({ property: f, reason: `${news[f]} is not in the symbol of total (${news.total})` });
            }
        }
        if (failures.length === 0) {
            if (assetUnits(news.minimum) * BigInt(news.count) > assetUnits(news.total)) {
                failures.push({ property: "total", reason: `${news.total} cannot give ${news.count} accounts the minimum ${news.minimum} each` });
            }
            if (assetUnits(news.minimum) < assetUnits(news.ram)) {
                failures.push({ property: "minimum", reason: `${news.minimum} does not cover the RAM purchase of ${news.ram}` });
            }
        }
        return { inputs: { ...news, producers: sorted(news.producers) }, failures };
    },
    async diff(ctx, _id, olds, news): Promise<Diff> {
        const changes = changesOf(ctx, olds, news);
        const specChanged = differingKeys(olds, news, INPUT_FIELDS);
        const detailed: Record<string, "add" | "update" | "delete"> = {
            ...Object.fromEntries(changes.add.map((n) => [`accounts.${n}`, "add" as const])),
            ...Object.fromEntries([...changes.repair.keys()].map((n) => [`accounts.${n}`, "update" as const])),
            ...Object.fromEntries(changes.drop.map((n) => [`accounts.${n}`, "delete" as const])),
        };
        const accountsChange = Object.keys(detailed).length > 0;
        if (accountsChange) {
            // Not awaited: during a refresh the engine handles no log until this diff returns. Drift
            // (a repair, a dropped account) is a warning; accounts only to create are news.
            const message = `generated accounts: ${describeChanges(changes)}`;
            if (!said.has(message)) {
                // A refresh's diff and the update's diff see the same changes: said once.
                said.add(message);
                void ctx.progress(message, { warning: changes.repair.size + changes.drop.length > 0 });
            }
        }
        return { changes: accountsChange || specChanged.length > 0, changed: [...specChanged, ...(accountsChange ? ["accounts"] : [])], detailed };
    },
    async create(ctx, inputs) {
        const want = wanted(ctx, inputs);
        const views = await ctx.chain().existingAccounts(want.map((w) => w.name));
        if (views.size > 0) {
            ctx.progress(`distribution: ${views.size} of its ${want.length} accounts are already on the chain: adopting them`);
        }
        const now = await apply(ctx, inputs, want, views, [], {});
        return { id: inputs.namePrefix, outs: { ...inputs, accounts: encodeAll(ctx, inputs, now) } };
    },
    async read(ctx, id, props) {
        if (!props?.namePrefix || props.count === undefined || !props.total) {
            throw new Error("a Distribution cannot be imported by id: declare it (eos-network:distribution) and `up` adopts the accounts the chain already has");
        }
        const i = DistributionInputs.parse(props);
        const before = decodeAll(ctx, { ...i, accounts: props.accounts ?? {} });
        // Its accounts: those generated now, and those it had (until an update drops them).
        const want = wantedAccounts(i, () => "");
        const names = [...new Set([...want.map((w) => w.name), ...Object.keys(before)])];
        const views = await ctx.chain().existingAccounts(names);
        return { id, props: { ...i, accounts: encodeAll(ctx, i, statesOf(views, names, i.total, before, want)) } };
    },
    async update(ctx, _id, olds, news) {
        const want = wanted(ctx, news);
        const wantNames = new Set(want.map((w) => w.name));
        const before = decodeAll(ctx, olds);
        const drop = Object.keys(before).filter((n) => !wantNames.has(n));
        // Acted on as the chain is now, not as the last refresh saw it.
        const views = await ctx.chain().existingAccounts([...wantNames, ...drop]);
        return { ...news, accounts: encodeAll(ctx, news, await apply(ctx, news, want, views, drop, before)) };
    },
};
