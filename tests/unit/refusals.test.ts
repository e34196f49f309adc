// What preview refuses on a running chain, decided from what the chain shows: each problem names the
// config field to change.
import { strict as assert } from "assert";
import { parseNetworkPlan, rawStackConfig } from "../../config";
import { chainRefusals, chainStateQuery, ObservedChain, PlannedChain, plannedChain } from "../../planning/refusals";
import { plannedAccounts } from "../../provider/chain/chainState";
import { ChainStateInputs } from "../../provider/chain/chainState.schema";
import { stackConfigMap } from "../stackFiles";
import { readAnyAsset } from "../../rules/assets";

/** Units of an asset string: the plan holds amounts as units. */
const u = (asset: string) => readAnyAsset(asset)?.units ?? 0n;

const PRODUCERS = ["produceraaaa", "producerbbbb", "producercccc", "producerdddd"];

/** A resigned 4-producer chain whose creator has 1000 SYS liquid. */
function resignedChain(over: Partial<ObservedChain> = {}): ObservedChain {
    return {
        reachable: true,
        activeSchedule: PRODUCERS,
        eosioController: "eosio.prods",
        existingAccounts: ["eosio", "eosnetcreatr", "voteraaaaaaa", ...PRODUCERS],
        accounts: [
            { name: "eosnetcreatr", staked: "20.0000 SYS", liquid: "1000.0000 SYS" },
            { name: "voteraaaaaaa", staked: "900.0000 SYS", liquid: "100.0000 SYS" },
        ],
        tokenMaxSupply: "10000000000.0000 SYS",
        tokenIssuer: "eosio",
        ...over,
    };
}

/** The plan of that chain (voteraaaaaaa as it is) with one more account, voterbbbbbbb, given `funds`. */
function planWith(funds: string, over: Partial<PlannedChain> = {}): PlannedChain {
    return {
        schedule: PRODUCERS,
        paths: new Map([...PRODUCERS.map((p, i) => [p, `eos-network:producers[${i}].name`] as [string, string]),
            ["voteraaaaaaa", "eos-network:accounts[0].name"], ["voterbbbbbbb", "eos-network:accounts[1].name"]]),
        symbol: { code: "SYS", precision: 4 },
        stakes: new Map([["voteraaaaaaa", { staked: u("900.0000 SYS"), path: "eos-network:accounts[0].funds" }]]),
        funds: new Map([["voteraaaaaaa", u("1000.0000 SYS")], ["voterbbbbbbb", u(funds)]]),
        creator: "eosnetcreatr",
        maxSupply: u("10000000000.0000 SYS"),
        issuer: "eosio",
        ...over,
    };
}

