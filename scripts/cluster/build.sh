#!/usr/bin/env bash
# Builds everything a one-node Kubernetes cluster needs on a machine that reaches only package
# registries (see scripts/cluster/README.md). Idempotent and cached: every step is skipped when its
# result is there and was made from the same versions, so a second run takes seconds.
#
#   scripts/cluster/build.sh            # everything
#   scripts/cluster/build.sh STEP...    # only these steps: packages k8s etcd pause plugin
#
# Results under $EOSNET_K8S_CACHE (default ~/.cache/eos-network/k8s): bin/, images/, src/ (wrapper
# modules), build-times.log (how long each build took when it last ran).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/lib/common.sh
source "$HERE/lib/common.sh"

K8S_VERSION=${K8S_VERSION:-1.37.2}
ETCD_VERSION=${ETCD_VERSION:-3.6.13}
# The only version of the provider module the Go proxy serves here (tags answer 403).
PK8S_PSEUDO=${PK8S_PSEUDO:-v4.0.0-20260115033456-f47bc2d6f199}
PK8S_SDK=${PK8S_SDK:-v4.24.0}
K8S_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

SRC=$K8S_CACHE/src
BIN=$K8S_CACHE/bin
IMAGES=$K8S_CACHE/images
TIMES=$K8S_CACHE/build-times.log
mkdir -p "$SRC" "$BIN" "$IMAGES"

export GOFLAGS=${GOFLAGS:--buildvcs=false}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export CGO_ENABLED=0

# go builds run at the lowest priority: the machine is shared with test runs.
gobuild() { nice -n 19 go build "$@"; }

step_start() { _STEP=$1; _T0=$(date +%s); }
step_done() { # $1: built|cached ; prints the timing line, records real builds
  local dt=$(( $(date +%s) - _T0 ))
  log "step $_STEP: $1 in ${dt}s"
  if [ "$1" = built ]; then printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "$_STEP" "$dt" >>"$TIMES"; fi
}

stamp_ok() { [ -f "$1.stamp" ] && [ "$(cat "$1.stamp")" = "$2" ] && [ -s "$1" ]; }
stamp_set() { printf '%s' "$2" >"$1.stamp"; }

# ---------------------------------------------------------------------------------------------
step_packages() {
  step_start packages
  local want=(containerd runc containernetworking-plugins iptables conntrack socat ethtool
    iproute2 iputils-ping util-linux openssl gcc libc6-dev curl python3) missing=()
  local p
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local stamp=/var/lib/apt/periodic/eosnet-k8s-update
    if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
      apt-get update -qq && mkdir -p "$(dirname "$stamp")" && touch "$stamp"
    fi
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    step_done built
  else
    step_done cached
  fi
}

# ---------------------------------------------------------------------------------------------
k8s_wrapper() { # the wrapper module that builds k8s.io/kubernetes commands from the proxy
  local dir=$SRC/kubernetes-v$K8S_VERSION
  if [ -f "$dir/.ready" ]; then echo "$dir"; return; fi
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    go mod init eos-network.local/k8s-build >/dev/null 2>&1
    go mod download k8s.io/kubernetes@v$K8S_VERSION
    local mod
    mod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$K8S_VERSION.mod"
    # Every staging module of this version: kubernetes requires them at v0.0.0 with a replace to
    # ./staging, which the proxy cannot serve; each has its own release v0.<minor>.<patch>.
    local staging
    staging=$(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$mod")
    [ -n "$staging" ] || die "no staging modules found in $mod"
    local m args=()
    for m in $staging; do args+=("-replace=$m=$m@v0.${K8S_VERSION#*.}"); done
    go mod edit "${args[@]}" -require=k8s.io/kubernetes@v$K8S_VERSION
    printf 'package tools\n\nimport (\n' >tools.go
    local c
    for c in "${K8S_COMPONENTS[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c" >>tools.go; done
    printf ')\n' >>tools.go
    sed -i '1i //go:build tools\n' tools.go
    for c in "${K8S_COMPONENTS[@]}"; do
      GOFLAGS="$GOFLAGS -mod=mod" go get "k8s.io/kubernetes/cmd/$c@v$K8S_VERSION" >&2
    done
    GOFLAGS="$GOFLAGS -mod=mod" go mod download >&2
  ) >&2
  touch "$dir/.ready"
  echo "$dir"
}

