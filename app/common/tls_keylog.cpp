// SPDX-License-Identifier: GPL-2.0-or-later
#include "tls_keylog.h"

#include <algorithm>

#include "pcapng_writer.h"

namespace ss::tls {
namespace {

bool isHex(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

// The next space-separated word of `rest` (which loses it and the space after it).
std::string_view word(std::string_view& rest)
{
    const std::size_t space = rest.find(' ');
    const std::string_view w = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    return w;
}

constexpr std::string_view kTls13Labels[] = {"CLIENT_EARLY_TRAFFIC_SECRET",     "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                                             "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                                             "SERVER_TRAFFIC_SECRET_0",         "EARLY_EXPORTER_SECRET",
                                             "EXPORTER_SECRET"};

} // namespace

const char* checkSecretLine(std::string_view line)
{
    std::string_view rest = line;
    const std::string_view label = word(rest);
    if (label == "RSA") {
        constexpr std::string_view kSession = "Session-ID:", kMaster = " Master-Key:";
        if (rest.substr(0, kSession.size()) == kSession) {
            const std::size_t master = rest.find(kMaster);
            if (master == std::string_view::npos || !isHex(rest.substr(kSession.size(), master - kSession.size())))
                return "an RSA Session-ID line needs a hex session id and a Master-Key";
            const std::string_view secret = rest.substr(master + kMaster.size());
            return secret.size() == 96 && isHex(secret) ? nullptr : "a master key must be 48 bytes in hex";
        }
        const std::string_view prefix = word(rest);
        if (prefix.size() != 16 || !isHex(prefix))
            return "RSA needs the first 8 bytes of the encrypted pre-master secret in hex";
        return rest.size() == 96 && isHex(rest) ? nullptr : "a pre-master secret must be 48 bytes in hex";
    }
    const bool tls13 = std::find(std::begin(kTls13Labels), std::end(kTls13Labels), label) != std::end(kTls13Labels);
    if (!tls13 && label != "CLIENT_RANDOM" && label != "PMS_CLIENT_RANDOM")
        return "not a TLS secret label Wireshark reads";
    const std::string_view random = word(rest);
    if (random.size() != 64 || !isHex(random))
        return "the client random must be 32 bytes in hex";
    if (!isHex(rest))
        return "the secret must be hex";
    if (tls13)
        return rest.size() >= 64 && rest.size() <= 128 && rest.size() % 2 == 0 ? nullptr
                                                                               : "a TLS 1.3 secret must be 32 to 64 bytes";
    return rest.size() == 96 ? nullptr : "a (pre-)master secret must be 48 bytes";
}

std::optional<KeyLog> parseKeyLog(std::string_view text, std::string* problem)
{
    if (text.size() > kMaxKeyLogBytes) {
        if (problem)
            *problem = "larger than " + std::to_string(kMaxKeyLogBytes >> 20) + " MiB";
        return std::nullopt;
    }
    KeyLog log;
    std::size_t lineNo = 0;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t nl = text.find('\n', at);
        std::string_view line = text.substr(at, (nl == std::string_view::npos ? text.size() : nl) - at);
        at = nl == std::string_view::npos ? text.size() : nl + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#')
            continue;
        if (const char* why = checkSecretLine(line)) {
            if (problem)
                *problem = "line " + std::to_string(lineNo) + ": " + why;
            return std::nullopt;
        }
        log.text.append(line);
        log.text.push_back('\n');
        ++log.secrets;
    }
    return log;
}

std::vector<std::string_view> splitAtLines(std::string_view text, std::size_t maxBytes)
{
    std::vector<std::string_view> pieces;
    while (!text.empty()) {
        std::size_t cut = text.size();
        if (cut > maxBytes && maxBytes > 0) {
            std::size_t nl = text.rfind('\n', maxBytes - 1);
            if (nl == std::string_view::npos) // one line longer than a piece: the whole line
                nl = text.find('\n', maxBytes);
            cut = nl == std::string_view::npos ? text.size() : nl + 1;
        }
        pieces.push_back(text.substr(0, cut));
        text.remove_prefix(cut);
    }
    return pieces;
}

void writeKeyLogBlocks(PcapngWriter& writer, std::string_view lines)
{
    for (std::string_view piece : splitAtLines(lines))
        writer.writeDecryptionSecrets(kSecretsTypeTls, piece);
}

} // namespace ss::tls
