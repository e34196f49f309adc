#!/usr/bin/env node
// What a `pulumi` run killed with SIGKILL (or cut off with its machine session) leaves in a
// local-backend stack, and its cleaning before the next run:
//   - its lock: removed when the process that took it no longer runs on this host (a lock of a
//     live process is kept, so two real runs still exclude each other);
//   - an empty or cut `.attrs` sidecar: the file backend writes it in place (os.Create, then the
//     JSON) before renaming the state into place, so a kill in between leaves it unreadable and
//     every later run fails with "failed to load checkpoint: EOF". The sidecar only holds the
//     content type and an MD5; without it the state reads as before, so it is removed;
//   - operations left pending: counted on stdout (0 when none), for the caller to refresh away.
//
// usage: interrupted-run.js <backend dir> <project> <stack>
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

const say = (m) => process.stderr.write(`[stack] ${m}\n`);

function removeStaleLocks(backendDir, project, stack) {
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
            say(`removed the lock of an interrupted run (pid ${lock.pid}, ${lock.timestamp})`);
        }
    }
}

function removeBrokenSidecars(stacksDir, stack) {
    for (const name of [`${stack}.json.attrs`, `${stack}.json.bak.attrs`]) {
        const file = path.join(stacksDir, name);
        if (!fs.existsSync(file)) {
            continue;
        }
        try {
            JSON.parse(fs.readFileSync(file, "utf8"));
        } catch {
            fs.rmSync(file, { force: true });
            say(`removed ${name}, cut off by an interrupted run (the state itself is intact)`);
        }
    }
}

function pendingOperations(stacksDir, stack) {
    const file = path.join(stacksDir, `${stack}.json`);
    if (!fs.existsSync(file)) {
        return 0;
    }
    try {
        return (JSON.parse(fs.readFileSync(file, "utf8")).checkpoint?.latest?.pending_operations ?? []).length;
    } catch {
        return 0; // an unreadable state is pulumi's to report
    }
}

const [backendDir, project, stack] = process.argv.slice(2);
const stacksDir = path.join(backendDir, ".pulumi", "stacks", project);
removeStaleLocks(backendDir, project, stack);
removeBrokenSidecars(stacksDir, stack);
process.stdout.write(`${pendingOperations(stacksDir, stack)}\n`);
