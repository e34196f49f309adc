#!/usr/bin/env bash
# Proves the cluster of up.sh serves what eos-network needs: a StatefulSet of one nodeos (the
# project's node image, imagePullPolicy Never) on a PersistentVolumeClaim from its
# volumeClaimTemplate, a ClusterIP and a NodePort Service; get_info answers from the root namespace
# through the NodePort and from another pod through the ClusterIP.
#
#   scripts/cluster/smoke-test.sh [--keep]     # removes its namespace at the end unless --keep
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/cluster/lib/cluster-env.sh
source "$HERE/lib/cluster-env.sh"
KEEP=0; [ "${1:-}" = --keep ] && KEEP=1
TNS=eosk8s-smoke
export KUBECONFIG=$KUBECONFIG_ADMIN
k() { "$BIN/kubectl" "$@"; }

[ -f "$KUBECONFIG" ] || die "no kubeconfig at $KUBECONFIG: run scripts/cluster/up.sh first"
T0=$(date +%s)

k apply --server-side --field-manager=eosk8s-smoke -f - <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: $TNS}
---
apiVersion: v1
kind: Service
metadata: {name: nodeos, namespace: $TNS}
spec:
  type: ClusterIP
  selector: {app: nodeos}
  ports: [{name: http, port: 8888, targetPort: 8888}]
---
apiVersion: v1
kind: Service
metadata: {name: nodeos-nodeport, namespace: $TNS}
spec:
  type: NodePort
  selector: {app: nodeos}
  ports: [{name: http, port: 8888, targetPort: 8888}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: nodeos, namespace: $TNS}
spec:
  replicas: 1
  serviceName: nodeos
  selector: {matchLabels: {app: nodeos}}
  template:
    metadata: {labels: {app: nodeos}}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
      - name: nodeos
        image: $NODE_IMAGE
        imagePullPolicy: Never
        command: [nodeos]
        args: [-e, -p, eosio, --plugin, eosio::chain_api_plugin, --plugin, eosio::http_plugin,
               --http-server-address=0.0.0.0:8888, --http-validate-host=false,
               --data-dir=/data/data, --config-dir=/data/config]
        ports: [{name: http, containerPort: 8888}]
        readinessProbe:
          httpGet: {path: /v1/chain/get_info, port: 8888}
          periodSeconds: 2
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
EOF

k -n "$TNS" rollout status statefulset/nodeos --timeout=180s
k -n "$TNS" wait --for=jsonpath='{.status.phase}'=Bound pvc/data-nodeos-0 --timeout=60s
echo "--- objects"
k -n "$TNS" get statefulset,pod,pvc,svc -o wide
k get pv,storageclass

NODE_PORT=$(k -n "$TNS" get svc nodeos-nodeport -o 'jsonpath={.spec.ports[0].nodePort}')
CLUSTER_IP=$(k -n "$TNS" get svc nodeos -o 'jsonpath={.spec.clusterIP}')

echo "--- from the root namespace: curl http://$NODE_IP:$NODE_PORT/v1/chain/get_info"
curl -fsS --max-time 10 "http://$NODE_IP:$NODE_PORT/v1/chain/get_info"; echo

echo "--- from another pod through the ClusterIP $CLUSTER_IP:8888"
k -n "$TNS" delete pod client --ignore-not-found --wait=true >/dev/null
k -n "$TNS" run client --image="$NODE_IMAGE" --image-pull-policy=Never --restart=Never --command -- \
  bash -c "cleos -u http://$CLUSTER_IP:8888 get info && exec 3<>/dev/tcp/$CLUSTER_IP/8888 && printf 'GET /v1/chain/get_info HTTP/1.0\r\nHost: nodeos\r\n\r\n' >&3 && head -1 <&3"
k -n "$TNS" wait --for=jsonpath='{.status.phase}'=Succeeded pod/client --timeout=120s
k -n "$TNS" logs client

echo "--- data on the claim's volume"
PV=$(k -n "$TNS" get pvc data-nodeos-0 -o 'jsonpath={.spec.volumeName}')
ls "$(k get pv "$PV" -o 'jsonpath={.spec.local.path}')"/data

log "smoke test passed in $(( $(date +%s) - T0 ))s"
if [ "$KEEP" = 0 ]; then
  k delete namespace "$TNS" --wait=true --timeout=120s >/dev/null
  log "namespace $TNS removed"
fi
