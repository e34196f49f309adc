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
