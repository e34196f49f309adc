// The chain's own time for a producer swap: from the block holding the vote to the moment LIB
// reached the first block produced under the new schedule. A watcher polls the node while the
// stack's `up` runs; afterwards the blocks themselves say when the vote landed and where the new
// schedule begins.
import { JsonRpc } from "eosjs";
import { fetchWithDeadline } from "../../provider/chain/client";

export interface Sample {
    /** Wall clock, ms since the epoch. */
    at: number;
    head: number;
    lib: number;
    version: number;
    producers: string[];
}

export function rpcFor(endpoint: string): JsonRpc {
    return new JsonRpc(endpoint, { fetch: ((url: string, init: { method?: string; body?: string }) => fetchWithDeadline(url, init, 15_000)) as never });
}

export class ChainWatch {
    readonly samples: Sample[] = [];
    private timer: NodeJS.Timeout | undefined;
    private busy = false;

    constructor(private readonly rpc: JsonRpc, private readonly everyMs = 200) {}

    start(): void {
        this.timer = setInterval(() => {
            if (this.busy) {
                return;
            }
            this.busy = true;
            void this.sample().catch(() => undefined).finally(() => {
                this.busy = false;
            });
        }, this.everyMs);
    }

    async sample(): Promise<Sample> {
        const [info, s] = await Promise.all([
            this.rpc.get_info(),
            this.rpc.get_producer_schedule() as Promise<{ active: { version: number; producers: { producer_name: string }[] } }>,
        ]);
        const x = { at: Date.now(), head: info.head_block_num, lib: info.last_irreversible_block_num, version: s.active.version, producers: s.active.producers.map((p) => p.producer_name).sort() };
        this.samples.push(x);
        return x;
    }

    stop(): void {
        if (this.timer) {
            clearInterval(this.timer);
        }
    }
}

/** Block time (ms since the epoch) of a block; Antelope block timestamps are UTC without a zone. */
export function blockTime(timestamp: string): number {
    return Date.parse(timestamp.endsWith("Z") ? timestamp : `${timestamp}Z`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Block = { block_num: number; timestamp: string; schedule_version?: number; transactions?: any[] };

/** The first block in [from, to] holding an action `account::name`, if any. */
export async function firstBlockWithAction(rpc: JsonRpc, from: number, to: number, account: string, name: string): Promise<Block | undefined> {
    for (let n = from; n <= to; n++) {
        const b = (await rpc.get_block(n)) as Block;
        for (const t of b.transactions ?? []) {
            const actions = typeof t.trx === "object" ? t.trx.transaction?.actions ?? [] : [];
            if (actions.some((a: { account: string; name: string }) => a.account === account && a.name === name)) {
                return b;
            }
        }
    }
    return undefined;
}

/** The first block in [from, to] whose schedule_version is at least `version` (binary search). */
export async function firstBlockOfVersion(rpc: JsonRpc, from: number, to: number, version: number): Promise<Block | undefined> {
    let lo = from;
    let hi = to;
    let found: Block | undefined;
    while (lo <= hi) {
        const mid = Math.floor((lo + hi) / 2);
        const b = (await rpc.get_block(mid)) as Block;
        if ((b.schedule_version ?? 0) >= version) {
            found = b;
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    return found;
}

export interface SwapTiming {
    /** Wall clock of the block holding the first vote of the swap. */
    voteAt: number;
    voteBlock: number;
    version: number;
    /** When the watcher first saw the new schedule active. */
    activeAt: number;
    firstBlock: number;
    /** When the watcher first saw LIB at or past the first block of the new schedule. */
    irreversibleAt: number;
    /** irreversibleAt - voteAt, seconds: the chain's floor for the swap. */
    chainSeconds: number;
}

/** Reads the swap's chain timing from the watcher's samples and the blocks (after the up). */
export async function swapTiming(rpc: JsonRpc, samples: Sample[], startHead: number, want: string[]): Promise<SwapTiming> {
    const target = JSON.stringify([...want].sort());
    const active = samples.find((s) => JSON.stringify(s.producers) === target);
    if (!active) {
        throw new Error(`the watcher never saw the schedule [${want.join(", ")}] active`);
    }
    const last = samples[samples.length - 1];
    const vote = await firstBlockWithAction(rpc, startHead + 1, last.head, "eosio", "voteproducer");
    if (!vote) {
        throw new Error(`no voteproducer in blocks ${startHead + 1}..${last.head}`);
    }
    const first = await firstBlockOfVersion(rpc, vote.block_num, last.head, active.version);
    if (!first) {
        throw new Error(`no block of schedule v${active.version} in ${vote.block_num}..${last.head}`);
    }
    const irreversible = samples.find((s) => s.lib >= first.block_num);
    if (!irreversible) {
        throw new Error(`the watcher never saw LIB reach block ${first.block_num}`);
    }
    const voteAt = blockTime(vote.timestamp);
    return {
        voteAt,
        voteBlock: vote.block_num,
        version: active.version,
        activeAt: active.at,
        firstBlock: first.block_num,
        irreversibleAt: irreversible.at,
        chainSeconds: (irreversible.at - voteAt) / 1000,
    };
}
