// What the team's accounts get and where each is configured, from validated config (no I/O).
import type { StackConfig } from "../config";
import { formatAsset, parseAsset, splitFunds } from "../rules/assets";
import { coreSymbol, FundedAccount } from "./network";

/** Each team account's RAM/CPU/NET/liquid: its funds split by the stake rule, or as configured. */
export function teamFunding(cfg: StackConfig): Omit<FundedAccount, "role">[] {
    const sym = coreSymbol(cfg);
    const rule = {
        ram: parseAsset(cfg.stakeRule.ram, sym),
        minStake: parseAsset(cfg.stakeRule.minStake, sym),
        maxLiquid: parseAsset(cfg.stakeRule.maxLiquid, sym),
    };
    return cfg.teamAccounts.map((a) => {
        if (a.funds !== undefined) {
            const split = splitFunds(parseAsset(a.funds, sym), rule);
            return {
                name: a.name, ram: formatAsset(split.ram, sym), cpu: formatAsset(split.cpu, sym), net: formatAsset(split.net, sym),
                liquid: split.liquid > 0n ? formatAsset(split.liquid, sym) : "",
            };
        }
        return { name: a.name, ram: a.ram ?? "", cpu: a.cpu ?? "", net: a.net ?? "", liquid: a.liquid ?? "" };
    });
}

/** Config path of each team account's name (refusals name it). */
export function teamConfigPaths(cfg: StackConfig): Map<string, string> {
    return new Map(cfg.teamAccounts.map((a, i) => [a.name, `eos-network:teamAccounts[${i}].name`]));
}

/** The stake (CPU + NET) each team account is given, with the path of the field that sets it. */
export function teamStakes(cfg: StackConfig): Map<string, { staked: string; path: string }> {
    const sym = coreSymbol(cfg);
    const funding = teamFunding(cfg);
    return new Map(cfg.teamAccounts.map((a, i) => {
        const f = funding[i];
        const units = (f.cpu ? parseAsset(f.cpu, sym) : 0n) + (f.net ? parseAsset(f.net, sym) : 0n);
        return [a.name, { staked: formatAsset(units, sym), path: `eos-network:teamAccounts[${i}].${a.funds !== undefined ? "funds" : "cpu"}` }];
    }));
}
