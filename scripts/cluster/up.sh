#!/usr/bin/env bash
# Brings up a one-node Kubernetes cluster whose node lives in the network namespace "eosk8s"
# (10.241.0.2 on the bridge eosk8s0, 10.241.0.1 in the root namespace; no default route, so nothing
# in it can reach beyond this machine). Needs root and the results of scripts/cluster/build.sh.
#
#   scripts/cluster/up.sh      # prints the kubeconfig path on stdout when the cluster is ready
#
# Safe to run twice (a healthy cluster is left as it is) and after a killed run (leftovers are
# removed with down.sh first). Logs: ~/.cache/eos-network/k8s/run/logs/.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/lib/cluster-env.sh
source "$HERE/lib/cluster-env.sh"

[ "$(id -u)" = 0 ] || die "up.sh needs root (network namespace, bridge, containerd, kubelet)"
take_lock
T0=$(date +%s)
since() { echo "$(( $(date +%s) - T0 ))s"; }

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  [ -x "$BIN/$b" ] || die "$BIN/$b is missing: run scripts/cluster/build.sh first"
done
[ -f "$IMAGES/pause.tar" ] || die "$IMAGES/pause.tar is missing: run scripts/cluster/build.sh first"
for c in containerd runc ctr nsenter openssl curl iptables conntrack python3; do
  command -v "$c" >/dev/null || die "$c is missing: run scripts/cluster/build.sh (it installs the Debian packages)"
done
[ -x /usr/lib/cni/bridge ] || die "/usr/lib/cni/bridge is missing: run scripts/cluster/build.sh"

# ---------------------------------------------------------------------------------------------
# Polling, never fixed sleeps: wait_for DESCRIPTION TIMEOUT_S COMPONENT CMD...
wait_for() {
  local what=$1 timeout=$2 comp=$3; shift 3
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    # Twice, a second apart: between its execs (setsid, nsenter, the program) a process's command
    # line reads empty for a moment, which once looked like an exit under load.
    if [ -n "$comp" ] && ! pid_alive "$comp" && ! { sleep 1; pid_alive "$comp"; }; then
      tail -n 30 "$LOGS/$comp.log" >&2 || true
      die "$comp exited while waiting for $what (log: $LOGS/$comp.log)"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { [ -z "$comp" ] || tail -n 30 "$LOGS/$comp.log" >&2; die "timed out after ${timeout}s waiting for $what"; }
    sleep 0.5
  done
  log "  $what ($(since))"
}

start() { # start COMPONENT [--root-ns] CMD...: in the node namespace unless --root-ns
  local comp=$1; shift
  local pre=(nsenter --net="$NETNS" --)
  if [ "$1" = --root-ns ]; then pre=(); shift; fi
  log "starting $comp"
  printf '\n===== %s %s\n' "$(date -u +%FT%TZ)" "$*" >>"$LOGS/$comp.log"
  setsid "${pre[@]}" "$@" </dev/null >>"$LOGS/$comp.log" 2>&1 9>&- &   # not holding the lock
  local pid=$! i
  # Until it execs, the pid is a fork of this shell, whose command line pid_alive does not know as
  # ours ("exited while waiting"): wait for the exec (or the exit) before the pid is used.
  for i in $(seq 1 500); do
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" != "$(readlink "/proc/$$/exe")" ] && break
    sleep 0.01
  done
  echo "$pid" >"$PIDS/$comp.pid"
}

