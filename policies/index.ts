// The eos-network policy pack: `pulumi preview --policy-pack policies` (npm run up/preview use it).
import { PolicyPack } from "@pulumi/policy";
import { advisoryRules, mandatoryRules } from "./rules";

new PolicyPack("eos-network", {
    policies: [...mandatoryRules, ...advisoryRules],
});
