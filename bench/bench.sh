#!/usr/bin/env bash
# npm run bench [-- options]: the benchmarks of issue 12 (and issue 9's before/after with
# --baseline REV). Not part of npm test. Heavy steps take /tmp/eosnet-heavy.lock themselves, one
# scenario at a time (do not wrap this script in flock: it would wait for itself).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source "$ROOT/scripts/env.sh"
# Bench stacks use their own temporary backends and passphrases (bench/lib/stacks.ts).
unset PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE_FILE
# The provider plugin is compiled before anything is timed (a stale build would be compiled by the
# first `up`, inside its time).
sh "$ROOT/scripts/build-provider.sh" --if-stale
exec node "$ROOT/node_modules/ts-node/dist/bin.js" --project "$ROOT/bench/tsconfig.json" "$ROOT/bench/run.ts" "$@"