# Conditions for wait_for (functions, so that they are evaluated on every try).
node_ready() {
  [ "$(kc get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
kubernetes_endpoints() {
  [ -n "$(kc -n default get endpointslices -l kubernetes.io/service-name=kubernetes -o 'jsonpath={.items[*].endpoints[*].addresses[0]}' 2>/dev/null)" ]
}

healthy() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_alive "$c" || return 1; done
  [ -e "$NETNS" ] || return 1
  kc get --raw /readyz >/dev/null 2>&1 || return 1
  node_ready
}

if [ -f "$KUBECONFIG_ADMIN" ] && healthy; then
  log "cluster already up and Ready (node $NODE_NAME at $NODE_IP)"
  echo "$KUBECONFIG_ADMIN"
  exit 0
fi
# Anything left from an earlier (maybe killed) run goes first.
"$HERE/down.sh" --quiet

# ---------------------------------------------------------------------------------------------
# Addresses: refuse to start when the planned networks clash with this machine's routes.
python3 - "$NODE_NET" "$POD_CIDR" "$SERVICE_CIDR" <<'EOF' || die "address plan clashes with a route of this machine (see above)"
import ipaddress, subprocess, sys
plan = [ipaddress.ip_network(n) for n in sys.argv[1:]]
bad = False
for i, a in enumerate(plan):
    for b in plan[i + 1:]:
        if a.overlaps(b):
            print(f"planned networks {a} and {b} overlap", file=sys.stderr); bad = True
for line in subprocess.run(["ip", "-4", "-o", "route", "show", "table", "all"], capture_output=True, text=True, check=True).stdout.splitlines():
    dst = line.split()[0]
    if dst in ("default", "local", "broadcast", "multicast", "unreachable", "blackhole", "prohibit", "throw"):
        f = line.split()
        if dst == "default" or len(f) < 2:
            continue
        dst = f[1]
    try:
        net = ipaddress.ip_network(dst, strict=False)
    except ValueError:
        continue
    if net.prefixlen == 0 or net.is_loopback:
        continue
    for p in plan:
        if p.overlaps(net):
            print(f"{p} overlaps the route: {line.strip()}", file=sys.stderr); bad = True
sys.exit(1 if bad else 0)
EOF

mkdir -p "$LOGS" "$PIDS" "$PKI" "$RUN/etcd" "$RUN/containerd" "$RUN/cni/net.d" "$RUN/cni/ipam" \
  "$RUN/kubelet" "$RUN/pod-logs" "$RUN/volumes" "$RUN/config"

# ---------------------------------------------------------------------------------------------
log "network: namespace $NS, bridge $BRIDGE $BRIDGE_CIDR, node $NODE_IP"
ip netns add "$NS"
ip link add "$BRIDGE" type bridge
ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
ip link set "$BRIDGE" up
ip link add "$VETH_HOST" type veth peer name "${NS}-n"
ip link set "$VETH_HOST" master "$BRIDGE" up
ip link set "${NS}-n" netns "$NS"
in_ns ip link set lo up
in_ns ip link set "${NS}-n" name eth0
in_ns ip addr add "$NODE_IP/${BRIDGE_CIDR#*/}" dev eth0
in_ns ip link set eth0 up
# Routing between pods and the node address; bridged pod traffic through iptables for Services.
in_ns sysctl -qw net.ipv4.ip_forward=1
in_ns sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || warn "net.bridge.bridge-nf-call-iptables not settable in $NS"
in_ns ip route | grep default >/dev/null && die "a default route appeared in $NS"
wait_for "node address $NODE_IP answers from the root namespace" 10 "" ping -c1 -W1 "$NODE_IP"

# ---------------------------------------------------------------------------------------------
log "certificates (openssl) in $PKI"
(
  cd "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=eosk8s-ca" 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  cert() { # name CN O [SAN]
    local name=$1 cn=$2 o=$3 san=${4:-} subj="/CN=$2"
    [ -n "$o" ] && subj="/O=$o/CN=$cn"
    openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null
    {
      echo "basicConstraints=CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      if [ -n "$san" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$san"
      else echo "extendedKeyUsage=clientAuth"; fi
    } >"$name.ext"
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" -days 3650 \
      -extfile "$name.ext" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
  }
  cert apiserver kube-apiserver "" "IP:$NODE_IP,IP:$KUBERNETES_SVC_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert admin admin system:masters
  cert controller-manager system:kube-controller-manager ""
  cert scheduler system:kube-scheduler ""
  cert kubelet "system:node:$NODE_NAME" system:nodes
  cert kubelet-server "system:node:$NODE_NAME" system:nodes "IP:$NODE_IP,DNS:$NODE_NAME"
  cert kube-proxy system:kube-proxy ""
  cert provisioner admin-provisioner system:masters
  chmod 0600 ./*.key
)

kubeconfig() { # file user cert
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: eosk8s
  cluster:
    server: https://$NODE_IP:6443
    certificate-authority: $PKI/ca.crt
users:
- name: $2
  user:
    client-certificate: $PKI/$3.crt
    client-key: $PKI/$3.key
contexts:
- name: $2@eosk8s
  context: {cluster: eosk8s, user: $2}
current-context: $2@eosk8s
EOF
  chmod 0600 "$1"
}
kubeconfig "$RUN/config/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$RUN/config/scheduler.kubeconfig" system:kube-scheduler scheduler
kubeconfig "$RUN/config/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
kubeconfig "$RUN/config/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
kubeconfig "$RUN/config/provisioner.kubeconfig" admin-provisioner provisioner
kubeconfig "$KUBECONFIG_ADMIN.tmp" admin admin

# ---------------------------------------------------------------------------------------------
start etcd "$BIN/etcd" --name eosk8s --data-dir "$RUN/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster eosk8s=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --log-level warn
wait_for "etcd healthy" 60 etcd in_ns curl -fsS http://127.0.0.1:2379/health

start kube-apiserver "$BIN/kube-apiserver" \
  --etcd-servers=http://127.0.0.1:2379 \
  --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
  --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
  --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --authorization-mode=Node,RBAC --allow-privileged=true --anonymous-auth=true \
  --kubelet-preferred-address-types=InternalIP,Hostname \
  --cert-dir="$RUN/apiserver-certs" --profiling=false --v=1
wait_for "kube-apiserver /readyz" 180 kube-apiserver \
  curl -fsS --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://$NODE_IP:6443/readyz"
mv -f "$KUBECONFIG_ADMIN.tmp" "$KUBECONFIG_ADMIN"

# ---------------------------------------------------------------------------------------------
# A containerd of our own beside docker's: own root, state, socket and CNI config. Pods reach
# addresses outside the cluster (a docker host's nodes, 10.241.0.1) from the node's address
# (ipMasq), as on a real cluster; traffic between pods and to Services keeps pod addresses.
cat >"$RUN/cni/net.d/10-eosk8s.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "eosk8s",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$RUN/cni/ipam",
        "ranges": [[{"subnet": "$NODE_POD_CIDR", "gateway": "${NODE_POD_CIDR%.*}.1"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
cat >"$RUN/containerd/config.toml" <<EOF
version = 2
root = "$RUN/containerd/root"
state = "$RUN/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CTR_SOCK"
[ttrpc]
  address = "$RUN/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$RUN/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # This machine's root lacks CAP_SYS_RESOURCE: the pause container's oom_score_adj -998 is refused
  # ("nsexec: failed to update /proc/self/oom_score_adj: Permission denied"); keep scores >= ours.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$RUN/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
EOF
start containerd "$(command -v containerd)" --config "$RUN/containerd/config.toml" --log-level warn
wait_for "containerd answers on $CTR_SOCK" 60 containerd ctr_k8s version

log "importing $PAUSE_IMAGE and $NODE_IMAGE into containerd (namespace k8s.io)"
ctr_k8s images import "$IMAGES/pause.tar" >/dev/null
ctr_k8s images ls -q | grep -xF "$PAUSE_IMAGE" >/dev/null || die "pause image $PAUSE_IMAGE not in containerd after import"
if docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  docker save "$NODE_IMAGE" | ctr_k8s images import - >/dev/null
  ctr_k8s images ls -q | grep "$NODE_IMAGE" >/dev/null || die "$NODE_IMAGE not in containerd after import"
  log "  images imported ($(since))"
else
  warn "$NODE_IMAGE is not in the docker engine (run npm run setup): not imported"
fi

# ---------------------------------------------------------------------------------------------
start kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig="$RUN/config/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$RUN/config/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$RUN/config/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
  --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --node-cidr-mask-size=24 \
  --service-cluster-ip-range="$SERVICE_CIDR" --controllers='*,tokencleaner' --v=1
start kube-scheduler "$BIN/kube-scheduler" \
  --kubeconfig="$RUN/config/scheduler.kubeconfig" \
  --authentication-kubeconfig="$RUN/config/scheduler.kubeconfig" \
  --authorization-kubeconfig="$RUN/config/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --v=1
wait_for "kube-controller-manager /healthz" 90 kube-controller-manager in_ns curl -fsSk https://127.0.0.1:10257/healthz
wait_for "kube-scheduler /readyz" 90 kube-scheduler in_ns curl -fsSk https://127.0.0.1:10259/readyz

# ---------------------------------------------------------------------------------------------
# kubelet: cgroup v1 here (failCgroupV1: false), cgroupfs driver, its own cgroup root /eosk8s.
for h in /sys/fs/cgroup/*/; do
  [ "$(stat -f -c %T "$h")" = cgroupfs ] || continue   # v1 hierarchies only
  mkdir -p "$h${CGROUP_ROOT#/}"
  if [ -f "$h/cpuset.cpus" ]; then
    cat "$h/cpuset.cpus" >"$h${CGROUP_ROOT#/}/cpuset.cpus"
    cat "$h/cpuset.mems" >"$h${CGROUP_ROOT#/}/cpuset.mems"
  fi
done
cat >"$RUN/config/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
address: $NODE_IP
port: 10250
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-server.crt
tlsPrivateKeyFile: $PKI/kubelet-server.key
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
cgroupsPerQOS: true
containerRuntimeEndpoint: unix://$CTR_SOCK
podLogsDir: $RUN/pod-logs
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
failSwapOn: false
rotateCertificates: false
serverTLSBootstrap: false
registerNode: true
maxPods: 50
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
EOF
start kubelet "$BIN/kubelet" --config="$RUN/config/kubelet.yaml" \
  --kubeconfig="$RUN/config/kubelet.kubeconfig" --root-dir="$RUN/kubelet" \
  --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1
wait_for "node $NODE_NAME Ready" 180 kubelet node_ready

# ---------------------------------------------------------------------------------------------
cat >"$RUN/config/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $RUN/config/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
nodePortAddresses: ["$NODE_NET"]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOF
start kube-proxy "$BIN/kube-proxy" --config="$RUN/config/kube-proxy.yaml" --v=1
wait_for "kube-proxy /healthz" 90 kube-proxy in_ns curl -fsS http://127.0.0.1:10256/healthz

# ---------------------------------------------------------------------------------------------
# Storage: a default StorageClass served by lib/provisioner.py (hostPath-like local volumes on
# this node under run/volumes, made when a claim's pod is scheduled, removed when released).
kc apply --server-side --field-manager=eosk8s-up -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: eosk8s-local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: $STORAGE_PROVISIONER
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
EOF
start provisioner --root-ns python3 "$HERE/lib/provisioner.py" --kubectl "$BIN/kubectl" \
  --kubeconfig "$RUN/config/provisioner.kubeconfig" --provisioner "$STORAGE_PROVISIONER" \
  --node "$NODE_NAME" --dir "$RUN/volumes"
wait_for "storage provisioner running" 30 provisioner grep -q "provisioner ready" "$LOGS/provisioner.log"

wait_for "service account default/default" 60 kube-controller-manager kc -n default get serviceaccount default
wait_for "Service default/kubernetes endpoints" 60 kube-apiserver kubernetes_endpoints

log "cluster up in $(since): node $NODE_NAME at $NODE_IP, API https://$NODE_IP:6443"
log "  KUBECONFIG=$KUBECONFIG_ADMIN  (kubectl: $BIN/kubectl)"
echo "$KUBECONFIG_ADMIN"
