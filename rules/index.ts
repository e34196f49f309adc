// One home for each Antelope rule and each of the project's naming rules; config, planning, the
// provider and the policy pack all import from here. Nothing here imports anything.
export * from "./assets";
export * from "./names";
export * from "./schedule";
export * from "./labels";
