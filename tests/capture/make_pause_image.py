#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Builds a pod-sandbox ("pause") image offline for the CRI test: an OCI image layout,
as a tar that `ctr images import` reads, holding one static program that waits for a
signal. The image layout and media types are the OCI image specification's.
Usage: make_pause_image.py PAUSE-BINARY NAME OUT.tar"""
import hashlib
import io
import json
import sys
import tarfile

binary, name, out = sys.argv[1], sys.argv[2], sys.argv[3]


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest(), data


layer_buf = io.BytesIO()
with tarfile.open(fileobj=layer_buf, mode="w", format=tarfile.PAX_FORMAT) as layer:
    info = layer.gettarinfo(binary, arcname="pause")
    info.mode, info.uid, info.gid, info.uname, info.gname, info.mtime = 0o755, 0, 0, "", "", 0
    with open(binary, "rb") as f:
        layer.addfile(info, f)
layer_digest, layer_data = blob(layer_buf.getvalue())
config_digest, config_data = blob(json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": ["/pause"]},
    "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
}).encode())
manifest_digest, manifest_data = blob(json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
               "size": len(config_data)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest,
                "size": len(layer_data)}],
}).encode())
index = json.dumps({
    "schemaVersion": 2,
    "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
                   "size": len(manifest_data),
                   "annotations": {"io.containerd.image.name": name,
                                   "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}}],
}).encode()

with tarfile.open(out, "w") as tar:
    def add(path, data):
        info = tarfile.TarInfo(path)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    add("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
    add("index.json", index)
    for digest, data in ((layer_digest, layer_data), (config_digest, config_data), (manifest_digest, manifest_data)):
        add("blobs/sha256/" + digest.split(":")[1], data)
