// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "helper_client.h"
#include "tls.h"

namespace ss::capture {

// The helpers a capture asks when none are named: $STRATOSHARK_HELPER, else the local socket.
std::vector<std::string> defaultHelpers();
// TLS files completed from the environment (STRATOSHARK_TLS_CA, _CERT, _KEY, _SERVER_NAME),
// as kubectl and helm users expect.
void tlsFromEnvironment(ipc::TlsFiles* files);

// Connects to each helper (unix:PATH or tls://HOST:PORT) and says Hello. Throws
// ipc::HelperError with the words to show (a bad address, a refused certificate, …).
std::vector<std::unique_ptr<ipc::HelperClient>> connectHelpers(const std::vector<std::string>& specs,
                                                              const ipc::TlsFiles& files, const std::string& client);

} // namespace ss::capture
