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
            .describe("Docker engine: unix:///path, tcp://host:port (TLS from tlsCa/tlsCert/tlsKey, else DOCKER_CERT_PATH) or ssh://user@host; default DOCKER_HOST or the local socket."),
        hostName: z.string().optional()
            .describe("The name of the host this provider's engine runs on (stack config hosts[].name): errors and progress name it."),
        hostAddress: z.string().optional()
            .describe("Where the host's published ports are reached: node ports may be published on it."),
        tlsCa: z.string().optional().describe("PEM of the CA that signed the tcp engine's certificate."),
        tlsCert: z.string().optional().describe("PEM of this client's certificate for the tcp engine."),
        tlsKey: z.string().optional().describe("PEM of this client's key for the tcp engine (a secret)."),
        sshKey: z.string().optional().describe("PEM of the private key for an ssh:// engine (a secret)."),
        sshHostKey: z.string().optional().describe("The ssh host's public key (\"ssh-ed25519 AAAA...\"): the connection is refused when the host shows another."),
    })
    .strict();

export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
