// eosnet:keys:KeyPair: an Antelope K1 key pair generated once and kept in state, the private half
// a secret. The key is made in check and kept from the old inputs ever after, so its value is
// known while previewing, and with it the chain id and the chain provider's configuration (an
// unknown provider configuration would leave every chain resource unchecked in preview). A key
// made by a preview is not kept: the update that follows makes its own.
import { ResourceModule } from "../framework";
import { KEY_PAIR_SECRETS, KeyPairInputs, KeyPairOutputs } from "./keyPair.schema";

async function generate(): Promise<{ publicKey: string; privateKey: string }> {
    const { generateKeyPair } = await import("eosjs/dist/eosjs-key-conversions");
    const { KeyType } = await import("eosjs/dist/eosjs-numeric");
    const { privateKey, publicKey } = generateKeyPair(KeyType.k1, { secureEnv: true });
    return { publicKey: publicKey.toLegacyString(), privateKey: privateKey.toLegacyString() };
}

export const keyPair: ResourceModule<KeyPairInputs, KeyPairOutputs> = {
    token: "eosnet:keys:KeyPair",
    description: "A K1 key pair generated once; the private key is a secret.",
    inputs: KeyPairInputs,
    outputs: KeyPairOutputs,
    secretOutputs: KEY_PAIR_SECRETS,
    secretInputs: KEY_PAIR_SECRETS,
    async check(_ctx, news, olds) {
        if (olds?.privateKey && olds.publicKey && olds.purpose === news.purpose) {
            return { inputs: { purpose: news.purpose, publicKey: olds.publicKey, privateKey: olds.privateKey } };
        }
        return { inputs: { purpose: news.purpose, ...(await generate()) } };
    },
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.purpose !== news.purpose ? ["purpose"] : olds.publicKey !== news.publicKey ? ["publicKey"] : [];
        return { changes: replaces.length > 0, replaces };
    },
    async create(_ctx, inputs) {
        const pair = inputs.privateKey && inputs.publicKey ? { publicKey: inputs.publicKey, privateKey: inputs.privateKey } : await generate();
        return { id: pair.publicKey, outs: { purpose: inputs.purpose, ...pair } };
    },
    async read(_ctx, id, props) {
        if (!props?.privateKey) {
            throw new Error("a KeyPair cannot be imported: its private key exists only in the state that made it");
        }
        return { id, props: props as KeyPairOutputs };
    },
};
