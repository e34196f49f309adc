// When a producer's rewards claim is due: a day on the chain's clock after the last claim.
import { strict as assert } from "assert";
import { chainTimeMs, claimDue } from "../../planning/rewards";

describe("rewards claims", () => {
    const head = "2026-11-22T12:00:00.000";
    it("are due more than a day after the last claim (or registration), with blocks to pay", () => {
        assert.equal(claimDue("2026-11-21T11:59:59.500", 10, head), true);
        assert.equal(claimDue("2026-11-21T12:00:00.000", 10, head), false, "exactly a day is not more than a day");
        assert.equal(claimDue("2026-11-21T12:00:01.000", 10, head), false, "less than a day");
        assert.equal(claimDue("2026-11-20T00:00:00.000", 0, head), false, "nothing to pay");
    });
    it("are measured on the chain's clock, whatever this machine's clock says", () => {
        // A chain whose clock runs a day ahead of this machine (a test image with moved time, or a
        // replayed chain) is due by its own head block time.
        assert.equal(claimDue("2026-11-22T12:00:00.000", 1, "2026-11-23T12:00:00.500"), true);
        assert.equal(claimDue("2026-11-22T12:00:00.000", 1, "2026-11-22T23:59:59.500"), false);
    });
    it("read chain times as UTC, with or without a zone", () => {
        assert.equal(chainTimeMs("2026-11-22T12:00:00.000"), Date.UTC(2026, 10, 22, 12));
        assert.equal(chainTimeMs("2026-11-22T12:00:00.000Z"), Date.UTC(2026, 10, 22, 12));
    });
    it("refuse an unreadable head block time instead of guessing", () => {
        assert.throws(() => claimDue("2026-11-21T00:00:00.000", 1, "yesterday"), /head block time.*yesterday/);
    });
});
