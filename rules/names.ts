// Antelope names: accounts, permissions and the system's own accounts. Pure, no imports.

/** An Antelope name: up to 12 of a-z, 1-5 and '.' (actions, permissions, tables). */
export const NAME_PATTERN = /^[a-z1-5.]{1,12}$/;

/** What a name may hold, for messages. */
export const NAME_FORM = "up to 12 of a-z, 1-5 and '.'";

/** An account name: a name that does not end with '.'. */
export function isAccountName(text: string): boolean {
    return NAME_PATTERN.test(text) && !text.endsWith(".");
}

/** actor@permission, e.g. teamtoken@active. */
export const PERMISSION_LEVEL_PATTERN = /^[a-z1-5.]{1,12}@[a-z1-5.]{1,12}$/;

/** eosio and eosio.*: names only the system creates. */
export function isSystemName(name: string): boolean {
    return name === "eosio" || name.startsWith("eosio.");
}

/** The system accounts a boot creates (the reference boot sequence's list). */
export const SYSTEM_ACCOUNTS = [
    "eosio.bpay", "eosio.msig", "eosio.names", "eosio.ram", "eosio.ramfee",
    "eosio.saving", "eosio.stake", "eosio.token", "eosio.vpay", "eosio.rex",
];

/** How keys are written, for messages (the key math is in keys/keys.ts). */
export const PUBLIC_KEY_FORM = "EOS... or PUB_K1_...";
export const PRIVATE_KEY_FORM = "5... or PVT_K1_...";
