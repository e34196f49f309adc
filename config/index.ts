// The stack configuration: fields (schema.ts, team.ts), checks across them over the plan
// (checks.ts), and loading a program run's config (load.ts).
export * from "./paths";
export * from "./schema";
export * from "./team";
export * from "./checks";
export * from "./load";