step_k8s() {
  local c dir="" stampv ldflags
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=${K8S_VERSION%%.*}"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
  ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  ldflags+=" -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitMajor=${K8S_VERSION%%.*}"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
  stampv="k8s.io/kubernetes@v$K8S_VERSION $ldflags"
  for c in "${K8S_COMPONENTS[@]}"; do
    step_start "$c"
    if stamp_ok "$BIN/$c" "$stampv"; then step_done cached; continue; fi
    [ -n "$dir" ] || dir=$(k8s_wrapper)
    (cd "$dir" && gobuild -trimpath -ldflags "$ldflags" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c")
    mv -f "$BIN/$c.tmp" "$BIN/$c"
    stamp_set "$BIN/$c" "$stampv"
    step_done built
  done
  "$BIN/kubectl" version --client 2>/dev/null | head -1 | sed 's/^/  /' >&2 || true
}

# ---------------------------------------------------------------------------------------------
step_etcd() {
  # Only the server: go.etcd.io/etcd/etcdctl/v3@v3.6.13 is refused by the proxy here (403), and
  # health is read over HTTP (/health) anyway.
  step_start etcd
  local stampv="go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  if stamp_ok "$BIN/etcd" "$stampv"; then step_done cached; return; fi
  local dir=$SRC/etcd-v$ETCD_VERSION
  if [ ! -f "$dir/.ready" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (
      cd "$dir"
      go mod init eos-network.local/etcd-build >/dev/null 2>&1
      GOFLAGS="$GOFLAGS -mod=mod" go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
      GOFLAGS="$GOFLAGS -mod=mod" go mod download
    ) >&2
    touch "$dir/.ready"
  fi
  (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" gobuild -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv -f "$BIN/etcd.tmp" "$BIN/etcd"
  stamp_set "$BIN/etcd" "$stampv"
  # sed reads it all: with head, etcd could die of SIGPIPE and pipefail would stop the build here.
  "$BIN/etcd" --version | sed -n "1s/^/  /p" >&2
  step_done built
}

# ---------------------------------------------------------------------------------------------
# The sandbox image: pause.c from the k8s.io/kubernetes module zip, linked statically, in an
# OCI image tarball (with a docker manifest.json too) named $PAUSE_IMAGE.
step_pause() {
  step_start pause
  local tar=$IMAGES/pause.tar stampv
  local src
  go mod download k8s.io/kubernetes@v$K8S_VERSION
  src="$(go env GOMODCACHE)/k8s.io/kubernetes@v$K8S_VERSION/build/pause/linux/pause.c"
  [ -f "$src" ] || die "pause.c not found at $src"
  stampv="$PAUSE_IMAGE $(sha256sum "$src" | cut -c1-64) $(sha256sum "$HERE/lib/oci-image.py" | cut -c1-64)"
  if stamp_ok "$tar" "$stampv"; then step_done cached; return; fi
  local work=$SRC/pause
  rm -rf "$work" && mkdir -p "$work/rootfs"
  gcc -Os -Wall -Werror -static -DVERSION="v${PAUSE_IMAGE##*:}-eosnet" -o "$work/rootfs/pause" "$src"
  strip "$work/rootfs/pause"
  file "$work/rootfs/pause" 2>/dev/null | grep 'statically linked' >/dev/null || ldd "$work/rootfs/pause" 2>&1 | grep 'not a dynamic' >/dev/null \
    || die "pause is not static"
  python3 "$HERE/lib/oci-image.py" --rootfs "$work/rootfs" --name "$PAUSE_IMAGE" \
    --entrypoint /pause --user 65535:65535 --out "$tar.tmp"
  mv -f "$tar.tmp" "$tar"
  stamp_set "$tar" "$stampv"
  step_done built
}

# ---------------------------------------------------------------------------------------------
# pulumi-resource-kubernetes from the one pseudo-version the proxy serves, as plugin "kubernetes",
# with the schema.json of that module zip embedded. The engine looks for exactly the version the npm
# SDK asks for (its package.json version): 4.24.0 per the plan, but npm serves no 4.24.0 here, only
# 4.24.1 (released after the commit), so the same binary is installed under each version in
# PK8S_PLUGIN_VERSIONS and reports the version of the directory it was started from.
PK8S_PLUGIN_VERSIONS=${PK8S_PLUGIN_VERSIONS:-4.24.0 4.24.1}
write_plugin_main() {
  cat <<'GOEOF'
// pulumi-resource-kubernetes, built by eos-network from the Go module proxy: the official provider
// package, served under the version of the plugin directory it runs from
// (~/.pulumi/plugins/resource-kubernetes-v<version>/), else the version linked in.
package main

import (
	_ "embed"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var schema []byte

func main() {
	if exe, err := os.Executable(); err == nil {
		if dir := filepath.Base(filepath.Dir(exe)); strings.HasPrefix(dir, "resource-kubernetes-v") {
			version.Version = strings.TrimPrefix(dir, "resource-kubernetes-v")
		}
	}
	provider.Serve("kubernetes", version.Version, schema, nil)
}
GOEOF
}

step_plugin() {
  step_start pulumi-resource-kubernetes
  local out=$BIN/pulumi-resource-kubernetes
  local dir=$SRC/pulumi-kubernetes-$PK8S_PSEUDO
  local stampv
  stampv="github.com/pulumi/pulumi-kubernetes/provider/v4@$PK8S_PSEUDO sdk@$PK8S_SDK main $(write_plugin_main | sha256sum | cut -c1-16)"
  if ! stamp_ok "$out" "$stampv"; then
    if [ ! -f "$dir/.ready" ]; then
      rm -rf "$dir" && mkdir -p "$dir"
      (
        cd "$dir"
        go mod init eos-network.local/pulumi-resource-kubernetes >/dev/null 2>&1
        go mod download "github.com/pulumi/pulumi-kubernetes/provider/v4@$PK8S_PSEUDO"
        local zipdir
        zipdir="$(go env GOMODCACHE)/github.com/pulumi/pulumi-kubernetes/provider/v4@$PK8S_PSEUDO"
        cp "$zipdir/cmd/pulumi-resource-kubernetes/schema.json" schema.json
        chmod 0644 schema.json
        # The provider's go.mod points the sdk at ../sdk (its only replace): use the sdk release.
        go mod edit -require="github.com/pulumi/pulumi-kubernetes/provider/v4@$PK8S_PSEUDO" \
          -replace="github.com/pulumi/pulumi-kubernetes/sdk/v4=github.com/pulumi/pulumi-kubernetes/sdk/v4@$PK8S_SDK"
        write_plugin_main >main.go
        GOFLAGS="$GOFLAGS -mod=mod" go mod tidy
      ) >&2
      touch "$dir/.ready"
    fi
    write_plugin_main >"$dir/main.go"
    (cd "$dir" && gobuild -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${PK8S_PLUGIN_VERSIONS%% *}" \
      -o "$out.tmp" .)
    mv -f "$out.tmp" "$out"
    stamp_set "$out" "$stampv"
    step_done built
  else
    step_done cached
  fi
  local v pdir
  for v in $PK8S_PLUGIN_VERSIONS; do
    pdir=${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-kubernetes-v$v
    mkdir -p "$pdir"
    if ! cmp -s "$out" "$pdir/pulumi-resource-kubernetes"; then
      ln -f "$out" "$pdir/pulumi-resource-kubernetes.tmp" 2>/dev/null || install -m 0755 "$out" "$pdir/pulumi-resource-kubernetes.tmp"
      mv -f "$pdir/pulumi-resource-kubernetes.tmp" "$pdir/pulumi-resource-kubernetes"
      log "installed $pdir/pulumi-resource-kubernetes"
    fi
  done
  # Check it with the project's pinned CLI when there is one (only installed versions are asked
  # for: for a missing one the CLI would try to download it).
  local root; root=$(cd "$HERE/../.." && pwd)
  (
    set +u
    # shellcheck disable=SC1091
    source "$root/scripts/env.sh" >/dev/null 2>&1 || true
    command -v pulumi >/dev/null 2>&1 || exit 0
    for v in $PK8S_PLUGIN_VERSIONS; do
      [ -x "${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-kubernetes-v$v/pulumi-resource-kubernetes" ] || continue
      n=$(cd /tmp && timeout 120 pulumi package get-schema "kubernetes@$v" 2>/dev/null \
        | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["name"], s.get("version","(no version in schema)"), len(s["resources"]), "resources,", "kubernetes:apps/v1:StatefulSet" if "kubernetes:apps/v1:StatefulSet" in s["resources"] else "NO StatefulSet")' 2>/dev/null) || true
      if [ -n "$n" ]; then log "  pulumi package get-schema kubernetes@$v: $n"
      else warn "pulumi package get-schema kubernetes@$v did not answer"; fi
    done
  )
}

# ---------------------------------------------------------------------------------------------
main() {
  local t0 steps
  t0=$(date +%s)
  # One build at a time: npm test starts one in the background beside the other suites, and the
  # Kubernetes suite's own call waits here for it, then finds every step cached.
  exec 8>"$K8S_CACHE/.build.lock"
  if ! flock -n 8; then
    log "another build.sh is running: waiting for it"
    flock 8
  fi
  steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(packages k8s etcd pause plugin)
  local s
  for s in "${steps[@]}"; do
    case $s in
      packages|k8s|etcd|pause|plugin) "step_$s" ;;
      *) die "unknown step $s (packages k8s etcd pause plugin)" ;;
    esac
  done
  log "build done in $(( $(date +%s) - t0 ))s; cache $(du -sh "$K8S_CACHE" --exclude=run 2>/dev/null | cut -f1) in $K8S_CACHE (bin $(du -sh "$BIN" | cut -f1)), Go module cache $(du -sh "$(go env GOMODCACHE)" 2>/dev/null | cut -f1), Go build cache $(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1)"
}
main "$@"
