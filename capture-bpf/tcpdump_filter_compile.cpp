// SPDX-License-Identifier: GPL-2.0-or-later
// libpcap lives in its own file: its bpf types clash with <linux/bpf.h> (notes §1).
#include "tcpdump_filter.h"

#include "error.h"

#include <pcap/pcap.h>

namespace ss::bpf {

std::vector<ClassicInsn> compileTcpdumpFilter(const std::string& expression)
{
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
    if (!dead)
        throw EngineError("compile capture filter", expression, "libpcap could not be initialised");
    bpf_program program{};
    if (pcap_compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        const std::string message = pcap_geterr(dead);
        pcap_close(dead);
        throw EngineError("compile capture filter", expression, message);
    }
    std::vector<ClassicInsn> out;
    for (unsigned i = 0; i < program.bf_len; ++i) {
        const bpf_insn& in = program.bf_insns[i];
        out.push_back({in.code, in.jt, in.jf, in.k});
    }
    pcap_freecode(&program);
    pcap_close(dead);
    return out;
}

} // namespace ss::bpf
