// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>

#include "options.h"

namespace ss {
class EpanRuntime;
}

namespace ss::cli {

// `stratoshark -r FILE ...`: everything from preferences to the last tap report.
// Returns the process exit code (tshark's codes: 0, 1 bad option, 2 bad file/filter).
// `startTaps`, when given, registers more tap listeners once the file is open (as -z does);
// false stops with exit code 1 (it said why).
int runRead(EpanRuntime& runtime, const ReadOptions& options, const std::function<bool()>& startTaps = {});

// `stratoshark -G REPORT`.
int runReport(const std::string& report);

} // namespace ss::cli
