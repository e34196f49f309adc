#!/usr/bin/env bash
# Stops the one-node cluster of scripts/cluster/up.sh and removes everything it made: processes
# (by pidfile, then whatever else still runs from its run dir or in its namespace), containers and
# their shims, mounts under the run dir, the network namespace, bridge and veths, the kubelet's
# cgroups and the run dir itself (the logs in run/logs are kept). Safe to run twice, and after a
# killed run.
#
#   scripts/cluster/down.sh [--quiet]
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/lib/cluster-env.sh
source "$HERE/lib/cluster-env.sh"
QUIET=0; [ "${1:-}" = --quiet ] && QUIET=1
say() { [ "$QUIET" = 1 ] || log "$@"; }

[ "$(id -u)" = 0 ] || die "down.sh needs root"
take_lock

wait_gone() { # pid timeout_s
  local pid=$1 deadline=$(( $(date +%s) + $2 ))
  while [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

stop_pid() { # name pid
  local name=$1 pid=$2
  [ -d "/proc/$pid" ] || return 0
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_gone "$pid" 20; then
    warn "$name (pid $pid) did not stop in 20s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    wait_gone "$pid" 10 || warn "$name (pid $pid) still there"
  fi
}

stop_component() {
  local c=$1
  if pid_alive "$c"; then stop_pid "$c" "$(cat "$PIDS/$c.pid")"; fi
  rm -f "$PIDS/$c.pid"
}

# 1. Everything that talks to the API or to containerd, newest first.
for c in provisioner kube-proxy kubelet kube-scheduler kube-controller-manager; do stop_component "$c"; done

# 2. Containers: kill and delete every task of our containerd (so their shims exit and clean up).
if pid_alive containerd && [ -S "$CTR_SOCK" ]; then
  tasks=$(timeout 20 "$(command -v ctr)" --address "$CTR_SOCK" --namespace k8s.io tasks ls -q 2>/dev/null || true)
  if [ -n "$tasks" ]; then
    say "killing $(echo "$tasks" | wc -l) containers"
    for t in $tasks; do timeout 20 "$(command -v ctr)" --address "$CTR_SOCK" -n k8s.io tasks kill -a -s SIGKILL "$t" >/dev/null 2>&1; done
    for t in $tasks; do
      for _ in $(seq 1 50); do
        timeout 20 "$(command -v ctr)" --address "$CTR_SOCK" -n k8s.io tasks delete "$t" >/dev/null 2>&1 && break
        timeout 5 "$(command -v ctr)" --address "$CTR_SOCK" -n k8s.io tasks ls -q 2>/dev/null | grep -xF "$t" >/dev/null || break
        sleep 0.2
      done
    done
  fi
fi
# Whatever still runs in the kubelet's cgroups (e.g. containerd was gone already).
kill_cgroup_procs() {
  local h f p found=0
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h${CGROUP_ROOT#/}" ] || continue
    while IFS= read -r f; do
      while read -r p; do [ -n "$p" ] && { kill -KILL "$p" 2>/dev/null && found=1; }; done <"$f"
    done < <(find "$h${CGROUP_ROOT#/}" -name cgroup.procs 2>/dev/null)
  done
  return $(( 1 - found ))
}
if kill_cgroup_procs; then say "killed leftover container processes in cgroup $CGROUP_ROOT"; fi

# Shims of our containerd (their -address is our socket).
shim_pids() {
  local d
  for d in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
    [[ $cmd == *containerd-shim*" -address $CTR_SOCK "* ]] && echo "${d#/proc/}"
  done
}
for p in $(shim_pids); do stop_pid containerd-shim "$p"; done

# 3. The runtime and the control plane.
for c in containerd kube-apiserver etcd; do stop_component "$c"; done

# 4. Safety net: anything else of ours: a program run from our bin dir, our containerd or its shims,
# the provisioner, or any process in our namespace. (Not just any command line naming our dirs: a
# go build writing into bin/ or a `tail -f` of a log is not ours to stop.)
ours() {
  local d cmd argv0
  for d in /proc/[0-9]*; do
    [ "${d#/proc/}" = $$ ] && continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
    argv0=${cmd%% *}
    case $argv0 in
      "$BIN"/*) echo "${d#/proc/}" ;;
      */containerd|containerd|*/containerd-shim*)
        [[ $cmd == *"$RUN/"* ]] && echo "${d#/proc/}" ;;
      */python3|python3)
        [[ $cmd == *"$HERE/lib/provisioner.py"* ]] && echo "${d#/proc/}" ;;
    esac
  done
  [ -e "$NETNS" ] && ip netns pids "$NS" 2>/dev/null
}
for p in $(ours | sort -u); do
  [ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
  stop_pid "leftover $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-80)" "$p"
done
if kill_cgroup_procs; then say "killed leftover processes in cgroup $CGROUP_ROOT"; fi

# Shim sockets our containerd left (a shim killed hard does not remove its socket).
for f in "$RUN"/containerd/state/io.containerd.runtime.v2.task/*/*/address; do
  [ -f "$f" ] || continue
  s=$(sed 's#^unix://##' "$f"); case $s in /run/containerd/s/*) rm -f "$s" ;; esac
done

# 5. Mounts under the run dir (kubelet volumes, container rootfs and shm, pod netns), deepest first.
umount_all_under() {
  local root=$1 m n=0
  while IFS= read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "cannot unmount $m"
    n=$((n + 1))
  done < <(awk -v r="$root/" 'index($5, r) == 1 {print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-)
  [ "$n" = 0 ] || say "unmounted $n mounts under $root"
}
umount_all_under "$RUN"
umount_all_under "$RUN"   # mounts revealed by the first pass

# 6. Network: the namespace (with eth0, cni0 and the pod veths in it), the bridge, the veth end.
if [ -e "$NETNS" ] || ip netns list 2>/dev/null | grep -w "^$NS" >/dev/null; then
  say "deleting network namespace $NS"
  ip netns del "$NS" 2>/dev/null || { umount -l "$NETNS" 2>/dev/null; rm -f "$NETNS"; }
fi
for l in "$VETH_HOST" "$BRIDGE"; do
  if ip link show "$l" >/dev/null 2>&1; then say "deleting link $l"; ip link del "$l" 2>/dev/null; fi
done

# 7. The kubelet's cgroups.
for h in /sys/fs/cgroup/*/; do
  [ -d "$h${CGROUP_ROOT#/}" ] || continue
  find "$h${CGROUP_ROOT#/}" -depth -type d -exec rmdir {} \; 2>/dev/null || warn "cgroup $h${CGROUP_ROOT#/} not removable (processes left?)"
done

# 8. The run dir, but the logs.
if [ -d "$RUN" ]; then
  if awk -v r="$RUN/" 'index($5, r) == 1' /proc/self/mountinfo | grep . >/dev/null; then
    warn "mounts left under $RUN: not removing it"; exit 1
  fi
  find "$RUN" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
fi

left=$(ours | sort -u | grep -vx -e $$ -e "$BASHPID" || true)
[ -z "$left" ] || warn "processes still running: $left"
say "cluster down"
