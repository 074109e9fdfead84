// SPDX-License-Identifier: GPL-2.0-or-later
// The classic → eBPF translation of capture filters (tcpdump_filter.cpp), run by the kernel
// (BPF_PROG_TEST_RUN) next to libpcap's own interpreter on the same frame: the cases the
// differential fuzzer (tests/fuzz/fuzz_tcpdump_filter.cpp) found, kept here as plain tests.
// Root only (it loads programs).
#include <catch2/catch.hpp>

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "tcpdump_filter.h"

extern "C" unsigned int bpf_filter(const ss::bpf::ClassicInsn* program, const unsigned char* packet,
                                   unsigned int wireLength, unsigned int bufferLength);

namespace {

using ss::bpf::ClassicInsn;
constexpr int kMatched = 77;

// A program array whose entry 0 returns kMatched: what the capture program stands in for.
int progArray()
{
    static const int fd = [] {
        const int array = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "ss_test_progs", 4, 4, 1, nullptr);
        const bpf_insn ret[] = {{BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, kMatched}, {BPF_JMP | BPF_EXIT, 0, 0, 0, 0}};
        const int capture = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "ss_test_cap", "GPL", ret, 2, nullptr);
        const std::uint32_t zero = 0;
        if (array < 0 || capture < 0 || bpf_map_update_elem(array, &zero, &capture, BPF_ANY) != 0)
            return -1;
        return array;
    }();
    return fd;
}

struct Verdicts {
    bool kernel = false, libpcap = false;
};

Verdicts run(const std::vector<ClassicInsn>& program, std::vector<unsigned char> frame)
{
    const int fd = ss::bpf::loadFilterProgram(program, progArray(), 0); // throws when refused
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(), .data_size_in = std::uint32_t(frame.size()));
    const int rc = bpf_prog_test_run_opts(fd, &opts);
    close(fd);
    REQUIRE(rc == 0);
    return {int(opts.retval) == kMatched,
            bpf_filter(program.data(), frame.data(), unsigned(frame.size()), unsigned(frame.size())) != 0};
}

std::vector<unsigned char> ethernetFrame()
{
    std::vector<unsigned char> f(60, 0);
    f[4] = 0x12;  // a byte inside the destination address, non-zero
    f[12] = 0x08; // IPv4
    f[14] = 0x45;
    return f;
}

} // namespace

TEST_CASE("capture filters: offsets past 2^31 are out of the packet, as in libpcap")
{
    if (geteuid() != 0) {
        WARN("not root: cannot load programs, not checked");
        return;
    }
    REQUIRE(progArray() >= 0);
    constexpr std::uint16_t ldhAbs = 0x28, ldbAbs = 0x30, ldhInd = 0x48, ldxImm = 0x01, ldxMsh = 0xb1, retK = 0x06,
                            retA = 0x16, txa = 0x87;

    SECTION("an absolute load at SKF_LL_OFF (0xffe00000): the kernel's link-layer offset, libpcap's out of range")
    {
        // Found by the fuzzer: the kernel read the frame's first bytes and the filter matched.
        const auto v = run({{ldhAbs, 0, 0, 0xffe00000}, {retK, 0, 0, 0xfd00}}, ethernetFrame());
        CHECK_FALSE(v.libpcap);
        CHECK(v.kernel == v.libpcap);
    }
    SECTION("every negative-looking absolute offset: no match")
    {
        for (std::uint32_t k : {0x80000000u, 0xfffff000u, 0xfff00000u, 0xffffffffu}) {
            const auto v = run({{ldbAbs, 0, 0, k}, {retK, 0, 0, 1}}, ethernetFrame());
            CHECK(v.kernel == v.libpcap);
            CHECK_FALSE(v.kernel);
        }
    }
    SECTION("an indexed load whose X + k wraps past 2^32 stays out of the packet")
    {
        // X = 20, k = 0xfffffff0: eBPF's 32-bit sum would be 4, a non-zero byte of the frame.
        const auto v = run({{ldxImm, 0, 0, 20}, {ldhInd, 0, 0, 0xfffffff0}, {retA, 0, 0, 0}}, ethernetFrame());
        CHECK(v.kernel == v.libpcap);
        CHECK_FALSE(v.kernel);
    }
    SECTION("an indexed load inside the packet still reads it")
    {
        const auto v = run({{ldxImm, 0, 0, 10}, {ldhInd, 0, 0, 2}, {retA, 0, 0, 0}}, ethernetFrame());
        CHECK(v.libpcap); // the ethertype, 0x0800
        CHECK(v.kernel == v.libpcap);
    }
    SECTION("the IP header length (ldx 4*([k]&0xf)) at an offset past 2^31")
    {
        // SKF_LL_OFF + 14: for the kernel the IP header's first byte (X = 20).
        const auto v = run({{ldxMsh, 0, 0, 0xffe0000e}, {txa, 0, 0, 0}, {retA, 0, 0, 0}}, ethernetFrame());
        CHECK(v.kernel == v.libpcap);
        CHECK_FALSE(v.kernel);
    }
}
