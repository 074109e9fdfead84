// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace ss::cli {

// `stratoshark timeline -r FILE [-Y FILTER] [-T text|json]`: the capture's joined chronology
// (alerts, process events, failed syscalls, flow verdicts, DNS answers, connections).
int runTimeline(int argc, char** argv, const char* program);

// `stratoshark correlate -r FILE [--pods PODS.json] [--window SECONDS] [-T text|json]`: per
// Falco alert, what happened around it in its pod — processes, connections with DNS names,
// bytes out, failed syscalls, verdicts.
int runCorrelate(int argc, char** argv, const char* program);

} // namespace ss::cli
