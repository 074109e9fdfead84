// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ss_records.h"

namespace ss {

// Builds one Stratoshark record (ss_records.h): the 12-byte header, then TLVs.
class RecordBuilder {
public:
    explicit RecordBuilder(ss_record_kind kind)
    {
        put32(SS_RECORD_MAGIC);
        put16(SS_RECORD_VERSION);
        put16(static_cast<std::uint16_t>(kind));
        put32(0); // TLV length, set by bytes()
    }

    RecordBuilder& u32(std::uint16_t tag, std::uint32_t value)
    {
        header(tag, 4);
        put32(value);
        return *this;
    }
    RecordBuilder& u64(std::uint16_t tag, std::uint64_t value)
    {
        header(tag, 8);
        put32(static_cast<std::uint32_t>(value));
        put32(static_cast<std::uint32_t>(value >> 32));
        return *this;
    }
    // Empty strings are left out; longer than a TLV holds (65535 bytes) is cut there.
    RecordBuilder& str(std::uint16_t tag, std::string_view value)
    {
        if (value.empty())
            return *this;
        if (value.size() > 0xffff)
            value = value.substr(0, 0xffff);
        header(tag, static_cast<std::uint16_t>(value.size()));
        bytes_.insert(bytes_.end(), value.begin(), value.end());
        return *this;
    }

    const std::vector<std::uint8_t>& bytes()
    {
        const auto tlvLength = static_cast<std::uint32_t>(bytes_.size() - SS_RECORD_HEADER_LEN);
        for (int i = 0; i < 4; ++i)
            bytes_[8 + i] = static_cast<std::uint8_t>(tlvLength >> (8 * i));
        return bytes_;
    }

private:
    void header(std::uint16_t tag, std::uint16_t length)
    {
        put16(tag);
        put16(length);
    }
    void put16(std::uint16_t v)
    {
        bytes_.push_back(static_cast<std::uint8_t>(v));
        bytes_.push_back(static_cast<std::uint8_t>(v >> 8));
    }
    void put32(std::uint32_t v)
    {
        put16(static_cast<std::uint16_t>(v));
        put16(static_cast<std::uint16_t>(v >> 16));
    }

    std::vector<std::uint8_t> bytes_;
};

} // namespace ss
