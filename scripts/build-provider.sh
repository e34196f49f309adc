#!/bin/sh
# Compiles the eosnet provider plugin (provider/, with planning/, keys/ and rules/) into bin/provider.
# --if-stale: only when a source changed since the last build (a content hash, not mtimes).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sources_hash() {
  find provider planning keys rules -name '*.ts' -type f | LC_ALL=C sort | xargs cat tsconfig.json provider/tsconfig.json package-lock.json | sha256sum | cut -c1-64
}
stamp=bin/provider/.sources.sha256
want=$(sources_hash)
if [ "${1:-}" = --if-stale ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
mkdir -p bin
# Plugins start in parallel: one build at a time, and a second starter finds it done.
exec 9>bin/.provider-build.lock
flock 9
if [ "${1:-}" = --if-stale ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
echo "[eosnet] building the provider plugin (bin/provider)" >&2
rm -rf bin/provider
node_modules/.bin/tsc -p provider/tsconfig.json
echo "$want" > "$stamp"
