// pulumi-resource-eosnet: the eosnet provider plugin, served by @pulumi/pulumi/provider.
//
// The SDK's provider server (3.230) answers CheckConfig/DiffConfig "unimplemented" and drops the
// arguments of Configure, so a Node.js provider cannot have a configuration of its own. eosnet
// keeps credentials (endpoint, chain id, signing keys) in provider configuration, so this entry
// point supplies those three handlers, a Diff that names changed properties and a Read that
// serves imports (no properties), to the server
// that provider.main() builds. Everything else is the SDK's.
import * as path from "path";
import * as pulumiProvider from "@pulumi/pulumi/provider";
import { EosnetProvider } from "./provider";
import { engineLog } from "./log";
import { checkProviderConfig, diffProviderConfig } from "./config";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");

/** The project's version, from the package.json above this file (source or compiled). */
function projectVersion(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        try {
            const pkg = require(path.join(dir, "package.json"));
            if (pkg.name === "eos-network") {
                return pkg.version;
            }
        } catch {
            // not here: look further up
        }
    }
    return "0.0.0";
}

type Callback = (err: unknown, value?: unknown) => void;
interface Call { request: any }

const toJs = (s: any): Record<string, unknown> => (s ? s.toJavaScript() : {});

function installHandlers(provider: EosnetProvider): void {
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, impl: Record<string, unknown>) {
        if (service === provrpc.ResourceProviderService) {
            impl.configure = (call: Call, cb: Callback) => {
                try {
                    provider.configure(toJs(call.request.getArgs()));
                    const resp = new provproto.ConfigureResponse();
                    resp.setAcceptsecrets(true);
                    resp.setAcceptresources(true);
                    cb(undefined, resp);
                } catch (e) {
                    cb({ code: grpc.status.INVALID_ARGUMENT, details: (e as Error).message });
                }
            };
            impl.checkConfig = (call: Call, cb: Callback) => {
                const r = checkProviderConfig(toJs(call.request.getOlds()), toJs(call.request.getNews()));
                const resp = new provproto.CheckResponse();
                resp.setInputs(structproto.Struct.fromJavaScript(r.inputs));
                resp.setFailuresList(r.failures.map((f) => {
                    const cf = new provproto.CheckFailure();
                    cf.setProperty(f.property);
                    cf.setReason(f.reason);
                    return cf;
                }));
                cb(undefined, resp);
            };
            impl.diffConfig = (call: Call, cb: Callback) => {
                const r = diffProviderConfig(toJs(call.request.getOlds()), toJs(call.request.getNews()));
                cb(undefined, diffResponse(r.changed.length > 0, r.changed, r.replaces, false));
            };
            // The SDK's Read expects properties, which an import (id only) does not send.
            impl.read = (call: Call, cb: Callback) => {
                const req = call.request;
                provider.read(req.getId(), req.getUrn(), toJs(req.getProperties())).then((r) => {
                    const resp = new provproto.ReadResponse();
                    resp.setId(r.id ?? "");
                    resp.setProperties(structproto.Struct.fromJavaScript(r.props ?? {}));
                    if (r.inputs) {
                        resp.setInputs(structproto.Struct.fromJavaScript(r.inputs));
                    }
                    cb(undefined, resp);
                }, (e) => cb({ code: grpc.status.UNKNOWN, details: (e as Error).message }));
            };
            impl.diff = (call: Call, cb: Callback) => {
                const req = call.request;
                // The response is built inside the promise: an error building it still answers the engine, which would otherwise wait forever.
                provider.diffDetailed(req.getId(), req.getUrn(), toJs(req.getOlds()), toJs(req.getNews())).then((d) => d === undefined
                    ? diffResponse(undefined, [], [], false)
                    : diffResponse(d.changes, d.changed ?? d.replaces ?? [], d.replaces ?? [], d.deleteBeforeReplace ?? false, d.detailed)).then(
                    (resp) => cb(undefined, resp),
                    (e) => cb({ code: grpc.status.UNKNOWN, details: (e as Error).message }),
                );
            };
        }
        return addService.call(this, service, impl);
    };
}

export function diffResponse(changes: boolean | undefined, changed: string[], replaces: string[], deleteBeforeReplace: boolean,
    paths: Record<string, "add" | "update" | "delete"> = {}) {
    const resp = new provproto.DiffResponse();
    const D = provproto.DiffResponse.DiffChanges;
    resp.setChanges(changes === undefined ? D.DIFF_UNKNOWN : changes ? D.DIFF_SOME : D.DIFF_NONE);
    resp.setReplacesList(replaces);
    resp.setDeletebeforereplace(deleteBeforeReplace);
    const keys = [...new Set([...changed, ...replaces])];
    resp.setDiffsList(keys);
    if (changes !== undefined) {
        const detailed = resp.getDetaileddiffMap();
        const K = provproto.PropertyDiff.Kind;
        const kinds = { add: K.ADD, update: K.UPDATE, delete: K.DELETE };
        // Paths below a property (accounts.<name>) say more than the property itself, and stand in its place.
        const below = new Set(Object.keys(paths).map((p) => p.split(".")[0]));
        const entries: [string, number][] = [
            ...keys.filter((k) => !below.has(k)).map((k): [string, number] => [k, replaces.includes(k) ? K.UPDATE_REPLACE : K.UPDATE]),
            ...Object.entries(paths).map(([p, kind]): [string, number] => [p, kinds[kind]]),
        ];
        for (const [k, kind] of entries) {
            const pd = new provproto.PropertyDiff();
            pd.setKind(kind);
            pd.setInputdiff(false);
            detailed.set(k, pd);
        }
        resp.setHasdetaileddiff(true);
    }
    return resp;
}

function engineAddress(args: string[]): string | undefined {
    return args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--tracing")[0];
}

/** Exits when the engine that started this plugin is gone (a killed `pulumi`), instead of lingering. */
function exitWithParent(): void {
    const parent = process.ppid;
    setInterval(() => {
        if (process.ppid !== parent) {
            process.exit(1);
        }
    }, 2000).unref();
}

export function main(args: string[]): Promise<void> {
    const provider = new EosnetProvider(projectVersion(), engineLog(engineAddress(args)));
    installHandlers(provider);
    exitWithParent();
    return pulumiProvider.main(provider, args);
}

if (require.main === module) {
    void main(process.argv.slice(2));
}
