// What the running chain cannot carry out, decided from what it shows (no I/O): each problem
// names the config field to change.
import { scheduleChangeProblem } from "./election";

export interface ObservedChain {
    reachable: boolean;
    activeSchedule: string[];
    /** Who controls eosio: "eosio.prods" once it has resigned. */
    eosioController: string;
    existingAccounts: string[];
}

/**
 * Problems of moving the running chain to the configured plan: a schedule smaller than the
 * running one, and accounts eosio would have to create after its resignation.
 * `paths` maps each producer/account name to its config path.
 */
export function chainRefusals(chain: ObservedChain, desiredSchedule: string[], paths: Map<string, string>): string[] {
    if (!chain.reachable) {
        return [];
    }
    const problems: string[] = [];
    const shrink = scheduleChangeProblem(chain.activeSchedule, desiredSchedule);
    if (shrink) {
        problems.push(`eos-network:accounts: ${shrink}`);
    }
    if (chain.eosioController === "eosio.prods") {
        // Only eosio creates accounts here, and after the resignation it cannot sign alone.
        const existing = new Set(chain.existingAccounts);
        for (const [account, where] of paths) {
            if (!existing.has(account)) {
                problems.push(`${where}: ${account} is not on the chain, and eosio has resigned to eosio.prods, so it cannot be created; ` +
                    "reset the network (npm run destroy, then npm run up), or set eos-network:resign to false for a network that grows");
            }
        }
    }
    return problems;
}
