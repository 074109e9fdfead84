// SPDX-License-Identifier: GPL-2.0-or-later
// The TLS secret probes' user-space side: an event from the kernel becomes the key log line
// Wireshark reads (tls_keylog.h checks it), or nothing when its ClientHello was not seen.
#include <catch2/catch.hpp>

#include "tls_keylog.h"
#include "tls_secrets.h"
#include "tls_secrets_probe.h"

#include <cstring>

using ss::bpf::TlsSecretsProbe;

namespace {
ss_tls_secret event(unsigned char label, unsigned char length)
{
    ss_tls_secret e{};
    e.label = label;
    e.secret_len = length;
    e.has_random = 1;
    for (int i = 0; i < SS_TLS_RANDOM; ++i)
        e.random[i] = static_cast<unsigned char>(i);
    std::memset(e.secret, 0xab, sizeof e.secret);
    return e;
}
} // namespace

TEST_CASE("a TLS 1.3 secret becomes its NSS key log line")
{
    const std::string line = TlsSecretsProbe::keyLogLine(event(SS_TLS_SERVER_AP, 48));
    std::string secret;
    for (int i = 0; i < 48; ++i)
        secret += "ab";
    CHECK(line == "SERVER_TRAFFIC_SECRET_0 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f " + secret);
    CHECK(ss::tls::checkSecretLine(line) == nullptr);
    for (unsigned char label = SS_TLS_CLIENT_HS; label <= SS_TLS_EARLY_EXPORTER; ++label)
        for (unsigned char length : {32, 48, 64})
            CHECK(ss::tls::checkSecretLine(TlsSecretsProbe::keyLogLine(event(label, length))) == nullptr);
}

TEST_CASE("a TLS 1.2 master secret is a CLIENT_RANDOM line")
{
    const std::string line = TlsSecretsProbe::keyLogLine(event(SS_TLS_MASTER, 48));
    CHECK(line.rfind("CLIENT_RANDOM 000102", 0) == 0);
    CHECK(ss::tls::checkSecretLine(line) == nullptr);
}

TEST_CASE("no line without the handshake's client random, a label or a length")
{
    ss_tls_secret e = event(SS_TLS_CLIENT_HS, 32);
    e.has_random = 0;
    CHECK(TlsSecretsProbe::keyLogLine(e).empty());
    CHECK(TlsSecretsProbe::keyLogLine(event(0, 32)).empty());
    CHECK(TlsSecretsProbe::keyLogLine(event(99, 32)).empty());
    CHECK(TlsSecretsProbe::keyLogLine(event(SS_TLS_CLIENT_HS, 0)).empty());
    CHECK(TlsSecretsProbe::keyLogLine(event(SS_TLS_CLIENT_HS, SS_TLS_MAX_SECRET + 1)).empty());
}
