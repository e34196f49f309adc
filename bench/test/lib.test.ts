// Unit tests of the bench's pure pieces (not part of npm test): npx mocha 'bench/test/*.test.ts'
import { strict as assert } from "assert";
import { breakdown, categoryOf, engineBreakdown, startupSplit, stepsOf } from "../lib/timeline";
import { analyzeCheckpoint, ciphertextByKind } from "../lib/state";
import { growthExponent, median, ratio, secs, table } from "../lib/report";
import { configMap } from "../lib/stacks";

const pre = (t: number, type: string, name: string, op = "create") => ({ t, event: { resourcePreEvent: { metadata: { op, type, urn: `urn:pulumi:s::p::${type}::${name}` } } } });
const out = (t: number, type: string, name: string, op = "create") => ({ t, event: { resOutputsEvent: { metadata: { op, type, urn: `urn:pulumi:s::p::${type}::${name}` } } } });

describe("bench timeline", () => {
    it("classifies new and old resource types alike", () => {
        assert.equal(categoryOf("eosnet:docker:NodeosContainer"), "container");
        assert.equal(categoryOf("pulumi-nodejs:dynamic/eos-network:DockerContainer"), "container");
        assert.equal(categoryOf("pulumi-nodejs:dynamic/eos-network:DockerNetwork"), "container");
        assert.equal(categoryOf("eosnet:chain:ProducerSchedule"), "schedule");
        assert.equal(categoryOf("pulumi-nodejs:dynamic/eos-network:ProducerSchedule"), "schedule");
        assert.equal(categoryOf("eosnet:chain:Account"), "chain");
        assert.equal(categoryOf("eosnet:keys:KeyPair"), "keys");
        assert.equal(categoryOf("pulumi:providers:eosnet"), "provider");
        assert.equal(categoryOf("eosnet:index:Network"), undefined);
        assert.equal(categoryOf("eos:index:Node"), undefined);
        assert.equal(categoryOf("pulumi:pulumi:Stack"), undefined);
    });

    it("pairs pre and output events into steps", () => {
        const steps = stepsOf([pre(1, "eosnet:chain:Account", "a"), pre(2, "eosnet:chain:Account", "b"), out(3, "eosnet:chain:Account", "a"), out(5, "eosnet:chain:Account", "b")]);
        assert.deepEqual(steps.map((s) => [s.start, s.end]), [[1, 3], [2, 5]]);
    });

    it("counts each instant once, for the most telling work, and the rest as start-up, gaps, shut-down", () => {
        const b = breakdown([
            { category: "container", start: 2, end: 6 },
            { category: "chain", start: 4, end: 7 },
            { category: "schedule", start: 8, end: 10 },
        ], 11);
        assert.deepEqual(b.phases, { startup: 2, container: 2, chain: 3, gaps: 1, schedule: 2, shutdown: 1 });
        assert.equal(Object.values(b.phases).reduce((a, x) => a + x, 0), 11);
        assert.equal(b.maxConcurrency, 2);
        assert.equal(b.secondsAtMax, 2);
    });

    it("splits start-up at the stack resource and the first component", () => {
        const events = [
            pre(1, "pulumi:pulumi:Stack", "s"), pre(5, "eosnet:index:Network", "n"),
            pre(8, "pulumi:providers:eosnet", "p"), out(8.1, "pulumi:providers:eosnet", "p"),
            pre(8.2, "eosnet:keys:KeyPair", "k"), out(8.3, "eosnet:keys:KeyPair", "k"),
        ];
        const b = engineBreakdown(events, 9);
        assert.equal(b.firstWorkStart, 8);
        const s = startupSplit(events, b.firstWorkStart);
        assert.deepEqual(s, { engine: 1, program: 4, plugins: 3 });
        assert.deepEqual(Object.keys(b.byKind).sort(), ["KeyPair", "eosnet"]);
        assert.equal(b.byKind.KeyPair.count, 1);
    });
});

describe("bench state", () => {
    it("counts bytes per resource and ciphertexts beyond providers and key pairs", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
        const text = JSON.stringify({
            version: 3,
            checkpoint: { latest: { resources: [
                { type: "pulumi:pulumi:Stack", urn: "s" },
                { type: "pulumi:providers:eosnet", urn: "p", inputs: { keys: secret } },
                { type: "eosnet:keys:KeyPair", urn: "k", outputs: { privateKey: secret } },
                { type: "pulumi-nodejs:dynamic/eos-network:Account", urn: "a", inputs: { creatorKey: secret } },
                { type: "pulumi-nodejs:dynamic/eos-network:Account", urn: "b", inputs: { creatorKey: secret } },
            ] } },
        });
        const s = analyzeCheckpoint(text);
        assert.equal(s.resources, 5);
        assert.equal(s.fileBytes, text.length);
        assert.equal(s.withCiphertext, 4);
        assert.equal(s.withCiphertextBeyondKeys, 2);
        assert.equal(ciphertextByKind(s), "Account 2, KeyPair 1, provider:eosnet 1");
    });
});

describe("bench report", () => {
    it("medians, ratios, durations", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 2, 3]), 2.5);
        assert.ok(Number.isNaN(median([])));
        assert.equal(ratio(1.234), "1.23x");
        assert.equal(secs(5.123), "5.12 s");
        assert.equal(secs(61.04), "61.0 s");
        assert.equal(secs(667), "11m07s");
    });

    it("growth exponent is 1 for linear and 2 for quadratic growth", () => {
        assert.ok(Math.abs(growthExponent([{ x: 100, y: 10 }, { x: 1000, y: 100 }, { x: 3000, y: 300 }]) - 1) < 1e-9);
        assert.ok(Math.abs(growthExponent([{ x: 100, y: 1 }, { x: 1000, y: 100 }]) - 2) < 1e-9);
    });

    it("pads table columns", () => {
        assert.equal(table(["a", "bb"], [["ccc", "d"]]), "a    bb\n---  --\nccc  d");
    });

    it("puts config in as the program reads it: strings as they are, the rest as JSON", () => {
        assert.deepEqual(configMap({ scheduleTimeoutSeconds: "900", resign: false, node: { image: "x" } }), {
            "eos-network:scheduleTimeoutSeconds": { value: "900" },
            "eos-network:resign": { value: "false" },
            "eos-network:node": { value: '{"image":"x"}' },
        });
    });
});
