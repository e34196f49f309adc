// Mocha's spec output, plus the closing line "N passed, N failed[, N skipped]" that CI reads.
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(EVENT_RUN_END, () => {
            const s = runner.stats;
            // Printed after spec's own epilogue (which is registered first).
            process.nextTick(() => {
                const skipped = s.pending ? `, ${s.pending} skipped` : "";
                console.log(`\n${s.passes} passed, ${s.failures} failed${skipped}`);
            });
        });
    }
}
module.exports = SpecWithSummary;
