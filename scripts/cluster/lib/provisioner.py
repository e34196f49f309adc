#!/usr/bin/env python3
"""A small dynamic volume provisioner for the one-node cluster (scripts/cluster/up.sh starts it).

It serves the default StorageClass (provisioner eos-network.local/hostpath, WaitForFirstConsumer):
for every claim the PV controller hands to it (annotation volume.kubernetes.io/storage-provisioner)
once the scheduler has picked the node (volume.kubernetes.io/selected-node), it makes a directory
under --dir and a `local` PersistentVolume pre-bound to the claim, with node affinity to the node.
A released volume of its own with reclaim policy Delete is removed with its directory. It polls the
API through kubectl (no client library needed) every --interval seconds.
"""
import argparse, json, os, re, shutil, subprocess, sys, time

ANN_PROVISIONER = ("volume.kubernetes.io/storage-provisioner", "volume.beta.kubernetes.io/storage-provisioner")
ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node"
ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"


def log(*a):
    print(time.strftime("%Y-%m-%dT%H:%M:%S"), *a, flush=True)


class Kube:
    def __init__(self, kubectl, kubeconfig):
        self.base = [kubectl, "--kubeconfig", kubeconfig, "--request-timeout=20s"]

    def run(self, args, stdin=None):
        p = subprocess.run(self.base + args, input=stdin, capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError(f"kubectl {' '.join(args)}: {p.stderr.strip()}")
        return p.stdout

    def get(self, args):
        return json.loads(self.run(["get", "-o", "json"] + args))["items"]


def provision(kube, a, classes, pvc):
    meta, spec = pvc["metadata"], pvc["spec"]
    ann = meta.get("annotations", {})
    if pvc.get("status", {}).get("phase") != "Pending" or spec.get("volumeName"):
        return
    sc = spec.get("storageClassName")
    if sc not in classes or not any(ann.get(k) == a.provisioner for k in ANN_PROVISIONER):
        return
    node = ann.get(ANN_SELECTED_NODE)
    if not node:
        return  # WaitForFirstConsumer: not until a pod using it is scheduled
    if node != a.node:
        log(f"claim {meta['namespace']}/{meta['name']} selected node {node}, this provisioner serves {a.node}")
        return
    name = "pvc-" + meta["uid"]
    path = os.path.join(a.dir, name)
    os.makedirs(path, mode=0o777, exist_ok=True)
    os.chmod(path, 0o777)
    size = spec.get("resources", {}).get("requests", {}).get("storage", "1Gi")
    pv = {
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": {ANN_PROVISIONED_BY: a.provisioner},
                     "labels": {"eosk8s/claim-namespace": meta["namespace"]}},
        "spec": {
            "capacity": {"storage": size},
            "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
            "volumeMode": spec.get("volumeMode", "Filesystem"),
            "persistentVolumeReclaimPolicy": classes[sc],
            "storageClassName": sc,
            "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": meta["namespace"],
                         "name": meta["name"], "uid": meta["uid"], "resourceVersion": meta["resourceVersion"]},
            "local": {"path": path},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}},
        },
    }
    try:
        kube.run(["create", "-f", "-"], stdin=json.dumps(pv))
        log(f"provisioned {name} ({size}) at {path} for claim {meta['namespace']}/{meta['name']}")
    except RuntimeError as e:
        if "AlreadyExists" not in str(e):
            raise


def reclaim(kube, a, pv):
    meta, spec = pv["metadata"], pv["spec"]
    if meta.get("annotations", {}).get(ANN_PROVISIONED_BY) != a.provisioner:
        return
    if pv.get("status", {}).get("phase") not in ("Released", "Failed"):
        return
    if spec.get("persistentVolumeReclaimPolicy") != "Delete":
        return
    path = spec.get("local", {}).get("path", "")
    if path and os.path.realpath(path).startswith(os.path.realpath(a.dir) + os.sep) and re.match(r"^pvc-[0-9a-f-]+$", os.path.basename(path)):
        shutil.rmtree(path, ignore_errors=True)
    kube.run(["delete", "pv", meta["name"], "--wait=false"])
    log(f"deleted released volume {meta['name']} and {path}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kubectl", required=True)
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--provisioner", required=True)
    p.add_argument("--node", required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--interval", type=float, default=1.0)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    kube = Kube(a.kubectl, a.kubeconfig)
    ready = False
    while True:
        try:
            classes = {sc["metadata"]["name"]: sc.get("reclaimPolicy", "Delete")
                       for sc in kube.get(["storageclasses"]) if sc.get("provisioner") == a.provisioner}
            for pvc in kube.get(["pvc", "--all-namespaces"]):
                provision(kube, a, classes, pvc)
            for pv in kube.get(["pv"]):
                reclaim(kube, a, pv)
            if not ready:
                log(f"provisioner ready: {a.provisioner} for classes {sorted(classes)} on node {a.node}, volumes in {a.dir}")
                ready = True
        except Exception as e:  # keep serving; the API may be restarting
            log("error:", e)
        time.sleep(a.interval)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
