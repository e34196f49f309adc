// Antelope asset arithmetic in integer units (no floating point): pure, no imports.

export interface CoreSymbol {
    code: string;
    precision: number;
}

const ASSET = /^(-?\d+)(?:\.(\d+))? ([A-Z]{1,7})$/;

/** What an asset string says in `symbol`, or which part of it is wrong (callers word the message). */
export type AssetReading =
    | { kind: "units"; units: bigint }
    | { kind: "shape" }
    | { kind: "symbol"; code: string }
    | { kind: "precision"; decimals: number };

/** Units and symbol of an asset string in whatever symbol it names, or undefined if it is not one. */
export function readAnyAsset(text: string): { units: bigint; symbol: CoreSymbol } | undefined {
    const m = ASSET.exec(text);
    if (!m) {
        return undefined;
    }
    const [, whole, frac = "", code] = m;
    const units = BigInt(whole.replace("-", "")) * 10n ** BigInt(frac.length) + BigInt(frac || "0");
    return { units: whole.startsWith("-") ? -units : units, symbol: { code, precision: frac.length } };
}

export function readAsset(text: string, symbol: CoreSymbol): AssetReading {
    const r = readAnyAsset(text);
    if (!r) {
        return { kind: "shape" };
    }
    if (r.symbol.code !== symbol.code) {
        return { kind: "symbol", code: r.symbol.code };
    }
    if (r.symbol.precision !== symbol.precision) {
        return { kind: "precision", decimals: r.symbol.precision };
    }
    return { kind: "units", units: r.units };
}

/** Units of an asset string like "1000.0000 SYS"; the precision must match the symbol's exactly. */
export function parseAsset(text: string, symbol: CoreSymbol): bigint {
    const r = readAsset(text.trim(), symbol);
    switch (r.kind) {
        case "units":
            return r.units;
        case "shape":
            throw new Error(`'${text}' is not an asset like "1000.${"0".repeat(symbol.precision)} ${symbol.code}"`);
        case "symbol":
            throw new Error(`'${text}' is in ${r.code}, expected ${symbol.code}`);
        case "precision":
            throw new Error(`'${text}' has ${r.decimals} decimals, ${symbol.code} has ${symbol.precision}`);
    }
}

export function formatAsset(units: bigint, symbol: CoreSymbol): string {
    const neg = units < 0n;
    const abs = neg ? -units : units;
    const scale = 10n ** BigInt(symbol.precision);
    const whole = abs / scale;
    const frac = (abs % scale).toString().padStart(symbol.precision, "0");
    return `${neg ? "-" : ""}${whole}${symbol.precision > 0 ? "." + frac : ""} ${symbol.code}`;
}

export interface StakeRule {
    /** Spent on RAM first. */
    ram: bigint;
    /** Staked at least (split evenly CPU/NET) before anything stays liquid. */
    minStake: bigint;
    /** Liquid at most; the rest is staked. */
    maxLiquid: bigint;
}

export interface StakeSplit {
    ram: bigint;
    cpu: bigint;
    net: bigint;
    liquid: bigint;
}

/**
 * The reference boot sequence's rule: RAM first, then a minimum stake split CPU/NET, then up to
 * `maxLiquid` liquid, and all the rest staked 50/50 (NET gets the smaller half of an odd unit).
 */
export function splitFunds(funds: bigint, rule: StakeRule): StakeSplit {
    if (funds < rule.ram) {
        throw new Error(`funds ${funds} do not cover the RAM purchase ${rule.ram}`);
    }
    const afterRam = funds - rule.ram;
    const minStake = afterRam < rule.minStake ? afterRam : rule.minStake;
    const liquidRoom = afterRam - minStake;
    const liquid = liquidRoom < rule.maxLiquid ? liquidRoom : rule.maxLiquid;
    const stake = afterRam - liquid;
    const net = stake / 2n;
    return { ram: rule.ram, cpu: stake - net, net, liquid };
}
