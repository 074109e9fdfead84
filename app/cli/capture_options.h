// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture_output.h"
#include "helper.pb.h"
#include "tls.h"

namespace ss::cli {

namespace pb = stratoshark::helper::v1;
using capture::CaptureOutput;

// `stratoshark capture`'s command line, checked. What the helpers are asked is one
// StartCapture (every node captures with the same options).
struct CaptureOptions {
    std::vector<std::string> helpers; // --helper (repeatable), else $STRATOSHARK_HELPER, else the local socket
    ipc::TlsFiles tls;                // --tls-ca/--tls-cert/--tls-key, else $STRATOSHARK_TLS_CA/CERT/KEY
    pb::StartCapture request;
    CaptureOutput::Options files;
    std::string output;               // --output/-w; "-" standard output
    bool listInterfaces = false;
    bool listSpooled = false;
    std::string stopSpooled;          // --stop-spooled NAME
    std::string fetchSpooled;         // --fetch-spool NAME (to --output, else NAME's base name here)
    bool allowUserspaceFilter = false;
};

// nullopt when the command ends here: --help (exit 0) or a bad option (said on stderr,
// exit 1); *exitCode tells which.
std::optional<CaptureOptions> parseCaptureOptions(int argc, char** argv, int* exitCode);


// --since/--until: "2025-01-10 16:15:20[.123]" (local time), RFC 3339 ("2025-01-10T16:15:20Z",
// "…+01:00"), "-5m" (that long ago), "now" or "@SECONDS" since the epoch; as ns since the epoch.
std::optional<std::uint64_t> parseWhen(const std::string& text, std::uint64_t nowNs);

// "5m", "30s", "2h", "1d", "500ms", or plain seconds; nullopt when malformed.
std::optional<std::uint64_t> parseDurationMs(const std::string& text);

} // namespace ss::cli
