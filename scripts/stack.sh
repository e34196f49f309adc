#!/usr/bin/env bash
# npm run up|preview|destroy [-- --stack NAME] [extra pulumi flags]
# Runs setup when needed (it is idempotent and takes seconds when the machine is ready), then the
# Pulumi command on the local file backend. The default stack is dev.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
action=${1:?usage: stack.sh up|preview|destroy|refresh [--stack NAME] [pulumi flags]}
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

bash "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"

pulumi stack select --create "$stack" >/dev/null
policy=()
if [ -f "$ROOT/policies/PulumiPolicy.yaml" ] && [ "$action" != destroy ] && [ "$action" != refresh ]; then
  policy=(--policy-pack "$ROOT/policies")
  # Per-stack policy settings (e.g. an allowed HTTP bind address) live beside the pack.
  if [ -f "$ROOT/policies/config.$stack.json" ]; then
    policy+=(--policy-pack-config "$ROOT/policies/config.$stack.json")
  fi
fi
case "$action" in
  up|destroy|refresh) exec pulumi "$action" --yes --stack "$stack" "${policy[@]}" "${args[@]}" ;;
  preview) exec pulumi preview --diff --stack "$stack" "${policy[@]}" "${args[@]}" ;;
  *) echo "unknown action: $action" >&2; exit 2 ;;
esac
