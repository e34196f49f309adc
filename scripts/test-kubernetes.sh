#!/usr/bin/env bash
# npm run test:kubernetes: setup, then the Kubernetes suite alone (it builds the test cluster, cached
# under ~/.cache/eos-network/k8s, and brings it up; see scripts/cluster/README.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
unset PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE_FILE
exec mocha --timeout 1200000 'tests/cluster/**/*.test.ts' "$@"
