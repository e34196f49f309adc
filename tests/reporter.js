// Mocha's spec output, plus a short digest of each failure and the closing line
// "N passed, N failed[, N skipped]" that CI reads. The digest comes last because a failed
// `pulumi up` carries its whole output in its message: the spec epilogue prints all of it, and
// only the end of a long log may be read, so each failure's cause is repeated there in brief.
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

/** The lines of an error that say why: its first lines, and every "error:" line of a command's output. */
function digest(err) {
    const text = String((err && (err.message || err)) || "");
    const lines = text.split("\n");
    const head = lines.slice(0, 6);
    const errors = lines.slice(6).filter((l) => /\berror\b|failed|refused|timed out|gave up/i.test(l)).slice(0, 20);
    return [...head, ...(errors.length ? ["  ..."] : []), ...errors].map((l) => (l.length > 400 ? `${l.slice(0, 400)}...` : l));
}

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const failures = [];
        runner.on(EVENT_TEST_FAIL, (test, err) => failures.push({ title: test.fullTitle(), err }));
        runner.once(EVENT_RUN_END, () => {
            const s = runner.stats;
            // Printed after spec's own epilogue (which is registered first).
            process.nextTick(() => {
                if (failures.length > 0) {
                    console.log("\nFailures in brief:");
                    failures.forEach((f, i) => {
                        console.log(`  ${i + 1}) ${f.title}`);
                        for (const l of digest(f.err)) {
                            console.log(`     ${l}`);
                        }
                    });
                }
                const skipped = s.pending ? `, ${s.pending} skipped` : "";
                console.log(`\n${s.passes} passed, ${s.failures} failed${skipped}`);
            });
        });
    }
}
module.exports = SpecWithSummary;
