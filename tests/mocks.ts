// Pulumi's mocks as the program-level unit tests use them: every resource "created" with its
// inputs as state (key pairs with a fixed throwaway key), invokes answered with nothing (a chain
// that does not answer), in preview.
import * as pulumi from "@pulumi/pulumi";

export const MOCK_PRIVATE_KEY = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
export const MOCK_PUBLIC_KEY = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";

export function installMocks(stack: string, onResource: (args: pulumi.runtime.MockResourceArgs) => void = () => undefined): void {
    pulumi.runtime.setMocks(
        {
            newResource(args) {
                onResource(args);
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type.endsWith(":KeyPair")) {
                    state.publicKey = MOCK_PUBLIC_KEY;
                    state.privateKey = MOCK_PRIVATE_KEY;
                }
                return { id: `${args.name}-id`, state };
            },
            call() {
                return {};
            },
        },
        "eos-network",
        stack,
        true,
    );
}
