// Chain access for dynamic providers: eosjs is imported lazily inside each call so that provider
// closures serialize small, and every write waits for its transaction to be in a block.

export interface Action {
    account: string;
    name: string;
    authorization: { actor: string; permission: string }[];
    data: unknown;
}

export interface Included {
    transactionId: string;
    blockNum: number;
}

/** ABI of the native actions of `eosio`, for the time before any contract is set on it. */
export const NATIVE_EOSIO_ABI = {
    version: "eosio::abi/1.1",
    types: [],
    structs: [
        {
            name: "setcode",
            base: "",
            fields: [
                { name: "account", type: "name" },
                { name: "vmtype", type: "uint8" },
                { name: "vmversion", type: "uint8" },
                { name: "code", type: "bytes" },
            ],
        },
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

export async function connect(endpoint: string, privateKeys: string[]) {
    const { Api, JsonRpc } = await import("eosjs");
    const { JsSignatureProvider } = await import("eosjs/dist/eosjs-jssig");
    const rpc = new JsonRpc(endpoint, { fetch: fetch as any });
    const api = new Api({
        rpc,
        signatureProvider: new JsSignatureProvider(privateKeys),
        textDecoder: new TextDecoder() as any,
        textEncoder: new TextEncoder(),
    });
    return { rpc, api };
}

export type Connection = Awaited<ReturnType<typeof connect>>;

/** Reads an RPC error's chain message (eosjs RpcError carries the node's JSON). */
export function describeError(e: unknown): string {
    const err = e as { json?: any; message?: string };
    const details = err?.json?.error?.details;
    if (Array.isArray(details) && details.length > 0) {
        return details.map((d: any) => d.message).join("; ");
    }
    return err?.message ?? String(e);
}

/** Time-limit failures that say nothing about the transaction itself. */
export function isTransientCpuFailure(message: string): boolean {
    return /executing for too long|deadline exceeded|tx_cpu_usage_exceeded|billed CPU time .* is greater than/i.test(message);
}

/** Pushes one transaction and resolves once a block holding it is on the chain. */
export async function transact(conn: Connection, actions: Action[], timeoutMs = 60_000): Promise<Included> {
    let result: any;
    for (let attempt = 1; ; attempt++) {
        try {
            result = await conn.api.transact({ actions }, { useLastIrreversible: true, expireSeconds: 300 });
            break;
        } catch (e) {
            const why = describeError(e);
            // A node that runs out of time on a busy machine rejects the transaction whole: safe to resend.
            if (attempt < 4 && isTransientCpuFailure(why)) {
                await new Promise((r) => setTimeout(r, 500 * attempt));
                continue;
            }
            const names = actions.map((a) => `${a.account}::${a.name}`).join(", ");
            throw new Error(`transaction [${names}] failed${attempt > 1 ? ` after ${attempt} attempts` : ""}: ${why}`);
        }
    }
    const transactionId: string = result.transaction_id;
    const blockNum: number = result.processed?.block_num;
    await waitForTransactionInBlock(conn, transactionId, blockNum, timeoutMs);
    return { transactionId, blockNum };
}

export async function waitForTransactionInBlock(conn: Connection, transactionId: string, blockNum: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // A transaction can land a block or two after the one it was speculatively executed in.
    for (let num = blockNum; ; ) {
        const info = await conn.rpc.get_info();
        if (info.head_block_num >= num) {
            const block: any = await conn.rpc.get_block(num);
            const ids = (block.transactions || []).map((t: any) => (typeof t.trx === "string" ? t.trx : t.trx.id));
            if (ids.includes(transactionId)) {
                return;
            }
            if (num < blockNum + 4) {
                num++;
                continue;
            }
            throw new Error(`transaction ${transactionId} is in none of blocks ${blockNum}..${num}`);
        }
        if (Date.now() > deadline) {
            throw new Error(`transaction ${transactionId} not in a block after ${timeoutMs / 1000}s (head ${info.head_block_num})`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}

/** ABI JSON with the optional arrays some toolchains omit, so eosjs can serialize it. */
export function normalizeAbi(abi: any): any {
    const out = { ...abi };
    for (const k of ["types", "structs", "actions", "tables", "ricardian_clauses", "error_messages", "abi_extensions", "variants"]) {
        if (!Array.isArray(out[k])) {
            out[k] = [];
        }
    }
    return out;
}

/** The raw (binary) form of an ABI JSON text, as setabi stores it. */
export function rawAbi(conn: Connection, abiJson: string): Buffer {
    return Buffer.from(conn.api.jsonToRawAbi(normalizeAbi(JSON.parse(abiJson))));
}

/** setcode + setabi actions for `account` from wasm bytes and ABI JSON text. */
export function setContractActions(conn: Connection, account: string, wasm: Buffer, abiJson: string): Action[] {
    const auth = [{ actor: account, permission: "active" }];
    return [
        { account: "eosio", name: "setcode", authorization: auth, data: { account, vmtype: 0, vmversion: 0, code: wasm.toString("hex") } },
        { account: "eosio", name: "setabi", authorization: auth, data: { account, abi: rawAbi(conn, abiJson).toString("hex") } },
    ];
}

/** Lets eosjs serialize setcode/setabi on a chain where `eosio` has no ABI yet. */
export async function ensureEosioAbi(conn: Connection): Promise<void> {
    const raw: any = await conn.rpc.fetch("/v1/chain/get_raw_abi", { account_name: "eosio" });
    if (!raw.abi) {
        conn.api.cachedAbis.set("eosio", { rawAbi: conn.api.jsonToRawAbi(NATIVE_EOSIO_ABI as any), abi: NATIVE_EOSIO_ABI as any });
    }
}

/** An account as get_account shows it, or undefined if the chain has no such account. */
export async function getAccount(endpoint: string, name: string): Promise<any | undefined> {
    const res = await fetch(`${endpoint}/v1/chain/get_account`, { method: "POST", body: JSON.stringify({ account_name: name }) });
    if (res.ok) {
        return res.json();
    }
    const text = await res.text();
    if (text.includes("unknown key") || text.includes("account_query_exception") || res.status === 500) {
        return undefined;
    }
    throw new Error(`get_account ${name} answered ${res.status}: ${text}`);
}

export async function post(endpoint: string, path: string, body: unknown): Promise<any> {
    const res = await fetch(`${endpoint}${path}`, { method: "POST", body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) {
        throw new Error(`${path} at ${endpoint} answered ${res.status}: ${text}`);
    }
    return JSON.parse(text);
}
