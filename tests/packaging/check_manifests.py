#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Offline checks of packaging/kubernetes against what the helper needs (there is no API
server to apply them to here): the DaemonSet's namespace, host namespaces, capabilities
(each with a reason in a comment), mounts, ports, the flags it passes (each one the helper
takes), the TLS files it names (the keys of the Secret make-certs.sh and cert-manager make),
NODE_NAME, RBAC that lets its service account list pods, the Falco port, and the trigger
rules' ConfigMap (mounted where --triggers reads, and taken by `stratoshark-helper
check-triggers`).
Usage: check_manifests.py PACKAGING_KUBERNETES_DIR HELPER_HELP_TEXT_FILE HELPER"""
import re
import subprocess
import sys
import tempfile

import yaml

folder, help_file, helper = sys.argv[1], sys.argv[2], sys.argv[3]
helper_help = open(help_file).read()
text = open(f"{folder}/stratoshark-helper.yaml").read()
docs = [d for d in yaml.safe_load_all(text) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
failures = []


def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


check("a Namespace monitoring", any(d["metadata"]["name"] == "monitoring" for d in by_kind.get("Namespace", [])))
ds = by_kind["DaemonSet"][0]
check("the DaemonSet is in monitoring", ds["metadata"]["namespace"] == "monitoring")
pod = ds["spec"]["template"]["spec"]
pod_meta = ds["spec"]["template"]["metadata"]
check("selector matches the template's labels",
      ds["spec"]["selector"]["matchLabels"].items() <= ds["spec"]["template"]["metadata"]["labels"].items())
check("host network and PID namespace", pod.get("hostNetwork") is True and pod.get("hostPID") is True)
container = pod["containers"][0]
caps = container["securityContext"]["capabilities"]
check("drops every capability, then adds only what it needs", caps["drop"] == ["ALL"])
wanted = {"BPF", "PERFMON", "NET_ADMIN", "SYS_RESOURCE", "SYS_PTRACE", "CHOWN"}
check(f"capabilities {sorted(caps['add'])}", set(caps["add"]) == wanted)
for cap in caps["add"]:
    check(f"{cap} justified in a comment", re.search(rf"#\s*{cap}: \S+", text) is not None)
check("not privileged, no privilege escalation",
      not container["securityContext"].get("privileged", False)
      and container["securityContext"].get("allowPrivilegeEscalation") is False)

args = {}
for a in container["args"]:
    flag, _, value = a.partition("=")
    args[flag] = value
for flag in args:
    check(f"the helper takes {flag}", re.search(rf"{re.escape(flag)}\b", helper_help) is not None)

mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
volumes = {v["name"]: v for v in pod["volumes"]}
for m in container["volumeMounts"]:
    check(f"mount {m['mountPath']} has its volume", m["name"] in volumes)
for path in ("/sys/fs/bpf", "/sys/kernel/btf", "/sys/fs/cgroup"):
    check(f"{path} from the host", path in mounts and volumes[mounts[path]["name"]].get("hostPath", {}).get("path") == path)
cri = [p for p, m in mounts.items() if volumes[m["name"]].get("hostPath", {}).get("type") == "Socket"]
check("the CRI socket from the host", any(p.endswith("containerd.sock") or p.endswith("crio.sock") for p in cri))


def mounted(path, writable):
    for mp, m in mounts.items():
        if path == mp or path.startswith(mp.rstrip("/") + "/"):
            return not writable or not m.get("readOnly", False)
    return False


check("the spool is a writable host folder", mounted(args["--spool"], True)
      and "hostPath" in volumes[mounts[args["--spool"]]["name"]])
check("the Unix socket's folder is writable", mounted(args["--socket"].rsplit("/", 1)[0], True))
check("the root file system is read-only", container["securityContext"].get("readOnlyRootFilesystem") is True)
check("/tmp is writable for kubectl exec captures", mounted("/tmp/x.pcapng", True))

port = int(args["--listen"].rsplit(":", 1)[1])
ports = container["ports"]
check(f"--listen port {port} is the container's and the host's port",
      any(p["containerPort"] == port and p.get("hostPort") == port and p["protocol"] == "TCP" for p in ports))

falco_port = int(args["--falco-listen"].rsplit(":", 1)[1])
check(f"--falco-listen port {falco_port} is the container's and the host's port",
      any(p["containerPort"] == falco_port and p.get("hostPort") == falco_port for p in ports))
metrics_port = int(args["--metrics"].rsplit(":", 1)[1])
check(f"--metrics port {metrics_port} is the container's port and the scrape annotation's",
      any(p["containerPort"] == metrics_port for p in ports)
      and pod_meta.get("annotations", {}).get("prometheus.io/port") == str(metrics_port))
trigger_dir, trigger_key = args["--triggers"].rsplit("/", 1)
cm_volume = volumes.get(mounts.get(trigger_dir, {}).get("name", ""), {})
check("--triggers is a key of a mounted ConfigMap", "configMap" in cm_volume)
cms = {d["metadata"]["name"]: d for d in by_kind.get("ConfigMap", [])}
rules = cms.get(cm_volume.get("configMap", {}).get("name"), {}).get("data", {}).get(trigger_key)
check("that ConfigMap is in the manifest, with the key", rules is not None)
with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
    f.write(rules or "")
    f.flush()
    result = subprocess.run([helper, "check-triggers", f.name], capture_output=True, text=True)
check("its rules are ones the helper takes (check-triggers)", result.returncode == 0)
print(result.stdout + result.stderr, end="")

tls_mount = [mp for mp, m in mounts.items() if "secret" in volumes[m["name"]]]
check("the TLS files come from a Secret", len(tls_mount) == 1)
secret_name = volumes[mounts[tls_mount[0]]["name"]]["secret"]["secretName"]
keys = {args[f].rsplit("/", 1)[1] for f in ("--tls-cert", "--tls-key", "--client-ca")}
check(f"TLS files {sorted(keys)} in the mounted Secret's folder",
      all(args[f].startswith(tls_mount[0] + "/") for f in ("--tls-cert", "--tls-key", "--client-ca")))
make_certs = open(f"{folder}/make-certs.sh").read()
check("make-certs.sh's kubectl line makes that Secret with those keys",
      f"create secret generic {secret_name}" in make_certs
      and all(f"--from-file={k}=" in make_certs for k in keys))
cm = [d for d in yaml.safe_load_all(open(f"{folder}/cert-manager.yaml")) if d]
check("cert-manager's Certificate writes that Secret (tls.crt, tls.key, ca.crt)",
      any(d["kind"] == "Certificate" and d["spec"]["secretName"] == secret_name for d in cm)
      and keys == {"tls.crt", "tls.key", "ca.crt"})
client = [d for d in cm if d["kind"] == "Certificate" and "client auth" in d["spec"].get("usages", [])]
check("cert-manager's client certificate is the one --allow-client names",
      bool(client) and client[0]["spec"]["commonName"] == args.get("--allow-client"))

env = {e["name"]: e for e in container.get("env", [])}
check("NODE_NAME from the downward API",
      env.get("NODE_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName")
sa = pod["serviceAccountName"]
check("its service account exists", any(d["metadata"]["name"] == sa for d in by_kind.get("ServiceAccount", [])))
role = by_kind["ClusterRole"][0]
check("RBAC: list pods", any("pods" in r["resources"] and "list" in r["verbs"] for r in role["rules"]))
binding = by_kind["ClusterRoleBinding"][0]
check("RBAC bound to that service account in monitoring",
      binding["roleRef"]["name"] == role["metadata"]["name"]
      and any(s["name"] == sa and s["namespace"] == "monitoring" for s in binding["subjects"]))
check("the image is the one build-image.sh makes",
      container["image"].startswith("localhost/stratoshark-helper:"))
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
