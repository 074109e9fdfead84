#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A raw client of the helper's protocol (app/ipc/helper.proto, field numbers as there) for
tests that send what our own client never would: hostile, malformed, slow requests."""
import socket
import struct
import time


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(number, value):
    """A protobuf field: int → varint, bytes/str → length-delimited."""
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value


def hello(version=2, client="test"):
    return field(1, field(1, version) + field(2, client))          # Request.hello


def start_capture(interfaces=(), duration_ms=0, bpf_filter="", metadata_filter="", syscalls="", buffer_bytes=0):
    body = b"".join(field(1, i) for i in interfaces)
    if duration_ms:
        body += field(3, duration_ms)
    if buffer_bytes:
        body += field(10, buffer_bytes)
    for number, text in ((5, bpf_filter), (6, metadata_filter), (7, syscalls)):
        if text:
            body += field(number, text)
    return field(3, body)                                          # Request.start_capture


def frame(message):
    return struct.pack("<I", len(message)) + message


def parse(data):
    """Top-level fields of a message: {number: [values]} (varints as int, others bytes)."""
    out, at = {}, 0
    while at < len(data):
        key, at = read_varint(data, at)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, at = read_varint(data, at)
        elif kind == 2:
            size, at = read_varint(data, at)
            value, at = data[at:at + size], at + size
        else:
            raise ValueError("unexpected wire type %d" % kind)
        out.setdefault(number, []).append(value)
    return out


def read_varint(data, at):
    n = shift = 0
    while True:
        b = data[at]
        at += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, at


class Client:
    def __init__(self, path, timeout=15):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        for _ in range(100):  # a full listen queue says "try again"
            try:
                self.sock.connect(path)
                return
            except BlockingIOError:
                time.sleep(0.05)
        self.sock.connect(path)

    def send(self, message):
        self.sock.sendall(frame(message))

    def read(self):
        """The next Response as {field: [values]}; None when the helper closed."""
        header = self._exact(4)
        if header is None:
            return None
        body = self._exact(struct.unpack("<I", header)[0])
        return parse(body) if body is not None else None

    def error(self):
        """(code, message) of the next response, which must be an Error; None if closed."""
        r = self.read()
        if r is None:
            return None
        if 6 not in r:
            return ("not an error", str(sorted(r)))
        e = parse(r[6][0])
        return (e.get(1, [0])[0], e.get(2, [b""])[0].decode("utf-8", "replace"))

    def _exact(self, n):
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def close(self):
        self.sock.close()


ERROR_CODES = {1: "PERMISSION_DENIED", 2: "BAD_REQUEST", 3: "UNSUPPORTED_VERSION", 4: "UNSUPPORTED",
               5: "NO_SUCH_INTERFACE", 6: "CAPTURE_FAILED", 7: "FILTER_NOT_IN_KERNEL", 8: "BAD_FILTER",
               9: "BUSY", 10: "TIMEOUT", 11: "CERTIFICATE_REFUSED", 12: "NOT_FOUND"}
