// SPDX-License-Identifier: GPL-2.0-or-later
#include "follow_format.h"

#include <algorithm>
#include <cstdio>

namespace ss {
namespace {
const char kHexDigits[] = "0123456789abcdef";
}

std::string followHexDump(const char* prefix, std::uint32_t offset, const std::uint8_t* data, std::size_t len)
{
    std::string out;
    for (std::size_t i = 0; i < len; i += 16) {
        char head[16];
        std::snprintf(head, sizeof head, "%08X  ", offset);
        std::string line = head;
        std::string ascii;
        const std::size_t n = std::min<std::size_t>(16, len - i);
        for (std::size_t j = 0; j < 16; ++j) {
            if (j < n) {
                const std::uint8_t v = data[i + j];
                line += kHexDigits[v >> 4];
                line += kHexDigits[v & 0xf];
                line += ' ';
                ascii += (v >= ' ' && v < 0x7f) ? static_cast<char>(v) : '.';
            } else {
                line += "   ";
            }
            if (j == 7) {
                line += ' ';
                if (j < n)
                    ascii += ' ';
            }
        }
        line += ' ';
        // As tshark: one trailing blank of the ASCII column is dropped (the gap after the
        // 8th byte, or a space character that ends the line).
        if (!ascii.empty() && ascii.back() == ' ')
            ascii.pop_back();
        out += prefix;
        out += line;
        out += ascii;
        out += '\n';
        offset += 16;
    }
    return out;
}

std::string followAscii(const std::uint8_t* data, std::size_t len)
{
    std::string text(reinterpret_cast<const char*>(data), len);
    for (char& ch : text)
        if (ch != '\r' && ch != '\n' && !(ch >= 0x20 && ch < 0x7f))
            ch = '.';
    return text;
}

std::string followRaw(const std::uint8_t* data, std::size_t len)
{
    std::string hex;
    hex.reserve(len * 2);
    for (std::size_t i = 0; i < len; ++i) {
        hex += kHexDigits[data[i] >> 4];
        hex += kHexDigits[data[i] & 0xf];
    }
    return hex;
}

} // namespace ss
