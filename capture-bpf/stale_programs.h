// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>
#include <vector>

namespace ss::bpf {

// TC programs outlive the process that attached them (netlink filters hold them), so a
// helper that was killed leaves its programs on the interfaces, copying every packet into a
// ring nobody reads. At start the helper removes those of ours that no live process holds:
// TC filters on every interface whose program's name starts with "stratoshark_" (a helper
// that runs holds its programs' file descriptors; a dead one's programs are held by the
// filters alone). Returns one line per program removed, for the log.
std::vector<std::string> removeStalePrograms();

} // namespace ss::bpf
