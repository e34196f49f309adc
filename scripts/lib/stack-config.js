#!/usr/bin/env node
// Keeps this machine's copy of each stack's config (.eosnet/stacks/Pulumi.<stack>.yaml, where
// Pulumi.yaml's stackConfigDir points) in step with the reviewed, tracked Pulumi.<stack>.yaml.
//
// Why: Pulumi writes the passphrase's encryption salt and every `config set --secret` value into
// the stack file it reads. Those are per machine; were Pulumi to read the tracked file, a fresh
// clone would fail on the committed salt ("incorrect passphrase") and every run would dirty git.
//
// Merge rule, per top-level config key:
//   - a key in the tracked file takes the tracked value (the reviewed config wins);
//   - a key only in the local copy is kept (secrets set on this machine, or values set by hand),
//     and plain ones are listed so nobody mistakes them for reviewed config;
//   - encryptionsalt / secretsprovider / encryptedkey come from the local copy (per machine),
//     unless the tracked file carries its own (a team sharing one passphrase).
// The local copy is only written when its content changes.
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");

const SECRETS_FIELDS = ["secretsprovider", "encryptedkey", "encryptionsalt"];

function load(file) {
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const doc = yaml.load(fs.readFileSync(file, "utf8"));
    if (doc !== undefined && doc !== null && (typeof doc !== "object" || Array.isArray(doc))) {
        throw new Error(`${file}: expected a mapping with a 'config:' key`);
    }
    return doc || {};
}

function hasSecure(value) {
    if (Array.isArray(value)) {
        return value.some(hasSecure);
    }
    if (value && typeof value === "object") {
        return "secure" in value || Object.values(value).some(hasSecure);
    }
    return false;
}

/** The merged document and the local-only plain keys (for a notice). */
function merge(tracked, local) {
    const out = {};
    const secretsFrom = SECRETS_FIELDS.some((f) => tracked[f] !== undefined) ? tracked : local;
    for (const f of SECRETS_FIELDS) {
        if (secretsFrom[f] !== undefined) {
            out[f] = secretsFrom[f];
        }
    }
    for (const [k, v] of Object.entries(tracked)) {
        if (k !== "config" && !SECRETS_FIELDS.includes(k)) {
            out[k] = v;
        }
    }
    const config = { ...(tracked.config || {}) };
    const localOnlyPlain = [];
    for (const [k, v] of Object.entries(local.config || {})) {
        if (k in config) {
            continue;
        }
        config[k] = v;
        if (!hasSecure(v)) {
            localOnlyPlain.push(k);
        }
    }
    if (Object.keys(config).length > 0) {
        out.config = config;
    }
    return { doc: out, localOnlyPlain };
}

function syncStack(root, dir, stack) {
    const trackedFile = path.join(root, `Pulumi.${stack}.yaml`);
    const localFile = path.join(dir, `Pulumi.${stack}.yaml`);
    const tracked = load(trackedFile);
    if (tracked === undefined) {
        return;
    }
    const local = load(localFile) || {};
    const { doc, localOnlyPlain } = merge(tracked, local);
    const text = "# This machine's copy of ../../Pulumi." + stack + ".yaml (kept in step by npm run up/preview/destroy),\n" +
        "# plus what belongs to this machine only: the passphrase's salt and secrets set here. Not tracked.\n" +
        yaml.dump(doc, { lineWidth: -1, noRefs: true });
    const before = fs.existsSync(localFile) ? fs.readFileSync(localFile, "utf8") : undefined;
    if (before !== text) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(localFile, text);
    }
    if (localOnlyPlain.length > 0) {
        process.stderr.write(`[stack-config] ${stack}: kept values set on this machine only (not in Pulumi.${stack}.yaml): ${localOnlyPlain.join(", ")}\n`);
    }
}

function main(argv) {
    const [root, dir, ...stacks] = argv;
    if (!root || !dir) {
        process.stderr.write("usage: stack-config.js <project dir> <stack config dir> [stack ...]\n");
        process.exit(2);
    }
    const names = stacks.length > 0 ? stacks : fs.readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f))
        .filter((m) => m !== null)
        .map((m) => m[1]);
    for (const stack of names) {
        syncStack(root, dir, stack);
    }
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`[stack-config] error: ${e.message}\n`);
        process.exit(1);
    }
}

module.exports = { merge };
