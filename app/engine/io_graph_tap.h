// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "epan_includes.h"

namespace ss {

// One graph of Wireshark's I/O Graph: per interval since a start time, the packets (or bytes,
// or bits) of the frames an optional display filter matches. A tap on "frame"; RAII over the
// registration.
class IoGraphTap {
public:
    enum class Unit { Packets, Bytes, Bits };
    // Throws EngineError for a filter epan refuses or an interval of 0.
    IoGraphTap(const std::string& filter, Unit unit, std::int64_t startNs, std::int64_t intervalNs);
    ~IoGraphTap();
    IoGraphTap(const IoGraphTap&) = delete;
    IoGraphTap& operator=(const IoGraphTap&) = delete;

    // At most this many intervals: a smaller interval over a longer capture is refused.
    static constexpr std::size_t kMaxIntervals = 1'000'000;

    // The value of each interval, up to the last one with a frame.
    const std::vector<std::uint64_t>& values() const { return values_; }
    // Frames dated past kMaxIntervals (or before the start), left out.
    std::uint64_t outside() const { return outside_; }

private:
    static tap_packet_status packetThunk(void* self, packet_info* pinfo, epan_dissect_t*, const void*, tap_flags_t);

    Unit unit_;
    std::int64_t startNs_;
    std::int64_t intervalNs_;
    std::vector<std::uint64_t> values_;
    std::uint64_t outside_ = 0;
};

} // namespace ss
