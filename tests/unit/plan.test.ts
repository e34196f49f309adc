import { strict as assert } from "assert";
import { parseStackConfig, rawStackConfig } from "../../config";
import { desiredSchedule, fundedAccounts, stakedAccounts } from "../../planning/network";
import { stackConfigMap } from "../stackFiles";

// The committed stack files, read the way Pulumi reads them (values under `config:`).
function stackConfig(stack: string) {
    return parseStackConfig(rawStackConfig(stackConfigMap(stack)));
}

describe("boot plan from the committed stacks", () => {
    it("dev: 4 producers, all elected, every account funded by the stake rule", () => {
        const cfg = stackConfig("dev");
        assert.equal(cfg.producers.length, 4);
        assert.deepEqual(desiredSchedule(cfg), ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"]);
        const funded = fundedAccounts(cfg);
        assert.equal(funded.length, 7);
        const voter = funded.find((f) => f.name === "voteraaaaaaa")!;
        assert.equal(voter.ram, "0.1000 SYS");
        assert.equal(voter.liquid, "9.0000 SYS");
        assert.equal(voter.cpu, "49999995.4500 SYS");
        assert.equal(voter.net, "49999995.4500 SYS");
    });

    it("staging: 21 producers and at least 100 staked accounts, enough stake to activate voting", () => {
        const cfg = stackConfig("staging");
        assert.equal(cfg.producers.length, 21);
        const accounts = stakedAccounts(cfg);
        assert.ok(accounts.length >= 100, `${accounts.length} accounts`);
        assert.equal(new Set(accounts.map((a) => a.name)).size, accounts.length);
        assert.equal(desiredSchedule(cfg).length, 21);
        const staked = fundedAccounts(cfg)
            .filter((f) => f.role === "account")
            .reduce((sum, f) => sum + Number(f.cpu.split(" ")[0]) + Number(f.net.split(" ")[0]), 0);
        assert.ok(staked >= 150_000_000, `only ${staked} SYS staked: voting would never activate`);
    });
});

describe("p2p topology", () => {
    const { nodePeers } = require("../../planning/network") as typeof import("../../planning/network");
    const producers = (n: number) => Array.from({ length: n }, (_, i) => ({ agent: `p${i}`, runsNode: i % 3 !== 2 }));

    it("boot dials nobody; each producer dials boot and the running producers before it", () => {
        const ps = producers(4);
        assert.deepEqual(nodePeers("boot", ps, "boot"), []);
        assert.deepEqual(nodePeers("boot", ps, "p0"), ["boot"]);
        assert.deepEqual(nodePeers("boot", ps, "p3"), ["boot", "p0", "p1"]);
    });

    it("appending producers never changes an existing node's peers (every size up to 25)", () => {
        for (let n = 1; n < 25; n++) {
            const before = producers(n);
            const after = producers(n + 1);
            for (const self of ["boot", ...before.map((p) => p.agent)]) {
                assert.deepEqual(nodePeers("boot", after, self), nodePeers("boot", before, self), `${self} at ${n}`);
            }
        }
    });
});
