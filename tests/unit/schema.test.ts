// GetSchema describes every input: each property of each resource and of the provider has a
// description (the zod schemas' .describe()), and functions are listed with inputs and outputs.
import { strict as assert } from "assert";
import { EosnetProvider } from "../../provider/provider";
import { TYPES } from "../../sdk/types";

interface PropertySpec { description?: string; type?: string; $ref?: string }
interface ObjectSpec { properties: Record<string, PropertySpec>; required: string[] }

describe("package schema: descriptions and functions", () => {
    let schema: {
        resources: Record<string, { description: string; inputProperties: Record<string, PropertySpec> }>;
        provider: { inputProperties: Record<string, PropertySpec> };
        config: { variables: Record<string, PropertySpec> };
        functions: Record<string, { description: string; inputs: ObjectSpec; outputs: ObjectSpec }>;
    };
    before(async () => {
        schema = JSON.parse(await new EosnetProvider("0.0.0-test", { log: () => undefined }).getSchema());
    });

    it("describes every input property of every resource", () => {
        assert.deepEqual(Object.keys(schema.resources).sort(), Object.values(TYPES).sort());
        const missing: string[] = [];
        for (const [token, r] of Object.entries(schema.resources)) {
            assert.ok(r.description.trim(), `${token} has a description`);
            assert.ok(Object.keys(r.inputProperties).length > 0, `${token} has inputs`);
            for (const [k, p] of Object.entries(r.inputProperties)) {
                if (!p.description?.trim()) {
                    missing.push(`${token}.${k}`);
                }
            }
        }
        assert.deepEqual(missing, [], "inputs without a description");
    });

    it("describes every property of the provider's configuration", () => {
        const props = Object.entries(schema.provider.inputProperties);
        assert.deepEqual(props.map(([k]) => k).sort(), ["chainId", "dockerHost", "endpoint", "fallbackEndpoints", "hostAddress", "hostName", "keys", "sshHostKey", "sshKey", "tlsCa", "tlsCert", "tlsKey"]);
        assert.deepEqual(props.filter(([, p]) => !p.description?.trim()).map(([k]) => k), []);
        assert.deepEqual(Object.keys(schema.config.variables).sort(), props.map(([k]) => k).sort());
    });

    it("lists getChainState under functions, with described inputs and outputs", () => {
        const f = schema.functions["eosnet:chain:getChainState"];
        assert.ok(f, "getChainState is a function of the package");
        assert.ok(f.description.trim());
        assert.deepEqual(Object.keys(f.inputs.properties).sort(), ["accounts", "coreSymbol", "distribution", "plannedStakes"]);
        assert.ok(!(f.inputs.required ?? []).includes("distribution"), "a plan without a distribution sends none");
        assert.ok(f.inputs.properties.distribution.description);
        assert.equal(f.inputs.properties.accounts.type, "array");
        assert.equal(f.inputs.properties.plannedStakes.type, "object");
        assert.equal((f.inputs.properties.plannedStakes as { additionalProperties?: { type?: string } }).additionalProperties?.type, "string");
        for (const k of ["reachable", "chainId", "headBlock", "lib", "activeSchedule", "eosioController", "existingAccounts", "accounts", "tokenMaxSupply", "tokenIssuer", "foreignChainId"]) {
            assert.ok(f.outputs.properties[k]?.description, `output ${k} is described`);
        }
        assert.equal(f.outputs.properties.reachable.type, "boolean");
        assert.ok(f.outputs.required.includes("reachable") && !f.outputs.required.includes("foreignChainId"));
    });
});
