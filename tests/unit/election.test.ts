// Election prediction: stake-weighted votes, proxies, activation threshold, top 21.
import { strict as assert } from "assert";
import { predictElection, Voter } from "../../planning/election";
import { MIN_ACTIVATED_STAKE, quorum, scheduleShrinkReason, scheduleShrinks } from "../../rules/schedule";

const names = (n: number) => Array.from({ length: n }, (_, i) => `producer${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`);

describe("election prediction", () => {
    it("schedules nobody until min_activated_stake has voted", () => {
        const below = predictElection([{ name: "a", stake: MIN_ACTIVATED_STAKE - 1n, producers: ["p1"] }], ["p1"]);
        assert.equal(below.activated, false);
        assert.deepEqual(below.schedule, []);
        const at = predictElection([{ name: "a", stake: MIN_ACTIVATED_STAKE, producers: ["p1"] }], ["p1"]);
        assert.deepEqual(at.schedule, ["p1"]);
    });

    it("counts a delegator's stake through its proxy, toward activation and the proxy's producers", () => {
        const voters: Voter[] = [
            { name: "proxy", stake: 1n, producers: ["p2"], isProxy: true },
            { name: "delegator", stake: MIN_ACTIVATED_STAKE, producers: [], proxy: "proxy" },
            { name: "small", stake: 10n, producers: ["p1"] },
        ];
        const r = predictElection(voters, ["p1", "p2"]);
        assert.equal(r.activatedStake, MIN_ACTIVATED_STAKE + 11n);
        assert.deepEqual(r.ranking, [{ producer: "p2", votes: MIN_ACTIVATED_STAKE + 1n }, { producer: "p1", votes: 10n }]);
    });

    it("ignores votes for unregistered producers and a proxy that does not vote", () => {
        const r = predictElection([
            { name: "idle", stake: 5n, producers: [], isProxy: true },
            { name: "d", stake: MIN_ACTIVATED_STAKE, producers: [], proxy: "idle" },
            { name: "v", stake: 7n, producers: ["p1", "ghost"] },
        ], ["p1"]);
        assert.equal(r.activated, true);
        assert.deepEqual(r.ranking, [{ producer: "p1", votes: 7n }]);
        assert.deepEqual(r.schedule, ["p1"]);
    });

    it("keeps the 21 with most votes, listed by name (property over random stakes)", () => {
        let seed = 7;
        const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        for (let round = 0; round < 50; round++) {
            const producers = names(21 + Math.floor(rand() * 10));
            // One voter per producer with distinct stakes, plus a whale voting for nobody in particular.
            const voters: Voter[] = producers.map((p, i) => ({ name: `v${i}`, stake: BigInt(Math.floor(rand() * 1e9)) * 1000n + BigInt(i), producers: [p] }));
            voters.push({ name: "whale", stake: MIN_ACTIVATED_STAKE, producers: [] , proxy: "nobody" });
            const r = predictElection(voters, producers);
            const expected = [...voters.slice(0, producers.length)].sort((a, b) => (a.stake > b.stake ? -1 : 1)).slice(0, 21).map((v) => v.producers[0]).sort();
            assert.deepEqual(r.schedule, expected);
            assert.equal(r.schedule.length, 21);
        }
    });
});

describe("schedule changes the chain can carry out (rules/schedule)", () => {
    it("allows the first election and any change that keeps or grows the size", () => {
        assert.equal(scheduleShrinks(["eosio"], ["a", "b"]), false);
        assert.equal(scheduleShrinks([], ["a"]), false);
        assert.equal(scheduleShrinks(["a", "b"], ["a", "c"]), false);
        assert.equal(scheduleShrinks(["a", "b"], ["a", "b", "c"]), false);
    });
    it("refuses a smaller schedule, naming both sets", () => {
        assert.equal(scheduleShrinks(["b", "a"], ["a"]), true);
        assert.equal(scheduleShrinkReason(["b", "a"], ["a"]),
            "the votes elect 1 producer(s) [a], but the chain runs 2 [a, b] and eosio.system never shrinks the schedule: keep at least 2 producers voted, or reset the network (npm run destroy, then npm run up)");
    });
    it("needs 2/3+1 of a schedule for irreversibility: 3 of 4, 15 of 21, 1 of 1", () => {
        assert.deepEqual([1, 2, 3, 4, 21].map(quorum), [1, 2, 3, 3, 15]);
    });
});
