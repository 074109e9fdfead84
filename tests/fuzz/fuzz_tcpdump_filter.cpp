// SPDX-License-Identifier: GPL-2.0-or-later
// A differential fuzzer for the capture filter: the helper translates libpcap's classic BPF
// into an eBPF TC program (tcpdump_filter.cpp); the kernel runs that program on packets
// (BPF_PROG_TEST_RUN) and libpcap's own bpf_filter runs the classic one on the same bytes.
// Any disagreement aborts. Needs root (it loads programs).
//
// Input: the first line is a tcpdump expression, compiled by libpcap as the helper's child
// does; or, when the input starts with a NUL, the next bytes are a classic program of their
// own (8 bytes an instruction, the first byte
// picking one of libpcap's opcodes, up to 64; kept only when libpcap's bpf_validate accepts it
// and it reads no scratch slot before setting it nor shifts by a constant of 32 or more).
// The rest, cut at "\n--\n", is up to 16 packets (Ethernet frames, padded to 15 bytes: the
// kernel's test run refuses a frame of headers alone).
#include <bpf/bpf.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "error.h"
#include "fuzz_input.h"
#include "tcpdump_filter.h"

// libpcap's own interpreter and checker (pcap/bpf.h, whose struct bpf_insn clashes with the
// kernel's), declared with our layout-identical ClassicInsn.
extern "C" unsigned int bpf_filter(const ss::bpf::ClassicInsn* program, const unsigned char* packet,
                                   unsigned int wireLength, unsigned int bufferLength);
extern "C" int bpf_validate(const ss::bpf::ClassicInsn* program, int length);

namespace {

constexpr int kMatched = 77; // what the capture program stands in for returns when tail-called

struct Kernel {
    int progArray = -1;
};

const Kernel& kernel()
{
    static const Kernel k = [] {
        Kernel k;
        k.progArray = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "ss_fuzz_progs", 4, 4, 1, nullptr);
        const bpf_insn ret77[] = {{BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, kMatched}, {BPF_JMP | BPF_EXIT, 0, 0, 0, 0}};
        const int capture = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "ss_fuzz_cap", "GPL", ret77, 2, nullptr);
        const std::uint32_t zero = 0;
        if (k.progArray < 0 || capture < 0 || bpf_map_update_elem(k.progArray, &zero, &capture, BPF_ANY) != 0) {
            std::fprintf(stderr, "fuzz_tcpdump_filter: cannot set up BPF (root needed): %s\n", std::strerror(errno));
            std::exit(1);
        }
        return k;
    }();
    return k;
}

// Every opcode libpcap's interpreter knows (bpf_filter.c); it aborts on any other, which
// bpf_validate lets through (it checks the class, not the whole opcode).
constexpr std::uint16_t kOpcodes[] = {
    0x06, 0x16, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x80, 0x81, 0xb1, 0x00, 0x01, 0x60, 0x61, 0x02, 0x03,
    0x05, 0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d, 0x04, 0x14, 0x24, 0x34, 0x94, 0x44, 0x54, 0xa4,
    0x64, 0x74, 0x0c, 0x1c, 0x2c, 0x3c, 0x9c, 0x4c, 0x5c, 0xac, 0x6c, 0x7c, 0x84, 0x07, 0x87};

std::vector<ss::bpf::ClassicInsn> ownProgram(const std::string& bytes)
{
    std::vector<ss::bpf::ClassicInsn> program;
    for (std::size_t at = 0; at + 8 <= bytes.size() && program.size() < 64; at += 8) {
        ss::bpf::ClassicInsn i;
        i.code = kOpcodes[std::uint8_t(bytes[at]) % std::size(kOpcodes)];
        i.jt = std::uint8_t(bytes[at + 2]);
        i.jf = std::uint8_t(bytes[at + 3]);
        std::memcpy(&i.k, &bytes[at + 4], 4);
        program.push_back(i);
    }
    return program;
}

