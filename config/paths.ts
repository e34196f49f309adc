// Where a config problem is: a field's path, and the form `pulumi config set --path` takes.

/** A config field, as zod paths are: ["producers", 2, "funds"]. */
export type ConfigPath = (string | number)[];

export interface Problem {
    path: ConfigPath;
    message: string;
}

/** `eos-network:producers[2].name`. */
export function configPath(path: ConfigPath): string {
    return `eos-network:${path.map((x) => (typeof x === "number" ? `[${x}]` : `.${String(x)}`)).join("").slice(1)}`;
}
