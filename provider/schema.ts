// The package schema the provider answers GetSchema with, derived from each module's zod types:
// resources with their input and output properties, functions with theirs, and the provider's own
// configuration. Descriptions are the zod types' own (.describe()).
import { z } from "zod";
import { AnyFunction, AnyModule } from "./framework";
import { ProviderConfigSchema } from "./config.schema";

interface PropertySpec {
    type?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    $ref?: string;
    description?: string;
    secret?: boolean;
}

interface ObjectSpec {
    properties: Record<string, PropertySpec>;
    required: string[];
}

function unwrap(t: z.ZodTypeAny): { t: z.ZodTypeAny; optional: boolean } {
    let optional = false;
    for (;;) {
        if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) {
            optional = true;
            t = t.unwrap();
        } else if (t instanceof z.ZodDefault) {
            optional = true;
            t = t.removeDefault();
        } else if (t instanceof z.ZodEffects) {
            t = t.innerType();
        } else {
            return { t, optional };
        }
    }
}

/** A zod type as a Pulumi schema property; nested objects become named types. */
function propertyOf(t: z.ZodTypeAny, typeName: string, types: Record<string, object>): PropertySpec {
    const inner = unwrap(t).t;
    const description = t.description ?? inner.description;
    const withDescription = (p: PropertySpec) => (description ? { ...p, description } : p);
    if (inner instanceof z.ZodString || inner instanceof z.ZodEnum) {
        return withDescription({ type: "string" });
    }
    if (inner instanceof z.ZodNumber) {
        return withDescription({ type: inner.isInt ? "integer" : "number" });
    }
    if (inner instanceof z.ZodBoolean) {
        return withDescription({ type: "boolean" });
    }
    if (inner instanceof z.ZodLiteral) {
        return withDescription({ type: typeof inner.value === "number" ? "number" : typeof inner.value === "boolean" ? "boolean" : "string" });
    }
    if (inner instanceof z.ZodArray) {
        return withDescription({ type: "array", items: propertyOf(inner.element, `${typeName}Item`, types) });
    }
    if (inner instanceof z.ZodRecord) {
        return withDescription({ type: "object", additionalProperties: propertyOf(inner.valueSchema, `${typeName}Value`, types) });
    }
    if (inner instanceof z.ZodObject) {
        const spec = objectOf(inner, typeName, types);
        types[typeName] = { type: "object", ...spec };
        return withDescription({ $ref: `#/types/${typeName}` });
    }
    return withDescription({ $ref: "pulumi.json#/Any" });
}

function objectOf(o: z.ZodObject<z.ZodRawShape>, typeName: string, types: Record<string, object>): ObjectSpec {
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const [k, v] of Object.entries(o.shape)) {
        const name = `${typeName}${k[0].toUpperCase()}${k.slice(1)}`;
        properties[k] = propertyOf(v as z.ZodTypeAny, name, types);
        if (!unwrap(v as z.ZodTypeAny).optional) {
            required.push(k);
        }
    }
    return { properties, required };
}

function asObject(t: z.ZodTypeAny): z.ZodObject<z.ZodRawShape> {
    const inner = unwrap(t).t;
    if (!(inner instanceof z.ZodObject)) {
        throw new Error("resource inputs and outputs must be zod objects");
    }
    return inner;
}

export function packageSchema(name: string, version: string, modules: AnyModule[], fns: AnyFunction[] = []): object {
    const types: Record<string, object> = {};
    const resources: Record<string, object> = {};
    for (const m of modules) {
        const inputs = objectOf(asObject(m.inputs), `${m.token}Inputs`, types);
        const outputs = objectOf(asObject(m.outputs), `${m.token}Outputs`, types);
        for (const s of m.secretOutputs ?? []) {
            if (outputs.properties[s]) {
                outputs.properties[s] = { ...outputs.properties[s], secret: true };
            }
        }
        resources[m.token] = {
            description: m.description,
            properties: outputs.properties,
            required: outputs.required,
            inputProperties: inputs.properties,
            requiredInputs: inputs.required,
        };
    }
    const functions: Record<string, object> = {};
    for (const f of fns) {
        functions[f.token] = {
            description: f.description,
            inputs: objectOf(asObject(f.inputs), `${f.token}Inputs`, types),
            outputs: objectOf(asObject(f.outputs), `${f.token}Outputs`, types),
        };
    }
    const config = objectOf(ProviderConfigSchema, `${name}:index:ProviderConfig`, types);
    for (const k of ["keys", "tlsKey", "sshKey"]) {
        config.properties[k] = { ...config.properties[k], secret: true };
    }
    return {
        name,
        version,
        description: "Antelope/EOS test networks: nodeos containers and the chain state a BIOS boot creates.",
        meta: { moduleFormat: "(.*)" },
        config: { variables: config.properties },
        provider: { description: "The eosnet provider: a chain endpoint, its chain id, signing keys and a docker engine.", inputProperties: config.properties },
        types,
        resources,
        functions,
    };
}
