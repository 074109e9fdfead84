// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "helper.pb.h"

namespace ss::helper {

namespace pb = stratoshark::helper::v1;

// Why a capture ended: the code sent to the client and the words logged and shown.
struct EndReason {
    pb::CaptureEnd::Cause cause = pb::CaptureEnd::CAUSE_UNSPECIFIED;
    std::string text;
};

// What a capture has done so far, for Statistics and the log.
struct CaptureCounters {
    std::uint64_t packets = 0, bytes = 0, drops = 0; // drops: lost in the kernel's ring
    std::uint64_t records = 0, recordDrops = 0;      // syscall and event records
};

// Where a client's capture comes from: the kernel now (bpf::PcapngCapture), or the flight
// recorder's files and what it writes next (RecorderView). Either writes whole pcapng
// blocks to the writer or sink it was given.
class CaptureSource {
public:
    virtual ~CaptureSource() = default;
    virtual void poll(int timeoutMs) = 0;
    // The capture has all it will have (its count, or the end of a recorded window); why.
    virtual bool ended() const = 0;
    virtual EndReason endReason() const = 0;
    // Takes what is left and writes the statistics blocks; `undelivered` adds, per pcapng
    // interface id, what was captured but never reached the client.
    virtual void finish(const std::function<std::uint64_t(std::uint32_t interfaceId)>& undelivered) = 0;
    // Names the --ebpf-filter gives that the node does not know (a warning each).
    virtual std::vector<std::string> unknownNames() = 0;
    // Wall-clock ns before which everything has been written (later blocks are not older).
    virtual std::uint64_t watermarkNs() const = 0;
    virtual CaptureCounters counters() const = 0;
};

} // namespace ss::helper
