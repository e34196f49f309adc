// What a program puts in the provider resource (`new eosnet.Provider(...)`). Only zod and rules/
// here: the SDK loads this in the program.
import { z } from "zod";

export const ProviderConfigSchema = z
    .object({
        endpoint: z.string().url().optional()
            .describe("The chain API (nodeos http-server) this provider reads and writes, e.g. http://127.0.0.1:8888."),
        fallbackEndpoints: z.array(z.string().url()).default([])
            .describe("Chain APIs of other nodes of the same chain, used in turn when the endpoint's node does not answer."),
        chainId: z.string().regex(/^[0-9a-f]{64}$/, "a chain id is 64 hex digits").optional()
            .describe("The chain id (sha256 of the genesis) this provider may act on: every write first checks the node serves it."),
        keys: z.array(z.string()).default([])
            .describe("Private keys the provider signs transactions and blocks with (a secret). Keys held before stay, to sign a rotation away from them."),
        dockerHost: z.string().optional()
            .describe("Docker engine: unix:///path, tcp://host:port (TLS from DOCKER_CERT_PATH) or ssh://user@host; default DOCKER_HOST or the local socket."),
    })
    .strict();

export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
