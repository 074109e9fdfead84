// SPDX-License-Identifier: GPL-2.0-or-later
#include "io_graph_tap.h"

#include "error.h"

namespace ss {

IoGraphTap::IoGraphTap(const std::string& filter, Unit unit, std::int64_t startNs, std::int64_t intervalNs)
    : unit_(unit), startNs_(startNs), intervalNs_(intervalNs)
{
    if (intervalNs <= 0)
        throw EngineError("register I/O graph tap", filter, "the interval must be positive");
    GString* error = register_tap_listener("frame", this, filter.empty() ? nullptr : filter.c_str(), TL_REQUIRES_NOTHING,
                                           nullptr, packetThunk, nullptr, nullptr);
    if (error) {
        std::string message = error->str;
        g_string_free(error, TRUE);
        throw EngineError("use display filter", filter, message);
    }
}

IoGraphTap::~IoGraphTap()
{
    remove_tap_listener(this);
}

tap_packet_status IoGraphTap::packetThunk(void* self, packet_info* pinfo, epan_dissect_t*, const void*, tap_flags_t)
{
    auto* tap = static_cast<IoGraphTap*>(self);
    const std::int64_t ns = std::int64_t(pinfo->abs_ts.secs) * 1000000000 + pinfo->abs_ts.nsecs - tap->startNs_;
    const std::int64_t bucket = ns < 0 ? -1 : ns / tap->intervalNs_;
    if (bucket < 0 || bucket >= std::int64_t(kMaxIntervals)) {
        ++tap->outside_;
        return TAP_PACKET_DONT_REDRAW;
    }
    if (std::size_t(bucket) >= tap->values_.size())
        tap->values_.resize(std::size_t(bucket) + 1, 0);
    const std::uint64_t bytes = pinfo->fd->pkt_len;
    tap->values_[std::size_t(bucket)] += tap->unit_ == Unit::Packets ? 1 : tap->unit_ == Unit::Bytes ? bytes : 8 * bytes;
    return TAP_PACKET_DONT_REDRAW;
}

} // namespace ss
