// The committed stack files, read the way Pulumi hands them to the program.
import * as fs from "fs";
import * as path from "path";

/** `eos-network:*` values of Pulumi.<stack>.yaml as Pulumi's config map holds them (objects as JSON text). */
export function stackConfigMap(stack: string): Record<string, string> {
    const text = fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8");
    const yaml = require("js-yaml") as typeof import("js-yaml");
    const doc = yaml.load(text) as { config: Record<string, unknown> };
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc.config)) {
        all[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
    }
    return all;
}

/** Stand-ins for the boot's system contracts (tests/fixtures/contracts): no setup needed. */
export const FIXTURE_CONTRACTS_DIR = path.join(__dirname, "fixtures", "contracts");

/** `all` with eos-network:contracts pointed at the fixture contracts (a program run needs no .eosnet/). */
export function withFixtureContracts(all: Record<string, string>): Record<string, string> {
    return { ...all, "eos-network:contracts": JSON.stringify({ dir: FIXTURE_CONTRACTS_DIR }) };
}
