#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# One event line for the live-source tests: a fixture's event with the time set to now (so it
# falls among the packets being captured) and the fields the test names replaced.
#   fresh_events.py falco FIXTURE [rule=R] [priority=P] [pod=NAME] [ns=NS] [pid=N] [proc=NAME] [cid=ID]
#                   [drop=OUTPUT_FIELD] [notime]
#   fresh_events.py tetragon FIXTURE [binary=PATH] [pod=NAME] [ns=NS] [pid=N]
#   fresh_events.py hubble FIXTURE src=IP sport=N dst=IP dport=N [verdict=V] [l4=TCP] [pod=NAME] [ns=NS]
import datetime
import json
import sys

kind, fixture = sys.argv[1], sys.argv[2]
args = dict(a.split("=", 1) for a in sys.argv[3:] if "=" in a)
with open(fixture) as f:
    text = f.read()
try:
    event = json.loads(text)
except json.JSONDecodeError:  # JSON lines: the first one
    event = json.loads(text.splitlines()[0])
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

if kind == "falco":
    fields = event.setdefault("output_fields", {})
    fields.pop("evt.time", None)
    if "notime" in sys.argv:
        event.pop("time", None)
    else:
        event["time"] = now
    for key, name in (("rule", "rule"), ("priority", "priority")):
        if key in args:
            event[name] = args[key]
    for key, name in (("pod", "k8s.pod.name"), ("ns", "k8s.ns.name"), ("proc", "proc.name"), ("cid", "container.id")):
        if key in args:
            fields[name] = args[key]
    if "pid" in args:
        fields["proc.pid"] = int(args["pid"])
    fields.pop(args.get("drop", ""), None)
elif kind == "tetragon":
    event["time"] = now
    body = event[next(k for k in ("process_exec", "process_exit", "process_kprobe") if k in event)]
    process = body["process"]
    if "binary" in args:
        process["binary"] = args["binary"]
    if "pid" in args:
        process["pid"] = int(args["pid"])
    if "pod" in args:
        process.setdefault("pod", {})["name"] = args["pod"]
    if "ns" in args:
        process.setdefault("pod", {})["namespace"] = args["ns"]
else:
    flow = event["flow"]
    flow["time"] = event["time"] = now
    flow["IP"] = {"source": args["src"], "destination": args["dst"], "ipVersion": "IPv4"}
    l4 = args.get("l4", "TCP")
    flow["l4"] = {l4: {"source_port": int(args["sport"]), "destination_port": int(args["dport"])}}
    flow["verdict"] = args.get("verdict", "FORWARDED")
    if "pod" in args:
        flow["source"] = {"namespace": args.get("ns", "default"), "pod_name": args["pod"]}
print(json.dumps(event))
