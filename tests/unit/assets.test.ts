import { strict as assert } from "assert";
import { formatAsset, parseAsset, splitFunds } from "../../rules/assets";

const SYS = { code: "SYS", precision: 4 };
const rule = { ram: 1000n, minStake: 9000n, maxLiquid: 90000n }; // 0.1 RAM, 0.9 stake, 9 liquid

describe("assets", () => {
    it("parses and formats exactly", () => {
        assert.equal(parseAsset("1000.0000 SYS", SYS), 10000000n);
        assert.equal(parseAsset("0.0001 SYS", SYS), 1n);
        assert.equal(formatAsset(10000001n, SYS), "1000.0001 SYS");
        assert.equal(formatAsset(parseAsset("123.4567 SYS", SYS), SYS), "123.4567 SYS");
    });

    it("rejects wrong precision, symbol and shape with the offending text", () => {
        assert.throws(() => parseAsset("1.00 SYS", SYS), /has 2 decimals, SYS has 4/);
        assert.throws(() => parseAsset("1.0000 EOS", SYS), /in EOS, expected SYS/);
        assert.throws(() => parseAsset("lots", SYS), /'lots' is not an asset/);
    });
});

describe("stake split (reference boot rule)", () => {
    it("follows the rule on the reference examples", () => {
        // 1 SYS: 0.1 RAM, 0.9 staked, nothing liquid.
        assert.deepEqual(splitFunds(10000n, rule), { ram: 1000n, cpu: 4500n, net: 4500n, liquid: 0n });
        // 5 SYS: 0.1 RAM, 0.9 staked, 4 liquid.
        assert.deepEqual(splitFunds(50000n, rule), { ram: 1000n, cpu: 4500n, net: 4500n, liquid: 40000n });
        // 1000 SYS: 0.1 RAM, 9 liquid, the rest staked 50/50.
        assert.deepEqual(splitFunds(10000000n, rule), { ram: 1000n, cpu: 4954500n, net: 4954500n, liquid: 90000n });
    });

    it("always accounts for every unit and never exceeds the bounds (1000 random funds)", () => {
        let s = 7;
        for (let i = 0; i < 1000; i++) {
            s = (s * 1103515245 + 12345) % 2147483648;
            const funds = rule.ram + BigInt(s % 100000000);
            const split = splitFunds(funds, rule);
            assert.equal(split.ram + split.cpu + split.net + split.liquid, funds);
            assert.ok(split.liquid <= rule.maxLiquid && split.liquid >= 0n);
            assert.ok(split.cpu - split.net === 0n || split.cpu - split.net === 1n);
            if (funds - rule.ram >= rule.minStake) {
                assert.ok(split.cpu + split.net >= rule.minStake);
            }
        }
    });

    it("refuses funds that cannot buy RAM", () => {
        assert.throws(() => splitFunds(999n, rule), /do not cover the RAM purchase/);
    });
});
