#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A stand-in for the Kubernetes API server's pod list, for the helper's in-cluster mode:
HTTPS with the given certificate, a bearer token required, and GET /api/v1/pods with an
optional fieldSelector=spec.nodeName=N answered with the pods of a kubectl JSON file
(kubectl's output is the API's PodList). Every request is logged to stdout.
Usage: kube_api_stand_in.py PORT CERT KEY TOKEN PODS.JSON"""
import http.server
import json
import ssl
import sys
import urllib.parse

port, cert, key, token, pods_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
pods = json.load(open(pods_file))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        print(self.command, self.path, flush=True)
        if self.headers.get("Authorization") != "Bearer " + token:
            return self.answer(401, {"kind": "Status", "reason": "Unauthorized"})
        if url.path != "/api/v1/pods":
            return self.answer(404, {"kind": "Status", "reason": "NotFound"})
        items = pods["items"]
        for selector in urllib.parse.parse_qs(url.query).get("fieldSelector", []):
            field, _, value = selector.partition("=")
            if field == "spec.nodeName":
                items = [p for p in items if p.get("spec", {}).get("nodeName") == value]
        self.answer(200, {"kind": "PodList", "apiVersion": "v1", "items": items})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", port), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("listening", flush=True)
server.serve_forever()
