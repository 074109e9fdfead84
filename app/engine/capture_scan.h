// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path's own reader: the packets of an uncompressed pcap or pcapng file
// read straight from a memory map, with the time stamps wiretap 4.0 would give them
// (libpcap.c, pcapng.c: seconds and the fraction scaled by the interface's resolution,
// plus its offset). No epan or wiretap here, so it can run while epan starts.
//
// It reads only what it is sure wiretap reads the same way and stops with a reason on
// anything else — compressed or other formats, pcap variants, a link type other than
// Ethernet or raw IP, FCS lengths, base-2 time resolutions, blocks that wiretap turns
// into records of their own, lengths wiretap would refuse or clamp, a file cut short.
// The caller then reads the file through wiretap (and, if need be, epan).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <wsutil/nstime.h>

#include "frame_headers.h"

namespace ss::fast {

struct ScannedPacket {
    LinkType link;
    const std::uint8_t* data;
    std::uint32_t captured;
    std::uint32_t length;
    nstime_t ts;
};

// Calls `onPacket` for every packet in file order; it returns nullptr to go on or a reason
// to stop. Returns an empty string after the last packet, else the reason reading stopped
// (`*frames` counts the packets handed over).
std::string scanCaptureFile(const std::string& path, const std::function<const char*(const ScannedPacket&)>& onPacket,
                            std::uint64_t* frames);

} // namespace ss::fast
