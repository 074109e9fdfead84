// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace ss::cli {

// `stratoshark latency -r FILE [--min 1s] [-Y FILTER] [-T text|json]`: HTTP requests, DNS
// queries and TLS handshakes slower than --min, with where their time went.
int runLatency(int argc, char** argv, const char* program);

} // namespace ss::cli
