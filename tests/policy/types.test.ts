// Every type token a policy rule reads occurs in the dev stack's plan: a renamed type would
// otherwise make a rule pass silently. The program itself runs (index.ts under Pulumi's mocks).
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RULE_TYPES } from "../../policies/rules";
import { installMocks, settled } from "../mocks";
import { stackConfigMap, withFixtureContracts } from "../stackFiles";

describe("policy: the rules' type tokens occur in the dev stack's plan", function () {
    const types = new Set<string>();

    before(async () => {
        installMocks("dev", (args) => types.add(args.type));
        // The dev stack as committed, its system contracts from the test stand-ins (no setup needed).
        pulumi.runtime.setAllConfig(withFixtureContracts(stackConfigMap("dev")), []);
        const program: () => Promise<unknown> = require("../../index");
        await program();
        await settled();
    });

    for (const [rule, tokens] of Object.entries(RULE_TYPES)) {
        it(`${rule}: ${tokens.join(", ")}`, () => {
            for (const t of tokens) {
                assert.ok(types.has(t), `${rule} reads ${t}, which the dev plan does not have (it has ${[...types].sort().join(", ")})`);
            }
        });
    }
});
