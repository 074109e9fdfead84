// SPDX-License-Identifier: GPL-2.0-or-later
#include "recorder_view.h"

#include "capture_request.h"
#include "pcapng_writer.h"

#include <cerrno>
#include <cstring>
#include <thread>

namespace ss::helper {
namespace {

constexpr std::size_t kSlice = 4u << 20; // bytes of recorded files per poll

} // namespace

RecorderView::RecorderView(FlightRecorder& recorder, BlockCopier::Filter filter,
                           std::unique_ptr<bpf::EbpfFilter> ebpf, std::uint64_t maxPackets, Sink sink,
                           std::uint32_t firstInterfaceId)
    : recorder_(recorder), ebpf_(std::move(ebpf)),
      copier_((filter.ebpf = ebpf_.get(), std::move(filter)), std::move(sink), firstInterfaceId),
      maxPackets_(maxPackets), follower_(recorder.follow())
{
}

RecorderView::~RecorderView()
{
    if (in_)
        std::fclose(in_);
    recorder_.unfollow(follower_.live);
}

void RecorderView::feed(std::string& buffer, bool all)
{
    std::vector<pcapng::BlockView> blocks;
    bool malformed = false;
    const std::size_t whole = pcapng::splitBlocks(buffer, &blocks, &malformed);
    for (const auto& b : blocks)
        copier_.feed(b);
    if (malformed) { // a recorder file cut in a block (a crash): the rest of it is skipped
        problems_.push_back("a malformed block in " + (file_ < follower_.files.size()
                                                           ? follower_.files[file_].first
                                                           : std::string("the recorder's stream")));
        buffer.clear();
        return;
    }
    buffer.erase(0, all ? buffer.size() : whole);
}

void RecorderView::readFiles(std::size_t budget)
{
    while (budget && file_ < follower_.files.size()) {
        const auto& [path, size] = follower_.files[file_];
        if (!in_) {
            in_ = std::fopen(path.c_str(), "rb");
            offset_ = 0;
            if (!in_) { // pruned meanwhile: what it held is gone
                problems_.push_back("cannot read " + path + ": " + std::strerror(errno));
                ++file_;
                continue;
            }
        }
        std::string chunk(std::min<std::uint64_t>(budget, size - offset_), '\0');
        const std::size_t n = chunk.empty() ? 0 : std::fread(chunk.data(), 1, chunk.size(), in_);
        chunk.resize(n);
        offset_ += n;
        budget -= std::min(budget, n);
        buffer_ += chunk;
        const bool endOfFile = n == 0 || offset_ >= size;
        feed(buffer_, false);
        if (endOfFile) {
            std::fclose(in_);
            in_ = nullptr;
            buffer_.clear(); // a file ends with whole blocks (the recorder writes nothing else)
            ++file_;
        }
        // Everything later than the window: no need to read further files.
        if (copier_.lastTimestampNs() >= copier_.untilNs())
            file_ = follower_.files.size();
    }
}

void RecorderView::poll(int timeoutMs)
{
    if (file_ < follower_.files.size()) {
        readFiles(kSlice);
        return;
    }
    std::string live = follower_.live->take();
    if (live.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(timeoutMs));
        live = follower_.live->take();
    }
    liveDrops_ = follower_.live->dropped();
    feed(live, true); // the recorder hands over whole blocks
}

bool RecorderView::ended() const
{
    if (maxPackets_ && copier_.packets() >= maxPackets_)
        return true;
    if (file_ < follower_.files.size())
        return false;
    // Everything before `until` is written once the recorder has gone past it (or, with a
    // window wholly in the past, once the files are read).
    return copier_.untilNs() != ~std::uint64_t{0} &&
           (recorder_.watermarkNs() >= copier_.untilNs() || copier_.lastTimestampNs() >= copier_.untilNs());
}

EndReason RecorderView::endReason() const
{
    if (maxPackets_ && copier_.packets() >= maxPackets_)
        return {pb::CaptureEnd::COUNT, "count"};
    return {pb::CaptureEnd::END_OF_WINDOW, "end of the window"};
}

void RecorderView::finish(const std::function<std::uint64_t(std::uint32_t)>&)
{
    // The recorder's own statistics blocks are not this capture's; what the follower queue
    // had to drop is in the statistics and the log.
    if (file_ >= follower_.files.size()) {
        std::string live = follower_.live->take();
        feed(live, true);
    }
}

std::uint64_t RecorderView::watermarkNs() const
{
    if (file_ < follower_.files.size())
        return copier_.lastTimestampNs();
    // The recorder's own time base (its packets'), not the wall clock now: after a step of
    // the wall clock the two differ by the step.
    return recorder_.watermarkNs();
}

BlockCopier::Filter viewFilter(const CaptureSpec& spec)
{
    BlockCopier::Filter f;
    f.sinceNs = spec.sinceNs;
    f.untilNs = spec.untilNs ? spec.untilNs : ~std::uint64_t{0};
    f.bpf = spec.options.filter;
    if (!spec.options.addNewInterfaces)
        for (const auto& i : spec.options.interfaces)
            f.interfaces.insert(i.name);
    f.syscalls.insert(spec.options.syscalls.begin(), spec.options.syscalls.end());
    return f;
}

CaptureCounters RecorderView::counters() const
{
    return {copier_.packets(), copier_.bytes(), liveDrops_, copier_.records(), 0};
}

} // namespace ss::helper
