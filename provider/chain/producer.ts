// eosnet:chain:ProducerRegistration: regproducer with key, url and location; read shows the
// producers table row (an unregprod leaves it inactive), delete unregisters.
import { Context, ResourceModule } from "../framework";
import { legacyPublicKey } from "../../keys/keys";
import { active } from "./common";
import { ProducerRegistrationInputs, ProducerRegistrationOutputs } from "./producer.schema";

interface ProducerRow {
    owner: string;
    producer_key: string;
    is_active: number;
    url: string;
    location: number;
    unpaid_blocks: number;
    last_claim_time: string;
}

export async function producerRow(ctx: Context, producer: string): Promise<ProducerRow | undefined> {
    return ctx.chain().row<ProducerRow>("eosio", "eosio", "producers", producer);
}

function observed(r: ProducerRow): ProducerRegistrationOutputs {
    return {
        producer: r.owner,
        producerKey: legacyPublicKey(r.producer_key),
        url: r.url,
        location: r.location,
        isActive: r.is_active === 1,
        unpaidBlocks: r.unpaid_blocks,
        lastClaimTime: r.last_claim_time,
    };
}

function differences(now: ProducerRegistrationOutputs, want: ProducerRegistrationInputs): string[] {
    const out = (["url", "location"] as const).filter((k) => now[k] !== want[k]) as string[];
    if (now.producerKey !== legacyPublicKey(want.producerKey)) {
        out.push("producerKey");
    }
    if (!now.isActive) {
        out.push("isActive");
    }
    return out;
}

async function register(ctx: Context, i: ProducerRegistrationInputs): Promise<ProducerRegistrationOutputs> {
    const row = await producerRow(ctx, i.producer);
    if (!row || differences(observed(row), i).length > 0) {
        await ctx.chain().transact([{
            account: "eosio", name: "regproducer", authorization: active(i.producer),
            data: { producer: i.producer, producer_key: i.producerKey, url: i.url, location: i.location },
        }]);
    }
    return observed((await producerRow(ctx, i.producer))!);
}

export const producerRegistration: ResourceModule<ProducerRegistrationInputs, ProducerRegistrationOutputs> = {
    token: "eosnet:chain:ProducerRegistration",
    description: "A producer registered with eosio.system (regproducer): key, url, location, active.",
    inputs: ProducerRegistrationInputs,
    outputs: ProducerRegistrationOutputs,
    async diff(_ctx, _id, olds, news) {
        const replaces = olds.producer !== news.producer ? ["producer"] : [];
        const changed = [...replaces, ...differences(olds, news)];
        return { changes: changed.length > 0, replaces, changed };
    },
    async create(ctx, inputs) {
        return { id: inputs.producer, outs: await register(ctx, inputs) };
    },
    async read(ctx, id) {
        const row = await producerRow(ctx, id);
        if (!row) {
            return undefined;
        }
        const props = observed(row);
        return { id, props, inputs: { producer: props.producer, producerKey: props.producerKey, url: props.url, location: props.location } };
    },
    async update(ctx, _id, _olds, news) {
        return register(ctx, news);
    },
    async delete(ctx, _id, props) {
        const row = await producerRow(ctx, props.producer);
        if (row && row.is_active === 1) {
            await ctx.chain().transact([{ account: "eosio", name: "unregprod", authorization: active(props.producer), data: { producer: props.producer } }]);
        }
    },
};
