// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "options.h"

namespace ss {
class EpanRuntime;
}

namespace ss::cli {

// `stratoshark -r FILE ...`: everything from preferences to the last tap report.
// Returns the process exit code (tshark's codes: 0, 1 bad option, 2 bad file/filter).
int runRead(EpanRuntime& runtime, const ReadOptions& options);

// `stratoshark -G REPORT`.
int runReport(const std::string& report);

} // namespace ss::cli
