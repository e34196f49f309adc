// The provider's one way to the chain: eosjs over HTTP with a deadline on every call, writes that
// resolve only once their transaction is in a block, a chain-id check before the first write, and
// batching of concurrent actions the chain accepts in one transaction.
import * as crypto from "crypto";
import { Api, JsonRpc } from "eosjs";
import { legacyPublicKey, modernPublicKey, publicKeyOf, signDigest } from "../../keys/keys";
import { ChainApiError, NodeUnreachable, TransactionError } from "../errors";
import { pollUntil } from "../poll";
import { HttpAnswer, httpRequest, HttpTimeout } from "./http";

export interface Authorization {
    actor: string;
    permission: string;
}

export interface Action {
    account: string;
    name: string;
    authorization: Authorization[];
    data: unknown;
}

export interface Included {
    transactionId: string;
    blockNum: number;
}

export interface ChainInfo {
    chain_id: string;
    head_block_num: number;
    last_irreversible_block_num: number;
    head_block_producer: string;
    /** The head block's timestamp, UTC without a zone: the chain's clock. */
    head_block_time: string;
    server_version_string?: string;
}

/** ABI of the native actions of `eosio`, for the time before any contract is set on it. */
export const NATIVE_EOSIO_ABI = {
    version: "eosio::abi/1.1",
    types: [],
    structs: [
        { name: "setcode", base: "", fields: [{ name: "account", type: "name" }, { name: "vmtype", type: "uint8" }, { name: "vmversion", type: "uint8" }, { name: "code", type: "bytes" }] },
        { name: "setabi", base: "", fields: [{ name: "account", type: "name" }, { name: "abi", type: "bytes" }] },
    ],
    actions: [
        { name: "setcode", type: "setcode", ricardian_contract: "" },
        { name: "setabi", type: "setabi", ricardian_contract: "" },
    ],
    tables: [],
    ricardian_clauses: [],
    error_messages: [],
    abi_extensions: [],
    variants: [],
};

/** How long a transaction the node rejected for time alone is pushed again (it did nothing). */
const TRANSIENT_RETRY_MS = 30_000;
/** get_account calls in flight at once when many accounts are read. */
const ACCOUNT_READS_AT_ONCE = 16;
/** Per-call deadline of a read; writes wait longer for their block. */
const CALL_TIMEOUT_MS = 15_000;
const INCLUSION_TIMEOUT_MS = 90_000;

/** A chain error's own message (eosjs RpcError carries the node's JSON), else the error's. */
export function describeError(e: unknown): string {
    const err = e as { json?: { error?: { details?: { message: string }[]; what?: string } }; message?: string };
    const details = err?.json?.error?.details;
    if (Array.isArray(details) && details.length > 0) {
        return details.map((d) => d.message).join("; ");
    }
    return err?.message ?? String(e);
}

/** Time-limit failures that say nothing about the transaction itself: safe to resend. */
export function isTransientCpuFailure(message: string): boolean {
    return /executing for too long|deadline exceeded|tx_cpu_usage_exceeded|billed CPU time .* is greater than|exceeded the current block|too many transactions/i.test(message);
}

/** A chain API request with a deadline and an error that names the endpoint (a node can otherwise hang a call). */
export async function fetchWithDeadline(url: string, init: { method?: string; body?: string }, timeoutMs = CALL_TIMEOUT_MS): Promise<HttpAnswer> {
    try {
        return await httpRequest(url, init, timeoutMs);
    } catch (e) {
        if (e instanceof HttpTimeout) {
            throw new NodeUnreachable(url, true, `no answer from ${url} within ${timeoutMs / 1000}s`, { cause: e });
        }
        const err = e as Error & { code?: string };
        throw new NodeUnreachable(url, false, `cannot reach ${url}: ${err.code ?? err.message}`, { cause: e });
    }
}

let abiSerializer: Api | undefined;

