// Every type token a policy rule reads occurs in the plan it is meant for: a renamed type would
// otherwise make a rule pass silently. The program itself runs (index.ts under Pulumi's mocks), as
// the dev stack is committed and with its nodes on a cluster host.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RULE_TYPES, RULE_TYPES_ON_CLUSTER } from "../../policies/rules";
import { installMocks, settled } from "../mocks";
import { stackConfigMap, withFixtureContracts } from "../stackFiles";

/** The resource types the program registers with `config` (dev's system contracts from the test stand-ins: no setup needed). */
async function typesOf(config: Record<string, string>, secretKeys: string[] = []): Promise<Set<string>> {
    const types = new Set<string>();
    installMocks("dev", (args) => types.add(args.type));
    pulumi.runtime.setAllConfig(withFixtureContracts(config), secretKeys);
    const program: () => Promise<unknown> = require("../../index");
    await program();
    await settled();
    return types;
}

function checkTokens(rules: Record<string, string[]>, types: () => Set<string>, plan: string): void {
    for (const [rule, tokens] of Object.entries(rules)) {
        it(`${rule}: ${tokens.join(", ")}`, () => {
            for (const t of tokens) {
                assert.ok(types().has(t), `${rule} reads ${t}, which ${plan} does not have (it has ${[...types()].sort().join(", ")})`);
            }
        });
    }
}

describe("policy: the rules' type tokens occur in the dev stack's plan", function () {
    let types = new Set<string>();
    before(async () => {
        types = await typesOf(stackConfigMap("dev"));
    });
    checkTokens(RULE_TYPES, () => types, "the dev plan");
});

describe("policy: the node rules' type tokens occur in the plan of the dev stack on a cluster host", function () {
    let types = new Set<string>();
    before(async () => {
        types = await typesOf({
            ...stackConfigMap("dev"),
            "eos-network:hosts": JSON.stringify([{ name: "cluster1", kubernetes: { namespace: "eosnet" }, address: "10.241.0.2" }]),
            "eos-network:hostCredentials": JSON.stringify({ cluster1: { kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n" } }),
        }, ["eos-network:hostCredentials"]);
        assert.ok(!types.has(RULE_TYPES["http-loopback-only"][0]), "no container on a cluster host");
    });
    checkTokens(RULE_TYPES_ON_CLUSTER, () => types, "the cluster plan");
});
