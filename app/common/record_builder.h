// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ss_records.h"

namespace ss {

// Builds one Stratoshark record (ss_records.h): the 12-byte header, then TLVs. The record
// never grows past SS_RECORD_MAX_LEN (what wiretap reads back): a string that does not fit
// is cut, a value with no room left is left out, and bytes() ends the record with
// SS_TAG_TRUNCATED saying how many were (strings over a TLV's 65,535 bytes count too).
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
        if (room() < SS_TLV_HEADER_LEN + 4) {
            ++truncated_;
            return *this;
        }
        header(tag, 4);
        put32(value);
        return *this;
    }
    RecordBuilder& u64(std::uint16_t tag, std::uint64_t value)
    {
        if (room() < SS_TLV_HEADER_LEN + 8) {
            ++truncated_;
            return *this;
        }
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
        const std::size_t fits = std::min<std::size_t>(0xffff, room() > SS_TLV_HEADER_LEN ? room() - SS_TLV_HEADER_LEN : 0);
        if (fits == 0) {
            ++truncated_;
            return *this;
        }
        if (value.size() > fits) {
            value = value.substr(0, fits);
            ++truncated_;
        }
        header(tag, static_cast<std::uint16_t>(value.size()));
        bytes_.insert(bytes_.end(), value.begin(), value.end());
        return *this;
    }

    std::uint32_t truncated() const { return truncated_; }

    const std::vector<std::uint8_t>& bytes()
    {
        if (truncated_ && !flagged_) { // room for it was kept
            header(SS_TAG_TRUNCATED, 4);
            put32(truncated_);
            flagged_ = true;
        }
        const auto tlvLength = static_cast<std::uint32_t>(bytes_.size() - SS_RECORD_HEADER_LEN);
        for (int i = 0; i < 4; ++i)
            bytes_[8 + i] = static_cast<std::uint8_t>(tlvLength >> (8 * i));
        return bytes_;
    }

private:
    static constexpr std::size_t kFlagLen = SS_TLV_HEADER_LEN + 4; // the SS_TAG_TRUNCATED TLV
    std::size_t room() const
    {
        const std::size_t used = bytes_.size() + kFlagLen;
        return used < SS_RECORD_MAX_LEN ? SS_RECORD_MAX_LEN - used : 0;
    }
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
    std::uint32_t truncated_ = 0;
    bool flagged_ = false;
};

} // namespace ss
