// Small pieces the chain resource modules share.
import { formatAsset, readAnyAsset } from "../../rules/assets";
import type { Authorization } from "./client";

/** `actor@active`, the authorization almost every action here uses. */
export function active(actor: string): Authorization[] {
    return [{ actor, permission: "active" }];
}

/** Units of an asset string ("12.3400 SYS" -> 123400n), or 0 for "" (nothing). */
export function assetUnits(text: string | undefined): bigint {
    if (!text) {
        return 0n;
    }
    const r = readAnyAsset(text.trim());
    if (!r) {
        throw new Error(`'${text}' is not an asset like "1.0000 SYS"`);
    }
    return r.units;
}

/** An amount of units in the symbol and precision of `like` ("1.0000 SYS"). */
export function assetLike(units: bigint, like: string): string {
    const r = readAnyAsset(like.trim());
    if (!r) {
        throw new Error(`'${like}' is not an asset`);
    }
    return formatAsset(units, r.symbol);
}

/** Sorted copy, for comparing sets the chain and config list in any order. */
export function sorted(list: readonly string[]): string[] {
    return [...list].sort();
}
