#!/usr/bin/env python3
"""Wraps a root directory into a one-layer image tarball that both `ctr images import` and
`docker load` read: an OCI image layout (oci-layout, index.json, blobs/sha256/...) that also carries
a docker-style manifest.json. Deterministic: same input, same digests."""
import argparse, gzip, hashlib, io, json, os, tarfile


def layer_tar(rootfs):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames) + sorted(filenames):
                full = os.path.join(dirpath, name)
                info = tar.gettarinfo(full, arcname=os.path.relpath(full, rootfs))
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mtime = 0
                if info.isfile():
                    with open(full, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return buf.getvalue()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rootfs", required=True)
    p.add_argument("--name", required=True, help="image reference, e.g. registry.k8s.io/pause:3.10.2")
    p.add_argument("--entrypoint", action="append", required=True)
    p.add_argument("--user", default="")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    raw = layer_tar(a.rootfs)
    diff_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    gz = gzip.compress(raw, mtime=0)
    layer_digest = "sha256:" + hashlib.sha256(gz).hexdigest()

    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {"Entrypoint": a.entrypoint, "User": a.user, "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "eos-network scripts/cluster/lib/oci-image.py"}],
    }
    config_b = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
    config_digest = "sha256:" + hashlib.sha256(config_b).hexdigest()

    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config_b)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": len(gz)}],
    }
    manifest_b = json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()
    manifest_digest = "sha256:" + hashlib.sha256(manifest_b).hexdigest()

    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest, "size": len(manifest_b),
            "annotations": {"io.containerd.image.name": a.name, "org.opencontainers.image.ref.name": a.name.rsplit(":", 1)[1]},
            "platform": {"architecture": "amd64", "os": "linux"},
        }],
    }
    blob = lambda d: "blobs/sha256/" + d.split(":", 1)[1]
    docker_manifest = [{"Config": blob(config_digest), "RepoTags": [a.name], "Layers": [blob(layer_digest)]}]

    files = [
        ("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode()),
        (blob(config_digest), config_b),
        (blob(layer_digest), gz),
        (blob(manifest_digest), manifest_b),
        ("index.json", json.dumps(index, separators=(",", ":"), sort_keys=True).encode()),
        ("manifest.json", json.dumps(docker_manifest, separators=(",", ":")).encode()),
    ]
    with tarfile.open(a.out, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("blobs", "blobs/sha256"):
            ti = tarfile.TarInfo(d); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; tar.addfile(ti)
        for name, data in files:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
            tar.addfile(ti, io.BytesIO(data))
    print(a.name, manifest_digest)


if __name__ == "__main__":
    main()
