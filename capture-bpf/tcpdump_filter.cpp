// SPDX-License-Identifier: GPL-2.0-or-later
// Classic BPF (what libpcap compiles tcpdump expressions to) translated into an eBPF TC
// program, almost instruction for instruction (notes §6): A → R0, X → R7, the 16 scratch
// words on the stack, LD_ABS/LD_IND kept (legal in sched_cls, with the context in R6),
// comparisons as 32-bit jumps. A match tail-calls the capture program.
#include "tcpdump_filter.h"

#include "error.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <cerrno>
#include <cstring>

namespace ss::bpf {
namespace {

// Classic BPF opcode fields (linux/filter.h values).
constexpr int kClass(std::uint16_t c) { return c & 0x07; }
constexpr int kSize(std::uint16_t c) { return c & 0x18; }
constexpr int kMode(std::uint16_t c) { return c & 0xe0; }
constexpr int kOp(std::uint16_t c) { return c & 0xf0; }
constexpr int kSrc(std::uint16_t c) { return c & 0x08; }
enum : int { cLD = 0, cLDX = 1, cST = 2, cSTX = 3, cALU = 4, cJMP = 5, cRET = 6, cMISC = 7 };
enum : int { mIMM = 0x00, mABS = 0x20, mIND = 0x40, mMEM = 0x60, mLEN = 0x80, mMSH = 0xa0 };

constexpr std::uint8_t A = BPF_REG_0, X = BPF_REG_7, CTX = BPF_REG_6, TMP = BPF_REG_8, TMP2 = BPF_REG_9;

bpf_insn insn(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off, std::int32_t imm)
{
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}

std::int16_t scratch(std::uint32_t k)
{
    return std::int16_t(-64 + 4 * int(k)); // M[0..15] at fp-64 … fp-4
}

class Translator {
public:
    Translator(const std::vector<ClassicInsn>& in, int progArray, std::uint32_t index)
        : in_(in), progArray_(progArray), index_(index)
    {
    }

    std::vector<bpf_insn> run()
    {
        out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_X, CTX, BPF_REG_1, 0, 0));
        out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, A, 0, 0, 0));
        out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, X, 0, 0, 0));
        for (std::uint32_t m = 0; m < 16; ++m)
            out_.push_back(insn(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, scratch(m), 0));
        start_.resize(in_.size() + 1);
        for (std::size_t i = 0; i < in_.size(); ++i) {
            start_[i] = out_.size();
            translate(i, in_[i]);
        }
        start_[in_.size()] = out_.size();
        for (const auto& [at, target] : fixups_) {
            const long off = long(start_[target]) - long(at) - 1;
            out_[at].off = std::int16_t(off);
        }
        return out_;
    }

