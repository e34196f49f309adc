#!/usr/bin/env bash
# npm run up|preview|destroy|refresh|status [-- --stack NAME] [extra pulumi flags]
# Runs setup when needed (it is idempotent and takes seconds when the machine is ready), then the
# Pulumi command on the local file backend. The default stack is dev.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
action=${1:?usage: stack.sh up|preview|destroy|refresh|status [--stack NAME] [pulumi flags]}
shift
stack=dev
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stack|-s) stack=${2:?--stack needs a name}; shift 2 ;;
    --stack=*) stack=${1#--stack=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ "$action" = status ]; then
  # status's stdout is its table (or --json): whatever setup prints goes to stderr.
  bash "$ROOT/scripts/setup.sh" >&2
else
  bash "$ROOT/scripts/setup.sh"
fi
source "$ROOT/scripts/env.sh"  # also brings .eosnet/stacks/Pulumi.<stack>.yaml in step with the tracked file

if [ "$action" = status ]; then
  # Only reads: no stack is created for it, and no pending operation is touched. The outputs are
  # read first so that a failing pulumi is told apart from an unhealthy network (exit 2, not 1).
  if ! pulumi stack select "$stack" >/dev/null 2>&1; then
    echo "status: there is no stack $stack: run \`npm run up\` first" >&2
    exit 2
  fi
  outputs=$(pulumi stack output --json --show-secrets=false --stack "$stack") || { echo "status: could not read the outputs of stack $stack" >&2; exit 2; }
  # --transpile-only: the script is type-checked with the project (npm run build, through its test).
  rc=0
  printf '%s\n' "$outputs" | node "$ROOT/node_modules/ts-node/dist/bin.js" --transpile-only "$ROOT/scripts/status.ts" "${args[@]}" || rc=$?
  exit "$rc"
fi

# A run killed with SIGKILL leaves its lock, maybe a cut state sidecar, and operations that never
# finished (see the script). Pending ones are refreshed away; the next create adopts what they had
# made, since every eosnet create first looks at the world.
pending=$(node "$ROOT/scripts/lib/interrupted-run.js" "$EOSNET_STATE_DIR" eos-network "$stack")
pulumi stack select --create "$stack" >/dev/null
if [ "$action" = up ]; then
  if [ "$pending" != 0 ]; then
    echo "[stack] $pending operation(s) of an interrupted run are pending: refreshing them away first" >&2
    pulumi refresh --yes --skip-preview --clear-pending-creates --stack "$stack" >&2
  fi
fi
policy=()
if [ -f "$ROOT/policies/PulumiPolicy.yaml" ] && [ "$action" != destroy ] && [ "$action" != refresh ]; then
  # The pack as JavaScript (see the script): the SDK's runner would type-check TypeScript each run.
  pack=$(node "$ROOT/scripts/lib/policy-pack.js" "$ROOT")
  policy=(--policy-pack "$pack")
  # Per-stack policy settings (e.g. an allowed HTTP bind address) live beside the pack.
  if [ -f "$ROOT/policies/config.$stack.json" ]; then
    policy+=(--policy-pack-config "$ROOT/policies/config.$stack.json")
  fi
fi
case "$action" in
  # up and preview read the real network first, so drift shows in the plan and up repairs it.
  up) exec pulumi up --yes --refresh --stack "$stack" "${policy[@]}" "${args[@]}" ;;
  preview) exec pulumi preview --refresh --diff --stack "$stack" "${policy[@]}" "${args[@]}" ;;
  refresh) exec pulumi refresh --yes --clear-pending-creates --stack "$stack" "${args[@]}" ;;
  # (see scripts/env.sh)
  destroy) PULUMI_SKIP_CHECKPOINTS=$EOSNET_DESTROY_SKIP_CHECKPOINTS exec pulumi destroy --yes --parallel "$EOSNET_DESTROY_PARALLEL" --stack "$stack" "${args[@]}" ;;
  *) echo "unknown action: $action" >&2; exit 2 ;;
esac
