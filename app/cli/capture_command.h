// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ss::cli {

// `stratoshark capture [--helper unix:PATH] -i IFACE... [--duration 5m] [--count N]
//  [--snaplen N] [--filter EXPR] [--ebpf-filter EXPR] --output FILE|-` and
// `stratoshark capture --list-interfaces`. Runs unprivileged: the helper captures.
int runCapture(int argc, char** argv);

// "5m", "30s", "2h", "1d", "500ms", or plain seconds; nullopt when malformed.
std::optional<std::uint64_t> parseDurationMs(const std::string& text);

} // namespace ss::cli
