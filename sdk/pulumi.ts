// The parts of @pulumi/pulumi the program uses, each from its own module. The package's index also
// loads the Automation API (with npm's arborist) and the closure serializer: about 0.6 s of CPU in
// every preview and up here, for nothing the program calls. Program code imports Pulumi from here.
import { allConfig } from "@pulumi/pulumi/runtime/config";
import { invokeOutput } from "@pulumi/pulumi/runtime/invoke";

export * from "@pulumi/pulumi/config";
export * from "@pulumi/pulumi/errors";
export * from "@pulumi/pulumi/metadata";
export * from "@pulumi/pulumi/output";
export * from "@pulumi/pulumi/resource";
export * as log from "@pulumi/pulumi/log";
export const runtime = { allConfig, invokeOutput };
