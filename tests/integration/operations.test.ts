// Running the network after its boot, each through config and up, on a resigned 4-producer
// network with a standby: a system contract upgrade through an eosio.msig proposal, growth paid by
// the stack's creator account, a producer key rotation, a producer removed, rewards claimed. After
// each, the chain itself is checked (eosjs called here) and a second up has nothing to do. A claim is
// only paid a day after registration: the nodes' clocks are moved a day on (libfaketime, docker exec).
import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JsonRpc } from "eosjs";
import { formatAsset, readAnyAsset } from "../../rules/assets";
import { pollUntil } from "../../provider/poll";
import { assertToolchain, blocksBetween, chainRpc, faketimeImage, freePort, leftovers, moveClocks, newTestStack, nodeTroubles, outOfBand, previewRefusal, progress, ROOT, stackKeys, TestStack } from "./harness";

const PRODUCERS = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];
const STANDBY = "producereeee";
const CREATOR = "eosnetcreatr";
/** The longest pause a missed producer slot makes: its 12 blocks (6 s), the next block's 0.5 s, and one block lost at the handoff. */
const ONE_SLOT_PAUSE_MS = 6000 + 500 + 500;

/** A wasm with one more custom section: the same contract, another code hash. */
function withCustomSection(wasm: Buffer, payload: string): Buffer {
    const leb = (n: number) => {
        const out: number[] = [];
        do {
            let b = n & 0x7f;
            n >>>= 7;
            if (n) {
                b |= 0x80;
            }
            out.push(b);
        } while (n);
        return Buffer.from(out);
    };
    const name = Buffer.from("eosnet.test");
    const body = Buffer.concat([leb(name.length), name, Buffer.from(payload)]);
    return Buffer.concat([wasm, Buffer.from([0]), leb(body.length), body]);
}

async function schedule(rpc: JsonRpc): Promise<{ version: number; producers: { name: string; key: string }[] }> {
    const s = (await rpc.get_producer_schedule()) as any;
    const keyOf = (p: any) => p.block_signing_key ?? p.authority?.[1]?.keys?.[0]?.key;
    return { version: s.active.version, producers: s.active.producers.map((p: any) => ({ name: p.producer_name, key: keyOf(p) })) };
}

const legacy = async (key: string) => (await import("eosjs/dist/eosjs-key-conversions")).PublicKey.fromString(key).toLegacyString();

