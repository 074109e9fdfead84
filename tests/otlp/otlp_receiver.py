#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# An OTLP/HTTP traces receiver for the tests, decoding with the official opentelemetry-proto
# definitions (tests/fixtures/opentelemetry-proto, compiled by protoc --python_out into
# PROTO_PY): never our own decoder. Each span is written as one JSON line to OUT/spans.jsonl
# (protobuf's own MessageToDict, plus the resource's attributes), each request's headers to
# OUT/requests.jsonl.
#   otlp_receiver.py PORT OUT PROTO_PY [--fail N] [--status CODE]
# --fail N: the first N requests are answered CODE (503 by default) without being kept.
import gzip
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out, proto_py = int(sys.argv[1]), sys.argv[2], sys.argv[3]
opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
fail, fail_status = int(opts.get("--fail", 0)), int(opts.get("--status", 503))
sys.path.insert(0, proto_py)
from google.protobuf.json_format import MessageToDict  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402

seen = {"requests": 0}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        seen["requests"] += 1
        record = {"path": self.path, "content_type": self.headers.get("Content-Type"),
                  "content_encoding": self.headers.get("Content-Encoding"), "bytes": len(body)}
        if seen["requests"] <= fail:
            record["answer"] = fail_status
            self._log(record)
            self.send_response(fail_status)
            self.end_headers()
            return
        if self.path != "/v1/traces" or self.headers.get("Content-Type") != "application/x-protobuf":
            record["answer"] = 404
            self._log(record)
            self.send_response(404)
            self.end_headers()
            return
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = trace_service_pb2.ExportTraceServiceRequest()
        request.ParseFromString(body)
        spans = 0
        with open(out + "/spans.jsonl", "a") as f:
            for rs in request.resource_spans:
                resource = {kv.key: MessageToDict(kv.value) for kv in rs.resource.attributes}
                for ss in rs.scope_spans:
                    for span in ss.spans:
                        d = MessageToDict(span, preserving_proto_field_name=True)
                        d["trace_id"], d["span_id"] = span.trace_id.hex(), span.span_id.hex()
                        d["parent_span_id"] = span.parent_span_id.hex()
                        d["attributes"] = {kv.key: MessageToDict(kv.value) for kv in span.attributes}
                        d["resource"] = resource
                        d["scope"] = ss.scope.name
                        f.write(json.dumps(d) + "\n")
                        spans += 1
        record["answer"], record["spans"] = 200, spans
        self._log(record)
        answer = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def _log(self, record):
        with open(out + "/requests.jsonl", "a") as f:
            f.write(json.dumps(record) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print("listening", flush=True)
server.serve_forever()
