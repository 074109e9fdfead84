// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "helper_client.h"
#include "tls.h"

namespace ss::cli {

// `stratoshark capture [--helper unix:PATH|tls://HOST:PORT]... -i IFACE... [--duration 5m]
//  [--count N] [--snaplen N] [--filter EXPR] [--ebpf-filter EXPR] --output FILE|-`,
// `--list-interfaces`, `--list-spooled`, `--stop-spooled NAME`. Runs unprivileged: the
// helpers capture (capture_options.h has the options).
int runCapture(int argc, char** argv);

} // namespace ss::cli
