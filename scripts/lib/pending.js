#!/usr/bin/env node
// Prints how many operations a killed run left pending in a local-backend stack's state (0 when
// none, or when the stack has no state yet). A run killed mid-create leaves them; the next run
// clears them with a refresh, and create adopts what those operations had already made.
//
// usage: pending.js <backend dir> <project> <stack>
"use strict";
const fs = require("fs");
const path = require("path");

const [backendDir, project, stack] = process.argv.slice(2);
const file = path.join(backendDir, ".pulumi", "stacks", project, `${stack}.json`);
let pending = 0;
if (fs.existsSync(file)) {
    try {
        const state = JSON.parse(fs.readFileSync(file, "utf8"));
        pending = (state.checkpoint?.latest?.pending_operations ?? []).length;
    } catch {
        pending = 0; // an unreadable state is pulumi's to report
    }
}
process.stdout.write(`${pending}\n`);
