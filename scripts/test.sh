#!/usr/bin/env bash
# npm test: make sure the machine is set up (idempotent, seconds when ready), then run the unit and
# integration suites in one mocha run against the real Pulumi engine, docker engine and nodeos.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
# Test stacks use their own temporary backends and passphrases (tests/integration/harness.ts).
unset PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE_FILE
exec mocha --timeout 1200000 'tests/unit/**/*.test.ts' 'tests/policy/**/*.test.ts' 'bench/test/**/*.test.ts' 'tests/integration/**/*.test.ts' "$@"