describe("chain refusals", () => {
    it("let a creator create accounts after the resignation while its balance covers them", () => {
        assert.deepEqual(chainRefusals(resignedChain(), planWith("1000.0000 SYS")), []);
    });

    it("refuse new accounts the creator cannot pay for, naming eos-network:creator.funds, the sum and the balance", () => {
        const problems = chainRefusals(resignedChain(), planWith("1000.0001 SYS"));
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^eos-network:creator\.funds: eosnetcreatr would pay 1000\.0001 SYS for new accounts and stake, and has 1000\.0000 SYS/);
    });

    it("count stake beyond what an existing account has staked against the creator, and not what it already has", () => {
        const more = { stakes: new Map([["voteraaaaaaa", { staked: u("1500.0000 SYS"), path: "eos-network:accounts[0].funds" }]]) };
        // 600 SYS more stake plus 500 SYS for the new account: 1100 > 1000.
        assert.match(chainRefusals(resignedChain(), planWith("500.0000 SYS", more)).join("\n"), /would pay 1100\.0000 SYS .* has 1000\.0000 SYS/);
        // 600 + 400 = 1000: covered exactly.
        assert.deepEqual(chainRefusals(resignedChain(), planWith("400.0000 SYS", more)), []);
    });

    it("count nothing for an existing account the chain state did not read (it holds at least its planned stake)", () => {
        // getChainState reads only accounts that may hold less than planned; voteraaaaaaa was not read.
        const unread = resignedChain({ accounts: [{ name: "eosnetcreatr", staked: "20.0000 SYS", liquid: "1000.0000 SYS" }] });
        const more = { stakes: new Map([["voteraaaaaaa", { staked: u("1500.0000 SYS"), path: "eos-network:accounts[0].funds" }]]) };
        assert.deepEqual(chainRefusals(unread, planWith("1000.0000 SYS", more)), []);
        // Read, the same account's 600 SYS more is counted: 1600 > 1000.
        assert.match(chainRefusals(resignedChain(), planWith("1000.0000 SYS", more)).join("\n"), /would pay 1600\.0000 SYS/);
    });

    it("refuse an account only eosio may create (the team's) once eosio has resigned, even with a creator", () => {
        const plan = planWith("1.0000 SYS", { createdByEosio: new Map([["teamaccount1", "eos-network:teamAccounts[0].name"]]) });
        const problems = chainRefusals(resignedChain(), plan);
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^eos-network:teamAccounts\[0\]\.name: teamaccount1 is not on the chain, and eosio has resigned/);
        assert.doesNotMatch(problems[0], /configure eos-network:creator/, "a creator would not help here");
        // Before the resignation eosio still signs: nothing to refuse.
        assert.deepEqual(chainRefusals(resignedChain({ eosioController: "eosio" }), plan), []);
    });

    it("with a creator, still refuse a team account's stake beyond its own liquid after the resignation (eosio funds the team)", () => {
        const chain = resignedChain({
            existingAccounts: [...resignedChain().existingAccounts, "teamaccount1"],
            accounts: [...resignedChain().accounts, { name: "teamaccount1", staked: "2.0000 SYS", liquid: "1.0000 SYS" }],
        });
        const team = (staked: string) => planWith("1.0000 SYS", {
            createdByEosio: new Map([["teamaccount1", "eos-network:teamAccounts[0].name"]]),
            stakes: new Map([["teamaccount1", { staked: u(staked), path: "eos-network:teamAccounts[0].cpu" }]]),
        });
        assert.deepEqual(chainRefusals(chain, team("3.0000 SYS")), [], "1 more, 1 liquid");
        const problems = chainRefusals(chain, team("3.0001 SYS"));
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^eos-network:teamAccounts\[0\]\.cpu: teamaccount1 would stake 3\.0001 SYS, more than its 2\.0000 SYS staked plus 1\.0000 SYS liquid/);
    });

    it("do not suggest a creator where it would not help: a team account, or a configured creator missing from a resigned chain", () => {
        const noCreator = resignedChain({ existingAccounts: ["eosio", "voteraaaaaaa", "voterbbbbbbb", ...PRODUCERS] });
        const plan = planWith("1.0000 SYS", {
            paths: new Map([...planWith("").paths, ["eosnetcreatr", "eos-network:creator.name"], ["teamaccount1", "eos-network:teamAccounts[0].name"]]),
            createdByEosio: new Map([["teamaccount1", "eos-network:teamAccounts[0].name"]]),
        });
        const problems = chainRefusals(noCreator, plan);
        assert.equal(problems.length, 2, problems.join("\n"));
        assert.match(problems[0], /^eos-network:creator\.name: eosnetcreatr is not on the chain/);
        assert.match(problems[1], /^eos-network:teamAccounts\[0\]\.name: teamaccount1 is not on the chain/);
        for (const p of problems) {
            assert.doesNotMatch(p, /configure eos-network:creator/);
        }
    });

    it("without a creator, refuse new accounts after the resignation at their name field, and suggest a creator", () => {
        const noCreator = resignedChain({ existingAccounts: ["eosio", "voteraaaaaaa", ...PRODUCERS] });
        const problems = chainRefusals(noCreator, planWith("1.0000 SYS", { creator: undefined }));
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^eos-network:accounts\[1\]\.name: voterbbbbbbb is not on the chain, .* configure eos-network:creator/);
    });

    it("without a creator, refuse more stake than an account's own liquid balance after the resignation", () => {
        const noCreator = resignedChain({ existingAccounts: ["eosio", "voterbbbbbbb", "voteraaaaaaa", ...PRODUCERS] });
        const stakes = (staked: string) => ({ creator: undefined, stakes: new Map([["voteraaaaaaa", { staked: u(staked), path: "eos-network:accounts[0].funds" }]]) });
        assert.deepEqual(chainRefusals(noCreator, planWith("1.0000 SYS", stakes("1000.0000 SYS"))), [], "100 more, 100 liquid");
        assert.match(chainRefusals(noCreator, planWith("1.0000 SYS", stakes("1000.0001 SYS"))).join("\n"),
            /^eos-network:accounts\[0\]\.funds: voteraaaaaaa would stake 1000\.0001 SYS, more than its 900\.0000 SYS staked plus 100\.0000 SYS liquid/);
    });

    it("refuse a smaller schedule than the chain runs, a changed token max supply and a changed issuer", () => {
        const problems = chainRefusals(resignedChain(), planWith("1.0000 SYS", { schedule: PRODUCERS.slice(0, 3), maxSupply: u("20000000000.0000 SYS"), issuer: "eosnetcreatr" }));
        assert.equal(problems.length, 3, problems.join("\n"));
        assert.match(problems[0], /^eos-network:accounts: the votes elect 3 producer\(s\)/);
        assert.match(problems[1], /^eos-network:chain\.maxSupply: .* max supply 10000000000\.0000 SYS/);
        assert.match(problems[2], /^eos-network:chain: the core token's issuer is eosio/);
    });

    it("refuse nothing when the chain cannot be reached (an empty stack boots it)", () => {
        assert.deepEqual(chainRefusals(resignedChain({ reachable: false }), planWith("1000000.0000 SYS", { schedule: [] })), []);
    });
});

describe("getChainState's question", () => {
    for (const stack of ["dev", "staging", "reference"]) {
        it(`${stack}: the provider derives the plan's accounts and planned stakes, the generated ones from their distribution`, () => {
            const plan = parseNetworkPlan(rawStackConfig(stackConfigMap(stack)));
            const planned = plannedChain(plan);
            const query = chainStateQuery(plan, planned);
            const generated = plan.accounts.filter((a) => a.generated).length;
            assert.equal(query.accounts.length, planned.paths.size - generated, "generated accounts are not listed one by one");
            assert.equal(query.distribution !== undefined, generated > 0);
            // As the provider receives it: through the engine (JSON) and the function's input schema.
            const derived = plannedAccounts(ChainStateInputs.parse(JSON.parse(JSON.stringify({ ...query, coreSymbol: plan.symbol.code }))));
            assert.deepEqual([...derived.accounts].sort(), [...planned.paths.keys()].sort());
            const byName = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
            assert.deepEqual(byName(derived.plannedStakes), byName(new Map([...planned.stakes].map(([name, s]) => [name, s.staked]))));
        });
    }
});
