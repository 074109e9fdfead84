// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "block_copier.h"
#include "capture_source.h"
#include "ebpf_filter.h"
#include "flight_recorder.h"

namespace ss::helper {

// A capture of the past (and, when its window reaches into the future, of what comes next)
// served from the flight recorder: its files from `since`, then the blocks it writes after
// the view began, until `until` — the same filters as a capture, run in user space on what
// the recorder captured from the whole node. The output is one new section (the section
// header is the caller's; `prefix` blocks, such as a trigger's alert, come first).
class RecorderView : public CaptureSource {
public:
    using Sink = BlockCopier::Sink;
    // `filter.untilNs` ~0: until stopped. Throws EngineError (a file that cannot be read is
    // skipped and said, not thrown).
    RecorderView(FlightRecorder& recorder, BlockCopier::Filter filter, std::unique_ptr<bpf::EbpfFilter> ebpf,
                 std::uint64_t maxPackets, Sink sink, std::uint32_t firstInterfaceId = 0);
    ~RecorderView() override;

    void poll(int timeoutMs) override;
    bool ended() const override;
    EndReason endReason() const override;
    void finish(const std::function<std::uint64_t(std::uint32_t)>& undelivered) override;
    std::vector<std::string> unknownNames() override { return {}; }
    std::uint64_t watermarkNs() const override;
    CaptureCounters counters() const override;

    void extendUntil(std::uint64_t untilNs) { copier_.extendUntil(untilNs); }
    std::uint64_t untilNs() const { return copier_.untilNs(); }
    const std::vector<std::string>& problems() const { return problems_; }

private:
    void readFiles(std::size_t budget); // the next slice of the recorded files
    void feed(std::string& buffer, bool all);

    FlightRecorder& recorder_;
    std::unique_ptr<bpf::EbpfFilter> ebpf_; // the copier points at it
    BlockCopier copier_;
    std::uint64_t maxPackets_;
    FlightRecorder::Follower follower_;
    std::size_t file_ = 0;      // the file being read
    std::uint64_t offset_ = 0;  // in it
    std::FILE* in_ = nullptr;
    std::string buffer_;        // bytes read, not yet whole blocks
    std::uint64_t liveDrops_ = 0;
    std::vector<std::string> problems_;
};

struct CaptureSpec;
// The copier's filter for a checked request with a window (since/until).
BlockCopier::Filter viewFilter(const CaptureSpec& spec);

} // namespace ss::helper
