# Shared by scripts/cluster/*.sh (sourced, not run).
K8S_CACHE=${EOSNET_K8S_CACHE:-${EOSNET_CACHE:-$HOME/.cache/eos-network}/k8s}
# The sandbox image containerd is configured with; build.sh makes it, up.sh imports it.
PAUSE_IMAGE=${PAUSE_IMAGE:-registry.k8s.io/pause:3.10.2}

log() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[cluster]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[cluster]\033[0m %s\n' "$*" >&2; exit 1; }
