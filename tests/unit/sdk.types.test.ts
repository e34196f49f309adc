// The SDK's argument types come from the provider's zod input schemas: a required field left out
// does not compile (--strict), fields with defaults may be left out, any field may be an Input.
// Runs the TypeScript compiler on two programs written for the test: one wrong, one right.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import * as sdk from "../../sdk/resources";
import { AccountOutputs } from "../../provider/chain/account.schema";
import { KeyPairOutputs } from "../../provider/keys/keyPair.schema";
import { NetworkOutputs } from "../../provider/docker/network.schema";
import { NodeosContainerOutputs } from "../../provider/docker/nodeosContainer.schema";
import { installMocks } from "../mocks";

const ROOT = path.resolve(__dirname, "../..");
const SDK = path.join(ROOT, "sdk", "resources").split(path.sep).join("/");

const WRONG = `
import { Account } from "${SDK}";
new Account("x", {});
`;

const RIGHT = `
import * as pulumi from "@pulumi/pulumi";
import { Account, DockerNetwork, KeyPair, Provider, ProducerSchedule, Vote } from "${SDK}";
const key = new KeyPair("k", {});
const a = new Account("x", { name: "alice", ownerKey: key.publicKey, activeKey: "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV" });
const ram: pulumi.Output<number> = a.ramBytes;
const creator: pulumi.Output<string> = a.creator;
new DockerNetwork("n", { name: pulumi.output("eosnet-dev-net") });
new Vote("v", { voter: a.name, producers: ["produceraaaa", a.name] });
new ProducerSchedule("s", { producers: pulumi.output(["produceraaaa"]) });
new Provider("p", { endpoint: "http://127.0.0.1:8888", keys: [key.privateKey] });
export { ram, creator };
`;

function diagnosticsOf(files: Record<string, string>): Map<string, string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-sdk-types-"));
    // The programs' own imports (@pulumi/pulumi) resolve as in the project.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    try {
        const paths = Object.entries(files).map(([name, text]) => {
            const p = path.join(dir, `${name}.ts`);
            fs.writeFileSync(p, text);
            return [name, p] as const;
        });
        const program = ts.createProgram(paths.map(([, p]) => p), {
            strict: true,
            noEmit: true,
            target: ts.ScriptTarget.ES2020,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            skipLibCheck: true,
            types: ["node"],
            typeRoots: [path.join(ROOT, "node_modules", "@types")],
        });
        return new Map(paths.map(([name, p]) => [name, ts.getPreEmitDiagnostics(program, program.getSourceFile(p))
            .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))]));
    } finally {
        fs.rmSync(dir, { recursive: true });
    }
}

describe("sdk: argument types from the zod input schemas", function () {
    this.timeout(120_000);

    it("refuses an Account without its required fields and accepts one with them (fields may be Inputs)", () => {
        const d = diagnosticsOf({ wrong: WRONG, right: RIGHT });
        const wrong = d.get("wrong")!;
        assert.equal(wrong.length, 1, wrong.join("\n"));
        assert.match(wrong[0], /missing the following properties from type .*: name, ownerKey, activeKey|Property 'name' is missing/);
        assert.deepEqual(d.get("right"), []);
    });

    it("registers every output name of the schema, so each comes back from the provider", () => {
        installMocks("dev");
        const classes: [new (name: string, args: never) => object, z.AnyZodObject][] = [
            [sdk.DockerNetwork, NetworkOutputs], [sdk.NodeosContainer, NodeosContainerOutputs], [sdk.KeyPair, KeyPairOutputs], [sdk.Account, AccountOutputs],
        ];
        for (const [Class, outputs] of classes) {
            const r = new Class("x", {} as never) as Record<string, unknown>;
            for (const k of Object.keys(outputs.shape)) {
                assert.ok(pulumi.Output.isInstance(r[k]), `${Class.name || "a class"} has no output ${k}`);
            }
        }
    });
});