/** The raw (binary) form of an ABI JSON text, as setabi stores it, and its sha256 (what get_raw_abi reports). */
export function rawAbi(abiJson: string): { raw: Buffer; hash: string } {
    const abi = JSON.parse(abiJson);
    for (const k of ["types", "structs", "actions", "tables", "ricardian_clauses", "error_messages", "abi_extensions", "variants"]) {
        if (!Array.isArray(abi[k])) {
            abi[k] = [];
        }
    }
    // The serializer needs no node: an Api without one only encodes.
    abiSerializer ??= new Api({ rpc: {} as never, signatureProvider: {} as never, textDecoder: new TextDecoder() as never, textEncoder: new TextEncoder() });
    const raw = Buffer.from(abiSerializer.jsonToRawAbi(abi));
    return { raw, hash: crypto.createHash("sha256").update(raw).digest("hex") };
}

export class ChainClient {
    private readonly rpc: JsonRpc;
    private readonly api: Api;
    private chainChecked = false;
    private readonly queue: Batch[] = [];
    private flushTimer: NodeJS.Timeout | undefined;
    private batchStarted: number | undefined;
    /** The node answering now: the endpoint, or a fallback while the endpoint's node is down. */
    private current = 0;
    private failedOverAt = 0;
    private readonly endpoints: string[];
    /** Keys derived for generated accounts (PUB_K1 form -> private), and each such account's key. */
    private readonly derivedKeys = new Map<string, string>();
    private readonly actorKeys = new Map<string, string>();
    /** The configured keys (PUB_K1 form -> private). */
    private readonly ownKeys = new Map<string, string>();

    constructor(
        readonly endpoint: string,
        private readonly expectedChainId: string | undefined,
        private readonly privateKeys: string[],
        fallbackEndpoints: string[] = [],
    ) {
        this.endpoints = [endpoint, ...fallbackEndpoints.filter((e) => e !== endpoint)];
        // eosjs calls go through the same failover as the provider's own calls.
        const failoverFetch = (url: string, init: { method?: string; body?: string }) => this.fetch(url.slice(endpoint.length), init);
        this.rpc = new JsonRpc(endpoint, { fetch: failoverFetch as never });
        for (const k of privateKeys) {
            this.ownKeys.set(modernPublicKey(publicKeyOf(k)), k);
        }
        this.api = new Api({
            rpc: this.rpc,
            // The configured keys, plus the derived keys of the accounts a transaction names.
            signatureProvider: { getAvailableKeys: async () => [...this.ownKeys.keys()], sign: async (args) => this.sign(args) },
            authorityProvider: {
                getRequiredKeys: async ({ transaction, availableKeys }) => {
                    const actors = new Set((transaction as { actions: Action[] }).actions.flatMap((a) => a.authorization.map((x) => x.actor)));
                    const derived = [...actors].flatMap((a) => (this.actorKeys.has(a) ? [this.actorKeys.get(a)!] : []));
                    // Generated accounts only (a distribution's votes): each signs with its derived key, no round trip.
                    if (derived.length === actors.size) {
                        return [...new Set(derived)];
                    }
                    return this.rpc.getRequiredKeys({ transaction, availableKeys: [...availableKeys, ...derived] });
                },
            },
            textDecoder: new TextDecoder() as never,
            textEncoder: new TextEncoder(),
        });
    }

    /**
     * Lets this client sign for generated accounts with their derived keys (never written anywhere:
     * they are derived again from the seed key in the provider's configuration).
     */
    holdDerivedKeys(pairs: { account: string; publicKey: string; privateKey: string }[]): void {
        for (const p of pairs) {
            const pub = modernPublicKey(p.publicKey);
            this.derivedKeys.set(pub, p.privateKey);
            this.actorKeys.set(p.account, pub);
        }
    }

