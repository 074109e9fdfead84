#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Trigger rules' guard rails, with Falco's http_output POSTs (curl) as the alerts:
#   - a bad rules file at start: the helper refuses to start, naming the line and the reason;
#   - templates: {{ .pod_ip }} from the node's pod source, {{ .pod_name }} from the alert;
#   - a field the alert lacks, or a value a filter cannot take: skipped, the field named;
#   - a repeat alert while the capture runs extends it (one file); after it, the cooldown;
#   - the concurrency limit (--trigger-max-captures 2);
#   - a reload: a bad file keeps the old rules (they still trigger), a good one replaces them;
#   - the spool quota; every refusal counted in the helper's account.
# Each refusal is one log line; that is what the test reads.
# Usage: trigger_guards.sh STRATOSHARK STRATOSHARK-HELPER FIXTURES OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 fixtures=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out/spool"
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
# shellcheck source=checks.sh
. "$here/checks.sh"
pids=
lab_extra_cleanup='kill $pids 2>/dev/null'
lab_up ssg 208 "$out/www"
a=/run/netns/$lab_a
python3 - "$fixtures/k8s/pods.json" > "$out/pods.json" <<'PY'
import copy, json, sys
template = json.load(open(sys.argv[1]))["items"][1]
items = []
for n, name in enumerate(["web-1", "web-2", "p1", "p2", "p3", "fresh-1"]):
    p = copy.deepcopy(template)
    p["metadata"].update(name=name, namespace="default", uid="1000000%d-1d2f-4e5a-9b8c-7d6e5f4a3b2c" % n)
    p["status"]["containerStatuses"][0]["containerID"] = "containerd://%d%s" % (n, "cd" * 31 + "e")
    p["status"]["podIP"] = "10.208.0.%d" % (n + 10)
    p["status"]["podIPs"] = [{"ip": "10.208.0.%d" % (n + 10)}]
    items.append(p)
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
logged() { grep -cF -- "$1" "$out/helper.log"; }
# wait_log TEXT [N]: until the helper's log holds TEXT (N times), at most 15 s.
wait_log() { for _ in $(seq 150); do [ "$(logged "$1")" -ge "${2:-1}" ] && return 0; sleep 0.1; done; return 1; }
helper_args=(--socket "$out/helper.sock" --spool "$out/spool" --node-name node-1 --k8s-metadata "$out/pods.json"
             --falco-listen 127.0.0.1:2803 --flight-recorder 16M --triggers "$out/triggers.yaml"
             --trigger-max-captures 2)

# 1. A bad file at start: no helper.
printf 'triggers:\n- name: web\n  falco_rule: Templated\n  duration: forever\n' > "$out/triggers.yaml"
timeout 20 nsenter --net="$a" "$helper" "${helper_args[@]}" >"$out/bad-start.log" 2>&1
rc=$?
check "a bad rules file stops the helper" 1 "$([ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo 1)"
check "naming the line and the reason" 1 \
    "$(grep -c 'triggers.yaml.*line 4: duration: "forever" is not a duration' "$out/bad-start.log")"

cat > "$out/triggers.yaml" <<'YAML'
triggers:
- name: web
  falco_rule: Templated
  duration: 3s
  cooldown: 30s
  filter: "host {{ .pod_ip }}"
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
- name: needs-container
  falco_rule: Needs Container
  duration: 3s
  ebpf_filter: "container.id == {{ .container_id }}"
- name: pod-only
  falco_rule: Pod Only
  duration: 3s
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
- name: many
  falco_rule: Many
  duration: 4s
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
YAML
nsenter --net="$a" "$helper" "${helper_args[@]}" -v >"$out/helper.log" 2>&1 &
helper_pid=$!; pids="$pids $helper_pid"
for _ in $(seq 50); do [ -S "$out/helper.sock" ] && break; sleep 0.1; done
alert() { # RULE POD [more fresh_events.py arguments]
    local rule=$1 pod=$2; shift 2
    ip netns exec "$lab_a" curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data-binary "$(python3 "$here/fresh_events.py" falco "$fixtures/falco/critical-alert.json" rule="$rule" \
                         pod="$pod" ns=default "$@")" http://127.0.0.1:2803/
}
files() { find "$out/spool" -maxdepth 1 -name "$1_*.pcapng" | wc -l; }

# 2. Templates, then a repeat while it runs, then the cooldown.
alert Templated web-1 >/dev/null
wait_log 'trigger web (pod default/web-1): capturing into'
check "templates: the pod's IP from the pod source, its name from the alert" 1 \
    "$(logged '(filter "host 10.208.0.10", ebpf-filter "k8s.pod == web-1", 0 s before, 3 s after)')"
