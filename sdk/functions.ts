// Typed program-side calls of the eosnet provider's functions.
import * as pulumi from "./pulumi";
import type { ChainState, ChainStateInputs } from "../provider/chain/chainState.schema";

export type { ChainState };

/**
 * What the running chain shows (schedule, resignation, which of `accounts` and of the
 * distribution's accounts exist, the funds of those that may hold less than their planned stake
 * and of those given none), read through
 * `provider`. Before the network runs, or while the provider's configuration is not known yet
 * (preview of a new stack), it reports `reachable: false`.
 */
export function getChainState(provider: pulumi.ProviderResource, accounts: string[],
    opts: { coreSymbol?: string; plannedStakes?: Record<string, string>; distribution?: ChainStateInputs["distribution"]; dependsOn?: pulumi.Input<pulumi.Resource[]> } = {}): pulumi.Output<ChainState> {
    const args = { accounts, coreSymbol: opts.coreSymbol ?? "", plannedStakes: opts.plannedStakes ?? {}, ...(opts.distribution ? { distribution: opts.distribution } : {}) };
    return pulumi.runtime.invokeOutput<Partial<ChainState>>("eosnet:chain:getChainState", args, { provider, dependsOn: opts.dependsOn })
        .apply((s) => ({
            reachable: s?.reachable ?? false,
            chainId: s?.chainId ?? "",
            headBlock: s?.headBlock ?? 0,
            lib: s?.lib ?? 0,
            activeSchedule: s?.activeSchedule ?? [],
            eosioController: s?.eosioController ?? "",
            existingAccounts: s?.existingAccounts ?? [],
            accounts: s?.accounts ?? [],
            tokenMaxSupply: s?.tokenMaxSupply ?? "",
            tokenIssuer: s?.tokenIssuer ?? "",
            foreignChainId: s?.foreignChainId,
        }));
}
