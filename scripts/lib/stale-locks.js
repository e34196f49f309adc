#!/usr/bin/env node
// Removes a local-backend stack lock left behind by a `pulumi` process that no longer runs on this
// host (killed with SIGKILL, or its machine session ended). A lock of a live process is kept, so
// two real runs still exclude each other.
//
// usage: stale-locks.js <backend dir> <project> <stack>
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === "EPERM";
    }
}

function main([backendDir, project, stack]) {
    const dir = path.join(backendDir, ".pulumi", "locks", "organization", project, stack);
    if (!fs.existsSync(dir)) {
        return;
    }
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
        const full = path.join(dir, file);
        let lock;
        try {
            lock = JSON.parse(fs.readFileSync(full, "utf8"));
        } catch {
            continue; // not ours to judge
        }
        if (lock.hostname === os.hostname() && Number.isInteger(lock.pid) && !alive(lock.pid)) {
            fs.rmSync(full, { force: true });
            process.stderr.write(`[stack] removed the lock of an interrupted run (pid ${lock.pid}, ${lock.timestamp}); ` +
                "its unfinished steps are picked up by this run\n");
        }
    }
}

main(process.argv.slice(2));