sleep 1
alert Templated web-1 >/dev/null
wait_log 'trigger web (pod default/web-1): another alert;'
check "a repeat while it runs extends it" 1 "$(logged 'now ends 3 s from now')"
wait_log 'trigger web: wrote'
check "one file for both alerts" 1 "$(files web)"
sleep 1.5 # reaped
alert Templated web-1 >/dev/null
wait_log 'trigger web (pod default/web-1): not started: in its cooldown (30 s after the last capture)'
check "a repeat after it, within the cooldown: refused and logged" 1 "$(logged 'in its cooldown')"
check "still one file" 1 "$(files web)"

# 3. A field the alert lacks; a value no filter may take.
alert "Needs Container" web-1 drop=container.id >/dev/null
wait_log 'skipped: the alert has no container_id for its filter'
check "a missing field: skipped, the field named" 1 "$(logged 'trigger needs-container (pod default/web-1): skipped: the alert has no container_id')"
alert "Pod Only" 'web-2" or k8s.pod == "p1' >/dev/null
wait_log 'has characters a filter cannot take'
check "an unsafe value: skipped" 1 "$(logged 'skipped: the alert has no pod_name (its value')"

# 4. The concurrency limit: two run, the third is refused.
for pod in p1 p2 p3; do alert Many $pod >/dev/null; done
wait_log 'triggered captures run already (the limit)'
check "two captures at once" 2 "$(grep -c 'trigger many (pod default/p.): capturing into' "$out/helper.log")"
check "the third refused" 1 "$(logged 'trigger many (pod default/p3): not started: 2 triggered captures run already (the limit)')"
wait_log 'trigger many: wrote' 2
check "two files" 2 "$(files many)"

# 5. Reload: a bad file keeps the old rules (which still trigger); a good one replaces them.
printf 'triggers:\n- name: fresh\n  falco_rule: Fresh\n  pre: [1\n' > "$out/triggers.new"
mv "$out/triggers.new" "$out/triggers.yaml"
wait_log 'triggers: refused the changed'
check "a bad reload: the line, and the old rules stay" 1 \
    "$(logged "line 5: not YAML")"
check "…4 rules" 1 "$(logged 'the 4 rules before it stay')"
alert Templated web-2 >/dev/null
wait_log 'trigger web (pod default/web-2): capturing into'
check "the old rules still trigger" 1 "$(logged 'trigger web (pod default/web-2): capturing into')"
printf 'triggers:\n- name: fresh\n  falco_rule: Fresh\n  duration: 2s\n  ebpf_filter: "k8s.pod == {{ .pod_name }}"\n' \
    > "$out/triggers.new"
mv "$out/triggers.new" "$out/triggers.yaml"
wait_log 'triggers: reloaded'
check "a good reload" 1 "$(logged 'reloaded '"$out"'/triggers.yaml: 1 rules')"
alert Fresh fresh-1 >/dev/null
wait_log 'trigger fresh (pod default/fresh-1): capturing into'
check "the new rule triggers" 1 "$(logged 'trigger fresh (pod default/fresh-1): capturing into')"
alert Many p3 >/dev/null
sleep 1
check "the removed rule does not" 0 "$(logged 'trigger many (pod default/p3): capturing')"
wait_log 'trigger fresh: wrote'
check "the fresh file starts with its alert" Fresh \
    "$("$ours" -r "$(find "$out/spool" -maxdepth 1 -name 'fresh_*.pcapng')" -T fields -e falco.rule 2>/dev/null | head -1)"
# 6. The spool quota (10 GiB by default): a sparse 11 GiB file in the spool fills it.
truncate -s 11G "$out/spool/filler.bin"
alert Fresh p3 >/dev/null
wait_log 'trigger fresh (pod default/p3): not started: the spool holds'
check "over the spool quota: refused and logged" 1 "$(logged 'trigger fresh (pod default/p3): not started: the spool holds')"
rm -f "$out/spool/filler.bin"
kill -0 "$helper_pid" 2>/dev/null; check "the helper lives" 0 $?
# Each refusal counted: the helper's account when it stops.
kill -TERM "$helper_pid"; wait "$helper_pid" 2>/dev/null
check "the counters" "5 started, 1 extended; not started: 1 in cooldown, 1 over the limit, 1 over the spool quota, 2 missing a field, 0 refused; 1 reloads, 1 refused reloads" \
    "$(sed -n 's/.*stratoshark-helper: triggers: \([0-9]* started.*\)/\1/p' "$out/helper.log" | tail -1)"
checks_done "trigger guards"
