// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tls.h"

namespace ss::capture {

// A helper a user captures from, remembered between runs: the GUI's capture dialog adds
// them, stratoshark-extcap offers one Wireshark interface each. Only paths are kept, never
// a key's contents. The local helper (STRATOSHARK_HELPER, or the Unix socket) is always the
// first and is not stored.
struct CaptureTarget {
    std::string name;    // "local", "node-a"
    std::string address; // unix:PATH, tls://HOST:PORT
    ipc::TlsFiles tls;   // paths
};

// $XDG_CONFIG_HOME/stratoshark/targets.conf (else ~/.config/…), or $STRATOSHARK_TARGETS.
std::string targetsPath();
// The local helper first, then the remembered ones. A malformed file gives the local one.
std::vector<CaptureTarget> loadTargets(const std::string& path = targetsPath());
// Stores every target but the local one; false with *error when the file cannot be written.
bool saveTargets(const std::vector<CaptureTarget>& targets, std::string* error, const std::string& path = targetsPath());
std::optional<CaptureTarget> findTarget(const std::vector<CaptureTarget>& targets, const std::string& name);

} // namespace ss::capture
