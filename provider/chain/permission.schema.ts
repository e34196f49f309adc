// eosnet:chain:Permission's inputs and outputs (only zod and rules/: the SDK loads this in the program).
import { z } from "zod";
import { NAME_PATTERN } from "../../rules/names";

const name = z.string().regex(NAME_PATTERN, "an Antelope name");
const weight = z.number().int().min(1).max(65535).describe("The weight it adds towards the threshold.");

export const PermissionInputs = z.object({
    account: name.describe("The account the permission belongs to."),
    permission: name.refine((p) => p !== "owner" && p !== "active", "owner and active belong to the account itself (eosnet:chain:Account)")
        .describe("The permission's name (not owner or active)."),
    parent: name.default("active").describe("The parent permission; the chain cannot move a permission to another parent."),
    threshold: z.number().int().min(1).describe("The weight that satisfies the permission."),
    keys: z.array(z.object({ key: z.string().min(1).describe("A public key."), weight })).default([])
        .describe("Weighted public keys of the authority."),
    accounts: z.array(z.object({ actor: name.describe("The account."), permission: name.describe("Its permission."), weight })).default([])
        .describe("Weighted account permissions (actor@permission) of the authority."),
    waits: z.array(z.object({ waitSec: z.number().int().min(1).describe("The delay in seconds."), weight })).default([])
        .describe("Weighted waits (delays) of the authority."),
});
export type PermissionInputs = z.infer<typeof PermissionInputs>;
export const PermissionOutputs = PermissionInputs.extend({});
export type PermissionOutputs = z.infer<typeof PermissionOutputs>;