private:
    void fail(std::size_t i, const char* why)
    {
        throw EngineError("translate capture filter", "instruction " + std::to_string(i) + " (code 0x" +
                                                          std::to_string(in_[i].code) + ")", why);
    }

    void jumpTo(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int32_t imm, std::size_t target)
    {
        if (target > in_.size())
            throw EngineError("translate capture filter", "jump", "target past the end");
        fixups_.emplace_back(out_.size(), target);
        out_.push_back(insn(code, dst, src, 0, imm));
    }

    void match() // tail-call the capture program; if that fails, pass the packet
    {
        out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, CTX, 0, 0));
        out_.push_back(insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0, progArray_));
        out_.push_back(insn(0, 0, 0, 0, 0));
        out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, std::int32_t(index_)));
        out_.push_back(insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call));
        noMatch();
    }

    void noMatch() // TC_ACT_UNSPEC: the packet goes on to the next TC filter, not captured
    {
        out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, -1));
        out_.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
    }

    // P[k] into R0. An offset of 2^31 or more is past any packet for libpcap, but eBPF's
    // LD_ABS takes it as negative: the kernel's link-, network-header or ancillary offsets
    // (SKF_LL_OFF, …). Such a load ends the filter with no match, as libpcap's does.
    void absolute(std::uint32_t k, std::uint8_t code)
    {
        if (k > 0x7fffffff) {
            // A jump the verifier cannot rule out keeps what follows reachable (it refuses
            // unreachable instructions); it is never taken.
            out_.push_back(insn(BPF_JMP | BPF_JNE | BPF_X, CTX, CTX, 2, 0));
            noMatch();
            return;
        }
        out_.push_back(insn(code, 0, 0, 0, std::int32_t(k)));
    }

    // LD or LDX of an immediate, a scratch word or the packet length into `reg`.
    bool loadWord(std::size_t i, const ClassicInsn& c, std::uint8_t reg)
    {
        switch (kMode(c.code)) {
        case mIMM:
            out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, reg, 0, 0, std::int32_t(c.k)));
            return true;
        case mMEM:
            if (c.k >= 16)
                fail(i, "scratch index out of range");
            out_.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, reg, BPF_REG_10, scratch(c.k), 0));
            return true;
        case mLEN:
            out_.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, reg, CTX, std::int16_t(offsetof(__sk_buff, len)), 0));
            return true;
        default:
            return false;
        }
    }

    void translate(std::size_t i, const ClassicInsn& c)
    {
        const std::int32_t k = std::int32_t(c.k);
        switch (kClass(c.code)) {
        case cLD:
            if (kMode(c.code) == mABS || kMode(c.code) == mIND) {
                if (kSize(c.code) == 0x18)
                    fail(i, "unsupported load size");
                if (kMode(c.code) == mABS) {
                    absolute(c.k, std::uint8_t(BPF_LD | BPF_ABS | kSize(c.code)));
                    return;
                }
                // P[X + k]: libpcap adds without wrapping (an offset of 2^32 or more is out
                // of the packet); eBPF's LD_IND takes the sum as a signed 32-bit offset,
                // and a negative one reads relative to the link or network header.
                out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_X, TMP, X, 0, 0));
                out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, TMP2, 0, 0, k)); // zero-extended
                out_.push_back(insn(BPF_ALU64 | BPF_ADD | BPF_X, TMP, TMP2, 0, 0));
                out_.push_back(insn(BPF_JMP | BPF_JLE | BPF_K, TMP, 0, 2, 0x7fffffff));
                noMatch();
                out_.push_back(insn(std::uint8_t(BPF_LD | BPF_IND | kSize(c.code)), 0, TMP, 0, 0));
                return;
            }
            if (loadWord(i, c, A))
                return;
            break;
        case cLDX:
            if (kMode(c.code) == mMSH) { // X = 4 * (P[k] & 0xf); LD_ABS clobbers R0, so keep A aside
                out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_X, TMP, A, 0, 0));
                absolute(c.k, BPF_LD | BPF_ABS | BPF_B);
                out_.push_back(insn(BPF_ALU | BPF_AND | BPF_K, A, 0, 0, 0xf));
                out_.push_back(insn(BPF_ALU | BPF_LSH | BPF_K, A, 0, 0, 2));
                out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_X, X, A, 0, 0));
                out_.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_X, A, TMP, 0, 0));
                return;
            }
            if (loadWord(i, c, X))
                return;
            break;
        case cST:
        case cSTX:
            if (c.k >= 16)
                fail(i, "scratch index out of range");
            out_.push_back(insn(BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, kClass(c.code) == cST ? A : X, scratch(c.k), 0));
            return;
        case cALU: {
            const int op = kOp(c.code);
            if (op == BPF_NEG) {
                out_.push_back(insn(BPF_ALU | BPF_NEG, A, 0, 0, 0));
                return;
            }
            const bool byX = kSrc(c.code);
            const bool shift = op == BPF_LSH || op == BPF_RSH;
            // libpcap's interpreter is the reference: a shift by 32 or more gives 0 (eBPF
            // refuses such a constant and masks such a register), a division or remainder
            // by a zero X ends the filter with "no match" (eBPF would go on with 0 or A).
            if (shift && !byX && c.k >= 32) {
                out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, A, 0, 0, 0));
                return;
            }
            if (shift && byX) {
                out_.push_back(insn(BPF_JMP32 | BPF_JGE | BPF_K, X, 0, 2, 32));
                out_.push_back(insn(std::uint8_t(BPF_ALU | op | BPF_X), A, X, 0, 0));
                out_.push_back(insn(BPF_JMP | BPF_JA, 0, 0, 1, 0));
                out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, A, 0, 0, 0));
                return;
            }
            if ((op == BPF_DIV || op == BPF_MOD) && byX) {
                out_.push_back(insn(BPF_JMP32 | BPF_JNE | BPF_K, X, 0, 2, 0));
                noMatch();
            }
            out_.push_back(insn(std::uint8_t(BPF_ALU | op | kSrc(c.code)), A, byX ? X : 0, 0, k));
            return;
        }
        case cJMP: {
            const int op = kOp(c.code);
            if (op == BPF_JA) {
                jumpTo(BPF_JMP | BPF_JA, 0, 0, 0, i + 1 + c.k);
                return;
            }
            jumpTo(std::uint8_t(BPF_JMP32 | op | kSrc(c.code)), A, kSrc(c.code) ? X : 0, k, i + 1 + c.jt);
            if (c.jf)
                jumpTo(BPF_JMP | BPF_JA, 0, 0, 0, i + 1 + c.jf);
            return;
        }
        case cRET:
            if ((c.code & 0x18) == 0x00) { // RET K
                if (c.k)
                    match();
                else
                    noMatch();
                return;
            }
            // RET A (or X): match when non-zero
            out_.push_back(insn(BPF_JMP32 | BPF_JNE | BPF_K, (c.code & 0x18) == 0x08 ? X : A, 0, 2, 0));
            noMatch();
            match();
            return;
        case cMISC:
            if (c.code & 0x80) // TXA
                out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_X, A, X, 0, 0));
            else // TAX
                out_.push_back(insn(BPF_ALU | BPF_MOV | BPF_X, X, A, 0, 0));
            return;
        }
        fail(i, "unsupported instruction");
    }

    const std::vector<ClassicInsn>& in_;
    int progArray_;
    std::uint32_t index_;
    std::vector<bpf_insn> out_;
    std::vector<std::size_t> start_;
    std::vector<std::pair<std::size_t, std::size_t>> fixups_;
};

} // namespace

int loadFilterProgram(const std::vector<ClassicInsn>& filter, int progArrayFd, std::uint32_t index)
{
    const std::vector<bpf_insn> program = Translator(filter, progArrayFd, index).run();
    std::string log(64 * 1024, '\0');
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_level = 1, .log_size = std::uint32_t(log.size()),
                .log_buf = log.data());
    const int fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "stratoshark_flt", "GPL", program.data(), program.size(), &opts);
    if (fd < 0) {
        log.resize(std::strlen(log.c_str()));
        const auto tail = log.size() > 400 ? log.substr(log.size() - 400) : log;
        throw EngineError("load capture filter", "stratoshark_flt", std::string(std::strerror(errno)) + "\n" + tail);
    }
    return fd;
}

} // namespace ss::bpf
