// Reading the chain's HTTP API from the program (get_info is all a reader needs here).
import { post } from "../providers/chain/client";

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