// Whether libpcap's interpreter gives a program one answer: every load of scratch memory
// (LD/LDX M[k]) follows a store to that slot on every path, as the kernel's classic checker
// demands, and no shift is by a constant of 32 or more. libpcap's interpreter leaves M[] as
// whatever its stack held, so a program reading an unset slot has no one answer to compare;
// libpcap's compiler never writes one, and the helper runs only what it compiled.
bool hasOneAnswer(const std::vector<ss::bpf::ClassicInsn>& program)
{
    constexpr std::uint16_t kAll = 0xffff;
    std::vector<std::uint16_t> stored(program.size() + 1, kAll); // slots set on every path to here
    stored[0] = 0;
    std::vector<bool> reached(program.size() + 1, false);
    reached[0] = true;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        if (!reached[pc])
            continue;
        const auto& insn = program[pc];
        std::uint16_t now = stored[pc];
        const bool memLoad = insn.code == 0x60 || insn.code == 0x61;
        const bool memStore = insn.code == 0x02 || insn.code == 0x03;
        if ((memLoad || memStore) && insn.k >= 16)
            return false; // bpf_validate refuses these too
        // A shift by a constant of 32 or more: C leaves it undefined and libpcap's interpreter
        // does what the CPU does (x86: k mod 32); its compiler refuses such a shift.
        if ((insn.code == 0x64 || insn.code == 0x74) && insn.k >= 32)
            return false;
        if (memLoad && !(now & (1u << insn.k)))
            return false;
        if (memStore)
            now |= std::uint16_t(1u << insn.k);
        auto flow = [&](std::size_t to) {
            if (to > program.size())
                return;
            stored[to] = reached[to] ? std::uint16_t(stored[to] & now) : now;
            reached[to] = true;
        };
        const unsigned cls = insn.code & 0x07;
        if (cls == 0x06) // BPF_RET
            continue;
        if (cls == 0x05) { // BPF_JMP
            if (insn.code == 0x05) {
                flow(pc + 1 + insn.k);
            } else {
                flow(pc + 1 + insn.jt);
                flow(pc + 1 + insn.jf);
            }
            continue;
        }
        flow(pc + 1);
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const Kernel& k = kernel();
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t eol = std::min(input.find('\n'), input.size());
    const bool own = !input.empty() && input[0] == '\0';
    std::vector<ss::bpf::ClassicInsn> program;
    if (own) {
        program = ownProgram(input.substr(1, eol - 1));
        if (program.empty() || !bpf_validate(program.data(), int(program.size())) || !hasOneAnswer(program))
            return 0;
    } else {
        const std::string expression = input.substr(0, eol);
        if (expression.size() > 256) // the optimizer is super-linear; the helper bounds it in a child
            return 0;
        try {
            program = ss::bpf::compileTcpdumpFilter(expression);
        } catch (const ss::EngineError&) {
            return 0;
        }
    }
    int fd = -1;
    try {
        fd = ss::bpf::loadFilterProgram(program, k.progArray, 0);
    } catch (const ss::EngineError& e) {
        if (own)
            return 0; // a hand-made program the verifier refuses (unreachable code, say): refused, not run
        std::fprintf(stderr, "a program libpcap compiled was not loaded: %s: %s\n", e.object().c_str(), e.what());
        std::abort();
    }
    const auto packets = ss::fuzz::split(data + std::min(eol + 1, size), size - std::min(eol + 1, size));
    for (auto packet : packets) {
        if (packet.size() > 1514)
            packet.resize(1514);
        if (packet.size() < 15)
            packet.resize(15);
        const unsigned classic = bpf_filter(program.data(), packet.data(),
                                            unsigned(packet.size()), unsigned(packet.size()));
        LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = packet.data(), .data_size_in = std::uint32_t(packet.size()));
        if (bpf_prog_test_run_opts(fd, &run) != 0) {
            if (errno == EINVAL) // the test run's own checks (a truncated IP header, say): not run
                continue;
            std::fprintf(stderr, "BPF_PROG_TEST_RUN on a %zu-byte packet: %s\n", packet.size(), std::strerror(errno));
            std::abort();
        }
        const bool kernelMatched = int(run.retval) == kMatched;
        if (kernelMatched != (classic != 0)) {
            std::fprintf(stderr, "verdicts differ on a %zu-byte packet: libpcap %s (returned %u), kernel %s (returned %d)\n",
                         packet.size(), classic ? "matches" : "does not match", classic,
                         kernelMatched ? "matches" : "does not match", int(run.retval));
            std::abort();
        }
    }
    close(fd);
    return 0;
}
