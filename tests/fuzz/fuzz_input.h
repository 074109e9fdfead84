// SPDX-License-Identifier: GPL-2.0-or-later
// How the fuzz targets cut one input into several records, events or packets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ss::fuzz {

// The input cut into pieces at a separator line ("\n--\n"): several records or events per
// input, so that state across them (related events, reassembly) is fuzzed too.
inline std::vector<std::vector<std::uint8_t>> split(const std::uint8_t* data, std::size_t size, std::size_t max = 16)
{
    static const std::string sep = "\n--\n";
    std::vector<std::vector<std::uint8_t>> parts;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::size_t at = 0;
    while (parts.size() + 1 < max) {
        const std::size_t next = text.find(sep, at);
        if (next == std::string::npos)
            break;
        parts.emplace_back(data + at, data + next);
        at = next + sep.size();
    }
    parts.emplace_back(data + at, data + size);
    return parts;
}

} // namespace ss::fuzz
