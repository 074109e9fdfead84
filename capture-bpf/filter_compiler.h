// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>
#include <vector>

#include "tcpdump_filter.h"

namespace ss::bpf {

// libpcap's optimizer is super-linear in the expression (1,000 `port N` terms: ~2 minutes of
// CPU), and the helper runs as root for every client. So a tcpdump expression is compiled
// in a child process of the helper's own program (`stratoshark-helper compile-filter`) with
// a CPU and a memory limit, and a wall-clock limit on top.
struct FilterCompileLimits {
    static constexpr std::size_t kMaxLength = 4096; // characters
    static constexpr int kCpuSeconds = 4;
    static constexpr int kWallSeconds = 8;
    static constexpr long kMemoryBytes = 512L << 20;
};

// Throws EngineError("compile capture filter", expression, libpcap's message, or why the
// compiler was stopped).
std::vector<ClassicInsn> compileTcpdumpFilterBounded(const std::string& expression);

// The child's side: reads the expression on stdin, writes the program or the error on
// stdout. Returns the exit status.
int compileFilterChild();

// The helper's own program, for the child (read once at start, before anything can replace it).
void rememberOwnProgram();

} // namespace ss::bpf
