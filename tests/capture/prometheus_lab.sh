# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the metrics tests: a real Prometheus (Debian's) in a test's namespace, and
# readers of what it and our endpoints say.
#   prometheus_up NETNS OUT RULES TARGET…  Prometheus on NETNS's 127.0.0.1:9466, scraping the
#                                          TARGETs (HOST:PORT) every second as job
#                                          "stratoshark", RULES loaded; its pid joins $pids
#   promql QUERY                           the first result's value ("" when none)
#   scrape HOST:PORT                       its /metrics into $out/metrics.txt
#   value 'NAME{label="v",…}'              the sum of the matching samples in $out/metrics.txt,
#                                          by Prometheus' own client parser ("" when none)
prometheus_netns=
prometheus_up() {
    local netns=$1 dir=$2 rules=$3 targets; shift 3
    targets=$(printf '"%s", ' "$@"); targets=${targets%, }
    prometheus_netns=$netns
    cat > "$dir/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$rules"]
scrape_configs:
  - job_name: stratoshark
    static_configs: [{targets: [$targets]}]
YAML
    ip netns exec "$netns" prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/tsdb" \
        --web.listen-address=127.0.0.1:9466 >"$dir/prometheus.log" 2>&1 &
    pids="$pids $!"
    for _ in $(seq 100); do ip netns exec "$netns" curl -sf http://127.0.0.1:9466/-/ready >/dev/null && break; sleep 0.1; done
}
promql() {
    ip netns exec "$prometheus_netns" curl -s --get --data-urlencode "query=$1" http://127.0.0.1:9466/api/v1/query |
        /usr/bin/python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
scrape() { ip netns exec "$prometheus_netns" curl -s "http://$1/metrics" > "$out/metrics.txt"; }
value() {
    /usr/bin/python3 - "$out/metrics.txt" "$1" <<'PY'
import re, sys
from prometheus_client.parser import text_string_to_metric_families
name, _, labels = sys.argv[2].partition("{")
want = dict(re.findall(r'(\w+)="([^"]*)"', labels))
found = [s.value for f in text_string_to_metric_families(open(sys.argv[1]).read()) for s in f.samples
         if s.name == name and all(s.labels.get(k) == v for k, v in want.items())]
if found:
    print(int(sum(found)) if sum(found) == int(sum(found)) else sum(found))
PY
}
