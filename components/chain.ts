// Reading the chain's HTTP API (plain fetch: get_info is all a reader needs here).
export interface ChainInfo {
    chain_id: string;
    head_block_num: number;
    last_irreversible_block_num: number;
    head_block_producer: string;
    server_version_string?: string;
}

export async function getInfo(endpoint: string): Promise<ChainInfo> {
    const res = await fetch(`${endpoint}/v1/chain/get_info`, { method: "POST", body: "{}" });
    if (!res.ok) {
        throw new Error(`get_info at ${endpoint} answered ${res.status}: ${await res.text()}`);
    }
    return (await res.json()) as ChainInfo;
}
