// Every type token a policy rule reads occurs in the dev stack's plan: a renamed type would
// otherwise make a rule pass silently. The program itself runs (index.ts under Pulumi's mocks).
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RULE_TYPES } from "../../policies/rules";
import { stackConfigMap } from "../stackFiles";

describe("policy: the rules' type tokens occur in the dev stack's plan", function () {
    const types = new Set<string>();

    before(async () => {
        pulumi.runtime.setMocks(
            {
                newResource(args) {
                    types.add(args.type);
                    const state: Record<string, unknown> = { ...args.inputs };
                    if (args.type.endsWith(":KeyPair")) {
                        state.publicKey = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";
                        state.privateKey = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
                    }
                    return { id: `${args.name}-id`, state };
                },
                call() {
                    return {};
                },
            },
            "eos-network",
            "dev",
            true,
        );
        pulumi.runtime.setAllConfig(stackConfigMap("dev"), []);
        const program: () => Promise<unknown> = require("../../index");
        await program();
        await new Promise((r) => setTimeout(r, 500));
    });

    for (const [rule, tokens] of Object.entries(RULE_TYPES)) {
        it(`${rule}: ${tokens.join(", ")}`, () => {
            for (const t of tokens) {
                assert.ok(types.has(t), `${rule} reads ${t}, which the dev plan does not have (it has ${[...types].sort().join(", ")})`);
            }
        });
    }
});
