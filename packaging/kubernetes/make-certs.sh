#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes what mutual TLS between `stratoshark capture --helper tls://…` and the helpers needs,
# with openssl (EC P-256): a CA, a certificate per node (its name and addresses as SANs, so
# the client can check it reached that node) and one per client (its name as CN and DNS SAN,
# what the helper's --allow-client matches).
#
#   make-certs.sh OUTDIR [--days N] [--node NAME[,IP...]]... [--client NAME]...
#
# OUTDIR gets ca.pem/ca.key (keep ca.key offline), node-NAME.pem/.key, client-NAME.pem/.key.
# An existing ca.pem/ca.key in OUTDIR is reused, so nodes and clients can be added later.
# For the DaemonSet (stratoshark-helper.yaml), one certificate for every node, checked by
# name (`stratoshark capture --tls-server-name stratoshark-helper …`):
#   make-certs.sh certs --node stratoshark-helper --client stratoshark-client
#   kubectl -n monitoring create secret generic stratoshark-tls --from-file=ca.crt=certs/ca.pem \
#     --from-file=tls.crt=certs/node-stratoshark-helper.pem --from-file=tls.key=certs/node-stratoshark-helper.key
set -euo pipefail
out=${1:?usage: make-certs.sh OUTDIR [--days N] [--node NAME[,IP...]]... [--client NAME]...}
shift
days=825
nodes=() clients=()
while [ $# -gt 0 ]; do
    case $1 in
    --days) days=$2; shift 2 ;;
    --node) nodes+=("$2"); shift 2 ;;
    --client) clients+=("$2"); shift 2 ;;
    *) echo "make-certs.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
mkdir -p "$out"
umask 077
if [ ! -s "$out/ca.key" ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key"
    openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" -subj "/CN=Stratoshark CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out "$out/ca.pem"
fi

# sign NAME SAN USAGE: NAME.key, NAME.pem signed by the CA
sign() {
    local name=$1 cn=$2 san=$3 usage=$4
    openssl ecparam -name prime256v1 -genkey -noout -out "$out/$name.key"
    openssl req -new -key "$out/$name.key" -subj "/CN=$cn" -out "$out/$name.csr"
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n' \
        "$san" "$usage" > "$out/$name.ext"
    openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial -sha256 \
        -days "$days" -extfile "$out/$name.ext" -out "$out/$name.pem" 2>/dev/null
    rm -f "$out/$name.csr" "$out/$name.ext"
}

for spec in "${nodes[@]}"; do
    name=${spec%%,*}
    san="DNS:$name"
    if [ "$spec" != "$name" ]; then
        IFS=, read -ra ips <<< "${spec#*,}"
        for ip in "${ips[@]}"; do san+=",IP:$ip"; done
    fi
    sign "node-${name//\*/wildcard}" "$name" "$san" serverAuth
done
for name in "${clients[@]}"; do
    sign "client-$name" "$name" "DNS:$name" clientAuth
done
chmod 644 "$out"/*.pem
echo "make-certs.sh: in $out: ca.pem$(for n in "${nodes[@]}"; do printf ' node-%s.pem' "${n%%,*}"; done)$(for c in "${clients[@]}"; do printf ' client-%s.pem' "$c"; done)"