    /** Signs with libsecp256k1 (keys/keys.ts signDigest): a vote of 50 generated accounts is 50 signatures. */
    private sign(args: { chainId: string; requiredKeys: string[]; serializedTransaction: Uint8Array; serializedContextFreeData?: Uint8Array }) {
        // What Antelope signs: sha256 of the chain id, the packed transaction and its context-free data's sha256 (or 32 zero bytes).
        const digest = crypto.createHash("sha256").update(Buffer.from(args.chainId, "hex")).update(args.serializedTransaction)
            .update(args.serializedContextFreeData ? crypto.createHash("sha256").update(args.serializedContextFreeData).digest() : Buffer.alloc(32)).digest();
        const signatures = args.requiredKeys.map((k) => {
            const privateKey = this.ownKeys.get(k) ?? this.derivedKeys.get(k);
            if (!privateKey) {
                throw new Error(`the node asks for a signature of ${k}, whose private key this provider does not hold`);
            }
            return signDigest(privateKey, digest);
        });
        return { signatures, serializedTransaction: args.serializedTransaction, serializedContextFreeData: args.serializedContextFreeData };
    }

    /** The node that answered last (the endpoint unless its node is down). */
    get answering(): string {
        return this.endpoints[this.current];
    }

    /**
     * A request to `path` on the answering node; when no node answers there, the next one of the
     * same chain is tried (all are checked against the chain id before anything is signed).
     */
    private async fetch(path: string, init: { method?: string; body?: string }, timeoutMs = CALL_TIMEOUT_MS): Promise<HttpAnswer> {
        if (path === "/v1/producer/schedule_protocol_feature_activations") {
            // Scheduling a feature is about the node that produces (the boot producer): never another.
            return fetchWithDeadline(`${this.endpoint}${path}`, init, timeoutMs);
        }
        // Back to the endpoint a while after failing over: its node may be back.
        if (this.current !== 0 && Date.now() - this.failedOverAt > RETRY_PRIMARY_AFTER_MS) {
            this.current = 0;
            this.chainChecked = false;
        }
        let last: unknown;
        for (let tried = 0; tried < this.endpoints.length; tried++) {
            const i = (this.current + tried) % this.endpoints.length;
            try {
                const res = await fetchWithDeadline(`${this.endpoints[i]}${path}`, init, timeoutMs);
                if (i !== this.current) {
                    this.current = i;
                    this.chainChecked = false;
                    this.failedOverAt = Date.now();
                }
                return res;
            } catch (e) {
                // Only a node that did not answer at all is passed over: another node may.
                if (!(e instanceof NodeUnreachable)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** POST a chain API path; a non-2xx answer is an error carrying the node's message. */
    async post<T = unknown>(path: string, body: unknown, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
        const res = await this.fetch(path, { method: "POST", body: JSON.stringify(body) }, timeoutMs);
        const text = await res.text();
        if (!res.ok) {
            let message = text;
            try {
                const j = JSON.parse(text);
                message = j.error?.details?.[0]?.message ?? j.error?.what ?? text;
            } catch {
                // not JSON: keep the text
            }
            throw new ChainApiError(res.status, path, message);
        }
        return JSON.parse(text) as T;
    }

    /** get_info from the first node of this chain other than `excluded` that answers, if any. */
    async infoFromOthers(excluded: string): Promise<ChainInfo | undefined> {
        for (const e of this.endpoints.filter((x) => x !== excluded)) {
            const info = await fetchWithDeadline(`${e}/v1/chain/get_info`, { method: "POST", body: "{}" }, 3000)
                .then((r) => (r.ok ? (r.json() as Promise<ChainInfo>) : undefined), () => undefined);
            if (info && (!this.expectedChainId || info.chain_id === this.expectedChainId)) {
                return info;
            }
        }
        return undefined;
    }

    getInfo(): Promise<ChainInfo> {
        return this.post<ChainInfo>("/v1/chain/get_info", {});
    }

    /** get_account, or undefined when the chain has no such account. */
    async getAccount(name: string): Promise<AccountView | undefined> {
        try {
            return await this.post<AccountView>("/v1/chain/get_account", { account_name: name });
        } catch (e) {
            if (e instanceof ChainApiError && /unknown key|account_query_exception|does not exist/i.test(e.message)) {
                return undefined;
            }
            throw e;
        }
    }

    /**
     * Which accounts between `lower` and `upper` (names, inclusive) the chain has, from the system
     * contract's `userres` scopes: its newaccount handler gives every account created after it one.
     * One call per few thousand names instead of a get_account each.
     */
    async accountsBetween(lower: string, upper: string): Promise<Set<string>> {
        const out = new Set<string>();
        let from = lower;
        for (;;) {
            const r = await this.post<{ rows: { scope: string }[]; more: string }>("/v1/chain/get_table_by_scope", {
                code: "eosio", table: "userres", lower_bound: from, upper_bound: upper, limit: 5000,
            });
            for (const row of r.rows) {
                out.add(row.scope);
            }
            if (!r.more) {
                return out;
            }
            from = r.more;
        }
    }

    /**
     * The accounts among `names` that the chain has: one listing of eosio's userres scopes
     * (eosio.system gives every account created after it such a row) instead of a get_account each.
     */
    async existing(names: string[]): Promise<string[]> {
        if (names.length === 0) {
            return [];
        }
        let [lowest, highest] = [names[0], names[0]];
        for (const n of names) {
            [lowest, highest] = [n < lowest ? n : lowest, n > highest ? n : highest];
        }
        const listed = await this.accountsBetween(lowest, highest);
        return names.filter((n) => listed.has(n));
    }

    /** get_account of each of `names` that exists, several at a time (thousands cost seconds one by one). */
    async readAccounts(names: string[]): Promise<Map<string, AccountView>> {
        const out = new Map<string, AccountView>();
        let next = 0;
        await Promise.all(Array.from({ length: Math.min(ACCOUNT_READS_AT_ONCE, names.length) }, async () => {
            while (next < names.length) {
                const name = names[next++];
                const a = await this.getAccount(name);
                if (a) {
                    out.set(name, a);
                }
            }
        }));
        return out;
    }

    /** The accounts among `names` that the chain has, each as get_account shows it. */
    async existingAccounts(names: string[]): Promise<Map<string, AccountView>> {
        return this.readAccounts(await this.existing(names));
    }

    /**
     * eosio's voters table as owner -> staked (core units): every account staked with
     * transfer (or staking itself) has a row. It counts the stake the account delegated to others
     * and its REX too, so it is an upper bound of the account's own stake, for thousands of
     * accounts in a few pages.
     */
    async votersStake(): Promise<Map<string, bigint>> {
        // Pages as large as the node's response time allows (it cuts them short itself).
        const rows = await this.rows<{ owner: string; staked: number | string }>("eosio", "eosio", "voters", { pageRows: 5000 });
        return new Map(rows.map((r) => [r.owner, BigInt(r.staked)]));
    }

    /** Every row of a table (paged). */
    async rows<T>(code: string, scope: string, table: string, opts: { lower?: string; upper?: string; pageRows?: number } = {}): Promise<T[]> {
        const out: T[] = [];
        let lower = opts.lower ?? "";
        for (;;) {
            const r = await this.post<{ rows: T[]; more: boolean; next_key: string }>("/v1/chain/get_table_rows", {
                json: true, code, scope, table, lower_bound: lower, upper_bound: opts.upper ?? "", limit: opts.pageRows ?? 500,
            });
            out.push(...r.rows);
            if (!r.more || !r.next_key) {
                return out;
            }
            lower = r.next_key;
        }
    }

    /** The row keyed by `owner` (a name) in one of a contract's tables, if any. */
    async row<T>(code: string, scope: string, table: string, owner: string): Promise<T | undefined> {
        const r = await this.post<{ rows: T[] }>("/v1/chain/get_table_rows", { json: true, code, scope, table, lower_bound: owner, upper_bound: owner, limit: 1 });
        return r.rows[0];
    }

    async codeHash(account: string): Promise<string> {
        return (await this.post<{ code_hash: string }>("/v1/chain/get_code_hash", { account_name: account })).code_hash;
    }

    /** sha256 of the raw ABI set on `account` (zeros when none). */
    async abiHash(account: string): Promise<string> {
        return (await this.post<{ abi_hash: string }>("/v1/chain/get_raw_abi", { account_name: account })).abi_hash;
    }

    /** Lets eosjs serialize setcode/setabi on a chain where `eosio` has no ABI yet. */
    async ensureEosioAbi(): Promise<void> {
        const raw = await this.post<{ abi?: string }>("/v1/chain/get_raw_abi", { account_name: "eosio" });
        if (!raw.abi) {
            this.api.cachedAbis.set("eosio", { rawAbi: this.api.jsonToRawAbi(NATIVE_EOSIO_ABI as never), abi: NATIVE_EOSIO_ABI as never });
        }
    }

    /**
     * Whether this client's keys satisfy `actor@permission` as the chain resolves it (accounts,
     * thresholds and all), asked of the node itself: get_required_keys on a transaction with one
     * action so authorized. Undefined means yes; otherwise the node's reason.
     */
    async cannotAuthorize(actor: string, permission = "active"): Promise<string | undefined> {
        const available = await this.publicKeys();
        const transaction = {
            expiration: "2030-01-01T00:00:00", ref_block_num: 0, ref_block_prefix: 0, max_net_usage_words: 0, max_cpu_usage_ms: 0,
            delay_sec: 0, context_free_actions: [], transaction_extensions: [],
            actions: [{ account: "eosio.null", name: "nonce", authorization: [{ actor, permission }], data: "" }],
        };
        try {
            await this.post("/v1/chain/get_required_keys", { transaction, available_keys: available });
            return undefined;
        } catch (e) {
            if (e instanceof ChainApiError) {
                return e.message;
            }
            throw e;
        }
    }

    /** Actions with their data serialized (hex), as a transaction inside a proposal carries them. */
    async serializeActions(actions: Action[]): Promise<{ account: string; name: string; authorization: Authorization[]; data: string }[]> {
        await this.ensureEosioAbi();
        return (await this.api.serializeActions(actions as never)) as never;
    }

    /** Drops eosjs's cached ABI of `account` (after a setabi, the next action needs the new one). */
    forgetAbi(account: string): void {
        this.api.cachedAbis.delete(account);
        this.api.contracts.delete(account);
    }

    /** Public keys (legacy EOS form) of the keys this client signs with. */
    async publicKeys(): Promise<string[]> {
        const { PrivateKey } = await import("eosjs/dist/eosjs-key-conversions");
        return this.privateKeys.map((k) => PrivateKey.fromString(k).getPublicKey().toLegacyString());
    }

    /** The node must serve the chain this provider was configured for before anything is signed. */
    async assertChain(): Promise<void> {
        if (this.chainChecked || !this.expectedChainId) {
            return;
        }
        const info = await this.getInfo();
        if (info.chain_id !== this.expectedChainId) {
            throw new Error(`${this.answering} serves chain ${info.chain_id}, not this stack's chain ${this.expectedChainId}; ` +
                "nothing was signed (another network on this port?)");
        }
        this.chainChecked = true;
    }

    /** Pushes one transaction and resolves once a block holding it is on the chain. */
    async transact(actions: Action[]): Promise<Included> {
        await this.assertChain();
        const pushed = await this.signAndPush(actions);
        return this.waitInBlock(pushed.transactionId, pushed.blockNum, pushed.signed, actions);
    }

    /**
     * Signed once: every resend is the same transaction (same id), so the chain applies it at most once.
     * `splittable`: the caller can send the actions in smaller transactions, so one the chain stops
     * for its own CPU time throws TransactionTooLong at once instead of being pushed again as is.
     */
    private async signAndPush(actions: Action[], splittable = false): Promise<Pushed> {
        const signed = (await this.api.transact({ actions }, { useLastIrreversible: true, expireSeconds: 300, broadcast: false })) as never;
        return { ...(await this.pushSigned(signed, actions, splittable)), signed, actions };
    }

    private async pushSigned(signed: never, actions: Action[], splittable = false): Promise<Included> {
        const giveUpAt = Date.now() + TRANSIENT_RETRY_MS;
        for (let attempt = 1; ; attempt++) {
            try {
                const result = (await this.api.pushSignedTransaction(signed)) as { transaction_id: string; processed?: { block_num: number } };
                const blockNum = result.processed?.block_num ?? (await this.getInfo()).head_block_num;
                return { transactionId: result.transaction_id, blockNum };
            } catch (e) {
                const why = describeError(e);
                if (splittable && TOO_LONG.test(why)) {
                    throw new TransactionTooLong(`transaction of ${actions.length} actions stopped for its CPU time: ${why}`, why, { cause: e });
                }
                // A node short of time on a busy machine rejects the transaction whole: safe to
                // resend. Twenty nodes catching up at once on two cores starve it for seconds.
                if (Date.now() < giveUpAt && isTransientCpuFailure(why)) {
                    await new Promise((r) => setTimeout(r, Math.min(2000, 400 * attempt)));
                    continue;
                }
                const names = [...new Set(actions.map((a) => `${a.account}::${a.name}`))].join(", ");
                throw new TransactionError(`transaction [${names}] failed${attempt > 1 ? ` after ${attempt} attempts` : ""}: ${why}`, why, { cause: e });
            }
        }
    }

    /**
     * Like transact, but actions from concurrent callers that arrive together go out in one
     * transaction (the chain applies it whole). If the shared transaction fails, each caller's
     * actions are retried alone, so an error belongs to the resource that caused it.
     */
    transactBatched(actions: Action[]): Promise<Included> {
        return new Promise((resolve, reject) => {
            this.queue.push({ actions, resolve, reject });
            // Callers that read the chain first (a vote) arrive spread out on a loaded machine: the
            // batch waits for a quiet moment, within a bound. Votes in separate transactions can
            // straddle one of the chain's elections, which then elects the union of old and new
            // producers, a schedule eosio.system never shrinks again.
            const now = Date.now();
            this.batchStarted ??= now;
            clearTimeout(this.flushTimer);
            this.flushTimer = setTimeout(() => this.flush(), Math.max(0, Math.min(BATCH_QUIET_MS, this.batchStarted + BATCH_MAX_WAIT_MS - now)));
        });
    }

    private flush(): void {
        this.flushTimer = undefined;
        this.batchStarted = undefined;
        const batches: Batch[][] = [];
        let current: Batch[] = [];
        let size = 0;
        for (const b of this.queue.splice(0)) {
            if (current.length > 0 && size + b.actions.length > MAX_BATCH_ACTIONS) {
                batches.push(current);
                current = [];
                size = 0;
            }
            current.push(b);
            size += b.actions.length;
        }
        if (current.length > 0) {
            batches.push(current);
        }
        for (const group of batches) {
            if (group.length === 1) {
                void this.transact(group[0].actions).then(group[0].resolve, group[0].reject);
                continue;
            }
            void this.transact(group.flatMap((b) => b.actions)).then(
                (included) => group.forEach((b) => b.resolve(included)),
                (e) => {
                    // Rejected whole by the chain: nothing of it applied, so each part can go alone.
                    // Anything else (no block seen in time) may have applied: no resend.
                    if (e instanceof TransactionError) {
                        group.forEach((b) => void this.transact(b.actions).then(b.resolve, b.reject));
                    } else {
                        group.forEach((b) => b.reject(e));
                    }
                },
            );
        }
    }

    /**
     * Many transactions, in order: each is signed and pushed as soon as the one before it was
     * accepted (the node executes them in that order), and all are then awaited in blocks together,
     * in one scan. A transaction the chain rejects stops the pushing; those pushed before it are
     * still awaited, then the error is thrown.
     */
    async transactMany(transactions: Action[][][], progress?: (pushed: number, included: number, total: number) => void): Promise<void> {
        await this.assertChain();
        const pending: Pushed[] = [];
        let failure: unknown;
        // Each transaction is given as parts that must stay whole (an account's creation, a vote).
        // One the chain stops for its CPU time (a loaded machine, a low max_transaction_cpu_usage)
        // goes again as two, in order, down to a single part, which then gets the usual retries.
        const queue = [...transactions];
        let total = transactions.length;
        while (queue.length > 0) {
            const parts = queue.shift()!;
            try {
                pending.push(await this.signAndPush(parts.flat(), parts.length > 1));
                progress?.(pending.length, 0, total);
            } catch (e) {
                if (e instanceof TransactionTooLong && parts.length > 1) {
                    const half = Math.ceil(parts.length / 2);
                    queue.unshift(parts.slice(0, half), parts.slice(half));
                    total++;
                    continue;
                }
                failure = e;
                break;
            }
        }
        if (pending.length > 0) {
            const waited = this.waitAllInBlocks(pending, (n) => progress?.(pending.length, n, total));
            // The rejected push is the cause to report; what was pushed before it is still awaited.
            await (failure ? waited.catch(() => undefined) : waited);
        }
        if (failure) {
            throw failure;
        }
    }

    /** waitInBlock for many transactions at once: one scan of the blocks, resends as there. */
    private async waitAllInBlocks(pending: Pushed[], progress: (included: number) => void): Promise<void> {
        const left = new Map(pending.map((p) => [p.transactionId, { ...p, windowEnd: p.blockNum + 4, resends: 0 }]));
        let num = Math.min(...pending.map((p) => p.blockNum));
        await pollUntil(`${pending.length} transactions in blocks`, INCLUSION_TIMEOUT_MS + pending.length * 500, 100, async () => {
            const info = await this.getInfo();
            while (left.size > 0 && info.head_block_num >= num) {
                const block = await this.post<{ transactions?: { trx: string | { id: string } }[] }>("/v1/chain/get_block", { block_num_or_id: num });
                for (const t of block.transactions ?? []) {
                    left.delete(typeof t.trx === "string" ? t.trx : t.trx.id);
                }
                for (const p of left.values()) {
                    if (p.windowEnd > num) {
                        continue;
                    }
                    if (p.resends >= this.endpoints.length + 2) {
                        throw new Error(`transaction ${p.transactionId} is in none of blocks ${p.blockNum}..${num}, also after ${p.resends} resends to ${this.endpoints.length} nodes; ` +
                            "a node may still include it until it expires (5 minutes after it was signed): look before doing the same by hand");
                    }
                    p.resends++;
                    await this.resend(p, p.resends);
                    p.windowEnd = num + 8;
                }
                num++;
                progress(pending.length - left.size);
            }
            return left.size === 0;
        }, () => `${left.size} of ${pending.length} not yet seen, scanned up to block ${num - 1}`);
    }

    /**
     * The same signed transaction again, to the nodes in turn: the node it went to may still hold it
     * as a duplicate while the producers dropped it (a busy producer drops what runs out of time),
     * and another node that does not know it applies and relays it. Applied at most once either way.
     */
    private async resend(p: Pushed, attempt: number): Promise<void> {
        const signed = p.signed as unknown as { signatures: string[]; serializedTransaction: Uint8Array };
        const endpoint = this.endpoints[(this.current + attempt - 1) % this.endpoints.length];
        const body = { signatures: signed.signatures, compression: 0, packed_context_free_data: "", packed_trx: Buffer.from(signed.serializedTransaction).toString("hex") };
        try {
            const res = await fetchWithDeadline(`${endpoint}/v1/chain/push_transaction`, { method: "POST", body: JSON.stringify(body) });
            const text = await res.text();
            if (!res.ok && !/duplicate|tx_cpu_usage_exceeded|deadline|exhausted/i.test(text)) {
                const names = [...new Set(p.actions.map((a) => `${a.account}::${a.name}`))].join(", ");
                throw new TransactionError(`transaction [${names}] failed when sent again to ${endpoint}: ${text.slice(0, 300)}`, text);
            }
        } catch (e) {
            // A node that does not answer: the next resend goes to another one.
            if (!(e instanceof NodeUnreachable)) {
                throw e;
            }
        }
    }

    /**
     * Scans the blocks from the one the node executed the transaction in. When a few blocks pass
     * without it (an aborted block, a microfork while the schedule changes, a node too busy to
     * re-apply its queue) the same signed transaction is pushed again: a node that still knows it
     * answers "duplicate" and the scan goes on; otherwise it is applied now, at most once.
     */
    private async waitInBlock(transactionId: string, blockNum: number, signed: never, actions: Action[]): Promise<Included> {
        let num = blockNum;
        let windowEnd = blockNum + 4;
        let resends = 0;
        let foundIn = 0;
        await pollUntil(`transaction ${transactionId.slice(0, 12)} in a block`, INCLUSION_TIMEOUT_MS, 100, async () => {
            const info = await this.getInfo();
            while (info.head_block_num >= num) {
                const block = await this.post<{ transactions?: { trx: string | { id: string } }[] }>("/v1/chain/get_block", { block_num_or_id: num });
                const ids = (block.transactions ?? []).map((t) => (typeof t.trx === "string" ? t.trx : t.trx.id));
                if (ids.includes(transactionId)) {
                    foundIn = num;
                    return true;
                }
                if (num >= windowEnd) {
                    if (resends >= 3) {
                        throw new Error(`transaction ${transactionId} is in none of blocks ${blockNum}..${num}, also after ${resends} resends`);
                    }
                    resends++;
                    try {
                        const again = await this.pushSigned(signed, actions);
                        num = Math.min(num + 1, again.blockNum);
                    } catch (e) {
                        if (!(e instanceof TransactionError && /duplicate/i.test(e.message))) {
                            throw e;
                        }
                        num++;
                    }
                    windowEnd = num + 8;
                    continue;
                }
                num++;
            }
            return false;
        });
        return { transactionId, blockNum: foundIn };
    }
}

const MAX_BATCH_ACTIONS = 48;
/** A batch goes out once no caller joined it for this long, */
const BATCH_QUIET_MS = 50;
/** and at the latest this long after its first caller. */
const BATCH_MAX_WAIT_MS = 300;
/** The chain's own CPU limit for one transaction (max_transaction_cpu_usage, or the node's deadline). */
const TOO_LONG = /executing for too long/i;

/** A transaction stopped for its own CPU time: the same actions in smaller transactions can pass. */
export class TransactionTooLong extends TransactionError {}
const RETRY_PRIMARY_AFTER_MS = 30_000;

interface Pushed extends Included {
    signed: never;
    actions: Action[];
}

interface Batch {
    actions: Action[];
    resolve: (i: Included) => void;
    reject: (e: unknown) => void;
}

export interface PermissionLevelWeight {
    permission: Authorization;
    weight: number;
}

export interface Authority {
    threshold: number;
    keys: { key: string; weight: number }[];
    accounts: PermissionLevelWeight[];
    waits: { wait_sec: number; weight: number }[];
}

export interface AccountView {
    account_name: string;
    privileged: boolean;
    ram_quota: number;
    ram_usage: number;
    /** linked_actions: the actions linked to the permission (linkauth); an absent action is every action of the contract. */
    permissions: { perm_name: string; parent: string; required_auth: Authority; linked_actions?: { account: string; action?: string }[] }[];
    self_delegated_bandwidth?: { cpu_weight: string; net_weight: string } | null;
    core_liquid_balance?: string;
    voter_info?: { producers: string[]; proxy: string; is_proxy: number } | null;
}

/** A single-key authority's key (legacy form), or undefined for anything else. */
export function singleKey(auth: Authority | undefined): string | undefined {
    if (!auth || auth.threshold !== 1 || auth.keys.length !== 1 || auth.accounts.length > 0 || auth.waits.length > 0) {
        return undefined;
    }
    // The node writes keys in legacy form: no need to decode thousands of them (a Distribution reads every account).
    const k = auth.keys[0].key;
    return k.startsWith("EOS") ? k : legacyPublicKey(k);
}
