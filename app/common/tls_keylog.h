// SPDX-License-Identifier: GPL-2.0-or-later
// The NSS key log format (SSLKEYLOGFILE): what TLS libraries write when asked and what
// Wireshark's TLS dissector reads, one secret a line. A pcapng Decryption Secrets Block of
// type TLS carries such lines; `stratoshark import --tls-keys` checks a key log here before
// it goes into a capture, and `stratoshark -r --export-tls-keys` writes one back out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss {
class PcapngWriter;
}

namespace ss::tls {

// pcapng secrets type of a TLS key log ("TLSK"), as wiretap's secrets-types.h.
constexpr std::uint32_t kSecretsTypeTls = 0x544c534b;
// A key log larger than this is refused (a line is ~200 bytes: over 300,000 sessions).
constexpr std::size_t kMaxKeyLogBytes = 64u << 20;
// Secrets per Decryption Secrets Block at most, cut at line ends: far below the block size
// wiretap reads, so every file we write stays readable.
constexpr std::size_t kMaxBlockSecretsBytes = 1u << 20;

// Null when `line` (without its line end) is a secret Wireshark reads — one of
//   CLIENT_RANDOM <client random> <master secret>            (TLS 1.2 and older)
//   {CLIENT,SERVER}_HANDSHAKE_TRAFFIC_SECRET, {CLIENT,SERVER}_TRAFFIC_SECRET_0,
//   CLIENT_EARLY_TRAFFIC_SECRET, EARLY_EXPORTER_SECRET, EXPORTER_SECRET
//                   <client random> <secret of 32 to 64 bytes> (TLS 1.3)
//   PMS_CLIENT_RANDOM <client random> <pre-master secret>
//   RSA <first 8 bytes of the encrypted pre-master> <pre-master secret>
//   RSA Session-ID:<id> Master-Key:<master secret>
// (hex in either case; a client random is 32 bytes, master and pre-master secrets 48);
// otherwise why it is not.
const char* checkSecretLine(std::string_view line);

struct KeyLog {
    std::string text;        // the secret lines, each ending in '\n'; comments and blank lines left out
    std::size_t secrets = 0; // lines in `text`
};

// Reads a key log: every line blank, a comment ('#'), or a secret (checkSecretLine), with
// "\n" or "\r\n" line ends. On the first other line, or input over kMaxKeyLogBytes,
// returns nothing and sets `problem` ("line 3: …").
std::optional<KeyLog> parseKeyLog(std::string_view text, std::string* problem);

// `text` (whole lines) cut at line ends into pieces of at most `maxBytes` (a longer line is
// a piece of its own; parseKeyLog's lines are far shorter).
std::vector<std::string_view> splitAtLines(std::string_view text, std::size_t maxBytes = kMaxBlockSecretsBytes);

// Writes key log lines as TLS Decryption Secrets Blocks (splitAtLines' pieces), for the
// packets written after them.
void writeKeyLogBlocks(PcapngWriter& writer, std::string_view lines);

} // namespace ss::tls
