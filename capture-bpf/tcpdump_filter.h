// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ss::bpf {

// A classic BPF instruction as libpcap emits it (kept apart from <linux/bpf.h>, whose
// struct bpf_insn and bpf_program clash with libpcap's).
struct ClassicInsn {
    std::uint16_t code;
    std::uint8_t jt;
    std::uint8_t jf;
    std::uint32_t k;
};

// Compiles a tcpdump expression for Ethernet frames with libpcap. Throws EngineError with
// libpcap's message.
std::vector<ClassicInsn> compileTcpdumpFilter(const std::string& expression);

// A TC program (sched_cls) that runs `filter` on each packet and, when it matches, tail-calls
// entry `index` of the program array `progArrayFd` (the capture program); otherwise lets the
// packet pass uncaptured. Translated instruction by instruction into eBPF and loaded; returns
// its fd. Throws EngineError naming the instruction that cannot be translated.
int loadFilterProgram(const std::vector<ClassicInsn>& filter, int progArrayFd, std::uint32_t index);

} // namespace ss::bpf
