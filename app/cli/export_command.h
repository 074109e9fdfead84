// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace ss::cli {

// `stratoshark export otlp …` (argv[0] is "export"): spans over OTLP/HTTP from a file or a
// live capture through the helpers. Returns the exit code: 0, 1 bad option, 2 a file, a
// filter or the collector failed (spans given up are counted and said).
int runExport(int argc, char** argv, const char* program);

} // namespace ss::cli
