// Reading the chain's HTTP API from the program: progress and the active schedule.
import { getAccount, post } from "../providers/chain/client";

export interface ChainInfo {
    chain_id: string;
    head_block_num: number;
    last_irreversible_block_num: number;
    head_block_producer: string;
    server_version_string?: string;
}

export async function getInfo(endpoint: string): Promise<ChainInfo> {
    return (await post(endpoint, "/v1/chain/get_info", {})) as ChainInfo;
}

/** Names in the chain's active producer schedule. */
export async function getActiveSchedule(endpoint: string): Promise<string[]> {
    const sched = await post(endpoint, "/v1/chain/get_producer_schedule", {});
    return (sched.active?.producers ?? []).map((p: { producer_name: string }) => p.producer_name);
}

/** Whether eosio has handed its owner authority to eosio.prods (the boot's resignation). */
export async function eosioResigned(endpoint: string): Promise<boolean> {
    const eosio = await getAccount(endpoint, "eosio");
    const owner = (eosio?.permissions ?? []).find((p: { perm_name: string }) => p.perm_name === "owner");
    return (owner?.required_auth?.keys ?? []).length === 0 && (owner?.required_auth?.accounts ?? []).some((a: any) => a.permission.actor === "eosio.prods");
}

/** Which of `names` exist on the chain: registered producers and voters in two reads, the rest one by one. */
export async function existingAccounts(endpoint: string, names: string[]): Promise<Set<string>> {
    const rows = async (table: string) => {
        const out: string[] = [];
        let lower = "";
        for (;;) {
            const r = await post(endpoint, "/v1/chain/get_table_rows", { json: true, code: "eosio", scope: "eosio", table, lower_bound: lower, limit: 1000 });
            out.push(...r.rows.map((row: { owner: string }) => row.owner));
            if (!r.more) {
                return out;
            }
            lower = r.next_key;
        }
    };
    const found = new Set([...(await rows("producers")), ...(await rows("voters"))]);
    for (const name of names.filter((n) => !found.has(n))) {
        if (await getAccount(endpoint, name)) {
            found.add(name);
        }
    }
    return new Set(names.filter((n) => found.has(n)));
}
