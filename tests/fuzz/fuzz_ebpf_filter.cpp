// SPDX-License-Identifier: GPL-2.0-or-later
// `--ebpf-filter`: the parser (iterative `not`, bounded depth and length) and its kernel
// form, the truth table over the atoms' bits. Checked on every expression it accepts: the
// table of `not (E)` is the complement of E's, and `(E) or (E)` and `(E) and (E)` are E
// (when they parse: the wrapping adds a level of parentheses).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "ebpf_filter.h"

namespace {

std::optional<ss_meta_config> tableOf(const std::string& text)
{
    try {
        return ss::bpf::EbpfFilter(text).config();
    } catch (const ss::EngineError&) {
        return std::nullopt;
    }
}

[[noreturn]] void differ(const char* what, const std::string& text)
{
    std::fprintf(stderr, "%s differs for: %s\n", what, text.c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto table = tableOf(text);
    if (!table)
        return 0;
    ss::bpf::EbpfFilter filter(text);
    filter.matches({"1", "curl", "0123456789abcdef", "web", "default"});
    filter.matches({});
    if (text.size() * 2 + 16 > ss::bpf::EbpfFilter::kMaxLength)
        return 0;
    const auto negated = tableOf("not (" + text + ")");
    if (!negated) // one more level of parentheses than the depth bound allows
        return 0;
    for (int b = 0; b < SS_META_TRUTH_BYTES; ++b)
        if (std::uint8_t(negated->truth[b]) != std::uint8_t(~table->truth[b]))
            differ("the truth table of not (E)", text);
    for (const char* op : {" or ", " and "}) {
        const auto twice = tableOf("(" + text + ")" + op + "(" + text + ")");
        if (twice && std::memcmp(twice->truth, table->truth, SS_META_TRUTH_BYTES) != 0)
            differ(op, text);
    }
    return 0;
}