describe("operations on a resigned network: upgrade, growth, key rotation, removal, rewards", function () {
    this.timeout(40 * 60 * 1000);
    let t: TestStack;
    let cfg: any;
    let rpc: JsonRpc;
    let contractsDir = "";

    const apply = async (label: string) => {
        progress(`${label}\n`);
        await t.stack.setConfig("eos-network:producers", { value: JSON.stringify(cfg.producers) });
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify(cfg.accounts) });
    };
    const secondUpIsEmpty = () => t.stack.up({ refresh: true, expectNoChanges: true, onOutput: progress });

    before(async () => {
        assertToolchain();
        contractsDir = fs.mkdtempSync(path.join(os.tmpdir(), "eosnet-contracts-"));
        fs.cpSync(fs.realpathSync(path.join(ROOT, ".eosnet", "contracts")), contractsDir, { recursive: true });
        cfg = {
            // The project's node image plus libfaketime: the last test moves the chain's clock a day on.
            node: { image: faketimeImage() },
            bootNode: { httpPort: await freePort() },
            contracts: { dir: contractsDir },
            creator: { name: CREATOR, funds: "300000000.0000 SYS" },
            producers: await Promise.all([...PRODUCERS, STANDBY].map(async (name) => ({
                name, url: `https://${name}.example`, httpPort: await freePort(), ...(name === "produceraaaa" ? { claimRewards: true } : {}),
            }))),
            accounts: [
                { name: "voteraaaaaaa", funds: "100000000.0000 SYS", votes: PRODUCERS },
                { name: "voterbbbbbbb", funds: "100000000.0000 SYS", votes: PRODUCERS },
            ],
        };
        t = await newTestStack(cfg);
        const res = await t.stack.up({ onOutput: progress });
        assert.deepEqual(res.outputs.activeProducers.value, PRODUCERS);
        rpc = chainRpc(res.outputs.httpEndpoint.value);
    });

    after(async () => {
        if (t) {
            await t.cleanup();
        }
        fs.rmSync(contractsDir, { recursive: true, force: true });
    });

    it("tracks the rewards of a producer with claimRewards: not due within a day of its registration, so up leaves it", async () => {
        // eosio.system sets last_claim_time when a producer registers and pays a claim only a day later.
        const row = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", lower_bound: "produceraaaa", limit: 1 })).rows[0];
        assert.ok(row.unpaid_blocks > 0, "produceraaaa has produced unpaid blocks");
        const state = await t.stack.exportStack();
        const claim = (state.deployment.resources as any[]).find((r) => r.type === "eosnet:chain:RewardsClaim");
        assert.ok(claim, "a RewardsClaim for the producer with claimRewards");
        assert.equal(claim.outputs.producer, "produceraaaa");
        assert.equal(claim.outputs.lastClaimTime, row.last_claim_time);
        assert.equal(claim.outputs.due, false);
        assert.equal((state.deployment.resources as any[]).filter((r) => r.type === "eosnet:chain:RewardsClaim").length, 1, "only for producers that ask");
        await secondUpIsEmpty();
    });

    it("upgrades eosio.system through an eosio.msig proposal approved by the producers; eosio stays resigned", async () => {
        const wasmFile = path.join(contractsDir, "eosio.system", "eosio.system.wasm");
        const upgraded = withCustomSection(fs.readFileSync(wasmFile), "upgrade 1");
        fs.writeFileSync(wasmFile, upgraded);
        const newHash = crypto.createHash("sha256").update(upgraded).digest("hex");

        const preview = await t.stack.preview({ refresh: true, diff: true });
        assert.match(preview.stdout, /eosnet-contract-eosio\.system[\s\S]*?deployVia[\s\S]*?eosio\.msig proposal by produceraaaa, approved by produceraaaa, producer\w{4}, producer\w{4} \(3 of 4\)/);
        assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));

        await t.stack.up({ refresh: true, onOutput: progress });
        const code = (await rpc.fetch("/v1/chain/get_code_hash", { account_name: "eosio" })) as { code_hash: string };
        assert.equal(code.code_hash, newHash);
        const eosio = await rpc.get_account("eosio");
        for (const perm of ["owner", "active"]) {
            const auth = (eosio.permissions as any[]).find((p) => p.perm_name === perm).required_auth;
            assert.deepEqual([auth.keys.length, auth.accounts[0].permission.actor], [0, "eosio.prods"], `eosio@${perm} still eosio.prods`);
        }
        await secondUpIsEmpty();
    });

    it("preview refuses growth the creator's balance on the chain cannot pay for, naming eos-network:creator.funds", async () => {
        // Behind the stack's back (eosjs, the creator's own key): the creator gives all but 5000 SYS away.
        const creator = outOfBand(rpc.endpoint, [(await stackKeys(t)).get(CREATOR)!]);
        const liquid = readAnyAsset((await rpc.get_currency_balance("eosio.token", CREATOR, "SYS"))[0])!;
        const keep = 5000_0000n;
        assert.ok(liquid.units > keep, `${CREATOR} has more than 5000 SYS to give away (${formatAsset(liquid.units, liquid.symbol)})`);
        const away = formatAsset(liquid.units - keep, liquid.symbol);
        await creator.act(CREATOR, "transfer", { from: CREATOR, to: "voteraaaaaaa", quantity: away, memo: "out of band" }, "eosio.token");
        await pollUntil(`${CREATOR}'s balance to show the transfer`, 30_000, 500,
            async () => (await rpc.get_currency_balance("eosio.token", CREATOR, "SYS"))[0] === "5000.0000 SYS");

        const asked = [...cfg.accounts, { name: "voterccccccc", funds: "10000.0000 SYS", votes: PRODUCERS }];
        await t.stack.setConfig("eos-network:accounts", { value: JSON.stringify(asked) });
        const message = await previewRefusal(t.stack, { refresh: true });
        assert.match(message, /eos-network:creator\.funds: eosnetcreatr would pay 10000\.0000 SYS for new accounts and stake, and has 5000\.0000 SYS/);
        await apply("back to the accounts the creator can pay for");
        await secondUpIsEmpty();
    });

    it("adds a producer and an account after the resignation, paid by the creator account", async () => {
        const creatorBefore = Number((await rpc.get_currency_balance("eosio.token", CREATOR, "SYS"))[0].split(" ")[0]);
        const ramBefore = ((await rpc.get_account(CREATOR)) as { ram_quota: number }).ram_quota;
        cfg.producers.push({ name: "producerffff", url: "https://producerffff.example", httpPort: await freePort() });
        cfg.accounts.push({ name: "voterccccccc", funds: "1000.0000 SYS", votes: PRODUCERS });
        await apply("adding producerffff and voterccccccc");
        await t.stack.up({ refresh: true, onOutput: progress });
        for (const name of ["producerffff", "voterccccccc"]) {
            assert.ok(await rpc.get_account(name), `${name} exists`);
        }
        const ffff = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", lower_bound: "producerffff", limit: 1 })).rows[0];
        assert.equal(ffff.owner, "producerffff");
        assert.equal(ffff.is_active, 1);
        const creatorAfter = Number((await rpc.get_currency_balance("eosio.token", CREATOR, "SYS"))[0].split(" ")[0]);
        // 1000 + 1000 SYS given, and the RAM of the two new token balance rows it is billed for (a few bytes' worth).
        const paid = creatorBefore - creatorAfter;
        assert.ok(paid >= 2000 && paid < 2000.1, `the creator paid 1000 + 1000 SYS and two balance rows' RAM (${creatorBefore} -> ${creatorAfter})`);
        const ramAfter = ((await rpc.get_account(CREATOR)) as { ram_quota: number }).ram_quota;
        assert.ok(ramAfter - ramBefore >= 2 * 240, `the creator bought the RAM of two balance rows (${ramBefore} -> ${ramAfter} bytes)`);
        await secondUpIsEmpty();
    });

    it("rotates a producer's key: registered, the node signs with it, the producer keeps signing", async () => {
        const { generateKeyPair } = await import("eosjs/dist/eosjs-key-conversions");
        const { KeyType } = await import("eosjs/dist/eosjs-numeric");
        const pair = generateKeyPair(KeyType.k1, { secureEnv: true });
        const newKey = pair.publicKey.toLegacyString();
        await t.stack.setConfig("eos-network:keys", { value: JSON.stringify({ producercccc: pair.privateKey.toLegacyString() }), secret: true });
        const preview = await t.stack.preview({ refresh: true, diff: true });
        assert.match(preview.stdout, /eosnet-producer-producercccc[\s\S]*?producerKey/);
        const start = (await rpc.get_info()).head_block_num;
        await t.stack.up({ refresh: true, onOutput: progress });

        const row = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", lower_bound: "producercccc", limit: 1 })).rows[0];
        assert.equal(await legacy(row.producer_key), newKey);
        await pollUntil("the schedule to carry producercccc's new key", 240_000, 1000, async () => {
            const p = (await schedule(rpc)).producers.find((x) => x.name === "producercccc");
            return !!p && (await legacy(p.key)) === newKey;
        });
        // Two rounds under the new key, read once irreversible: 12 blocks per producer per round; a
        // block lost at each handoff is the chain's normal, more is producercccc not signing.
        const switched = (await rpc.get_info()).head_block_num;
        const rounds = 2 * 12 * (await schedule(rpc)).producers.length;
        await pollUntil(`LIB two rounds past block ${switched}`, 180_000, 500, async () => (await rpc.get_info()).last_irreversible_block_num >= switched + rounds);
        const before = await blocksBetween(rpc, start, switched);
        const after = await blocksBetween(rpc, switched, switched + rounds);
        assert.ok((after.signed.get("producercccc") ?? 0) >= 22, `producercccc signed its blocks of two rounds (${JSON.stringify([...after.signed])})`);
        // Across the switch (its node restarted with both keys) production paused for at most one producer slot.
        const longestGapMs = Math.max(before.longestGapMs, after.longestGapMs);
        assert.ok(longestGapMs <= ONE_SLOT_PAUSE_MS, `the longest gap between blocks across the rotation was ${longestGapMs} ms`);
        progress(`rotation: longest gap ${longestGapMs} ms over blocks ${start}..${switched + rounds}; signed after the switch ${JSON.stringify([...after.signed])}\n`);
        await secondUpIsEmpty();
    });

    it("removes a producer: the schedule moves to the others plus the standby without a missed round, then its node goes", async () => {
        const start = (await rpc.get_info()).head_block_num;
        const remaining = ["produceraaaa", "producerbbbb", "producercccc", STANDBY];
        cfg.producers = cfg.producers.filter((p: any) => p.name !== "producerdddd");
        cfg.accounts = cfg.accounts.map((a: any) => ({ ...a, votes: remaining }));
        await apply("removing producerdddd");
        await t.stack.up({ refresh: true, onOutput: progress });

        assert.deepEqual((await schedule(rpc)).producers.map((p) => p.name).sort(), remaining);
        const row = (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", lower_bound: "producerdddd", limit: 1 })).rows[0];
        assert.equal(row.is_active, 0, "producerdddd is unregistered");
        assert.equal((await leftovers(t.stackLabel)).containers.includes(`eosnet-${t.name}-producerdddd`), false, "its node is gone");
        // Production never paused for more than one producer slot; read once irreversible.
        const end = (await rpc.get_info()).head_block_num;
        await pollUntil(`LIB past block ${end}`, 180_000, 500, async () => (await rpc.get_info()).last_irreversible_block_num >= end);
        const { longestGapMs } = await blocksBetween(rpc, start, end);
        assert.ok(longestGapMs <= ONE_SLOT_PAUSE_MS, `the longest gap between blocks was ${longestGapMs} ms`);
        progress(`removal: longest gap ${longestGapMs} ms\n`);
        await secondUpIsEmpty();
    });

    it("claims the rewards of a producer with claimRewards once the chain's clock is a day past its registration", async () => {
        const rowOf = async () => (await rpc.get_table_rows({ code: "eosio", scope: "eosio", table: "producers", lower_bound: "produceraaaa", limit: 1 })).rows[0];
        const balance = async () => Number((await rpc.get_currency_balance("eosio.token", "produceraaaa", "SYS"))[0]?.split(" ")[0] ?? 0);
        const registered = await rowOf();
        const dayAfter = Date.parse(`${registered.last_claim_time}Z`) + 24 * 3600 * 1000;

        // The chain's clock is its blocks' timestamps: every node of the stack moves 25 hours on at once.
        const movedAt = Date.now();
        const moved = await moveClocks(t.stackLabel, "+25h");
        progress(`clocks of ${moved.join(", ")} moved 25 h on\n`);
        let jump = 0;
        try {
            jump = await pollUntil("blocks stamped a day after produceraaaa's registration", 300_000, 1000, async () => {
                const info = await rpc.get_info();
                return Date.parse(`${info.head_block_time}Z`) > dayAfter ? info.head_block_num : undefined;
            });
            await pollUntil(`LIB past block ${jump}`, 300_000, 1000, async () => (await rpc.get_info()).last_irreversible_block_num > jump);
        } catch (e) {
            const info = await rpc.get_info().catch((err) => String(err));
            throw new Error(`${(e as Error).message}\nthe boot node: ${JSON.stringify(info)}\n${await nodeTroubles(t.stackLabel, movedAt)}`);
        }
        progress(`blocks a day on at ${jump} (${Math.round((Date.now() - movedAt) / 1000)} s after the move), LIB past it\n`);

        const preview = await t.stack.preview({ refresh: true, diff: true });
        assert.match(preview.stdout, /eosnet-rewards-produceraaaa[\s\S]*?due/, "preview shows produceraaaa will claim");
        assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));

        const before = await balance();
        const unpaid = (await rowOf()).unpaid_blocks;
        assert.ok(unpaid > 0, "produceraaaa has unpaid blocks");
        const res = await t.stack.up({ refresh: true, onOutput: progress });
        const after = await balance();
        const claimed = await rowOf();
        progress(`produceraaaa claimed ${unpaid} unpaid blocks: ${before} -> ${after} SYS\n`);
        assert.ok(after > before, `produceraaaa's balance grew (${before} -> ${after} SYS)`);
        assert.ok(Date.parse(`${claimed.last_claim_time}Z`) > dayAfter, `last claim moved to the claim's block (${claimed.last_claim_time})`);
        assert.ok(claimed.unpaid_blocks < unpaid, `unpaid blocks were paid (${unpaid} -> ${claimed.unpaid_blocks})`);
        // The output reports the claim as this up read it.
        const rewards = res.outputs.producerRewards.value as Record<string, { unpaidBlocks: number; lastClaimTime: string }>;
        assert.equal(rewards.produceraaaa.lastClaimTime, claimed.last_claim_time);
        assert.ok(rewards.producerbbbb.unpaidBlocks > 0, "producers that do not claim keep their unpaid blocks");
        await secondUpIsEmpty();
    });
});
