// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace ss {

// A tap whose results add up over disjoint sets of frames, so that dissection in parallel by
// flow (app/cli/parallel_read.h) can run it in each worker and merge in the parent: each
// worker serializes what its frames gave, the parent merges every worker's text into its own
// (empty) tap and draws it as one process would have.
class MergeableTap {
public:
    virtual ~MergeableTap() = default;
    // What this tap holds, as text another process of the same program can merge.
    virtual std::string serialize() const = 0;
    // Adds what another process serialized. False, and nothing changed, on malformed text.
    virtual bool merge(std::string_view text) = 0;
};

// Reads a decimal number followed by `end` from the front of `text` and drops both; false,
// `text` unchanged, when there is none — what serialize()'s formats are parsed with.
template <typename T>
bool readNumber(std::string_view& text, T& value, char end)
{
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p == text.data() + text.size() || *p != end)
        return false;
    text.remove_prefix(std::size_t(p - text.data()) + 1);
    return true;
}

} // namespace ss
