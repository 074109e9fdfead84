// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ss {

// Text forms of followed stream data, shared by `-z follow` and the Follow Stream dialog.

// tshark's hex dump: 8-digit offset, 16 bytes in hex (gap after 8), printable ASCII.
std::string followHexDump(const char* prefix, std::uint32_t offset, const std::uint8_t* data, std::size_t len);
// Printable ASCII; other bytes except CR and LF become '.'.
std::string followAscii(const std::uint8_t* data, std::size_t len);
// Lower-case hex digits, no separators.
std::string followRaw(const std::uint8_t* data, std::size_t len);

} // namespace ss
