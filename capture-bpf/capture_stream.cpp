// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_stream.h"

#include "error.h"
#include "pcapng_writer.h"
#include "recorder_view.h"

#include <cstring>

namespace ss::helper {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kFrameBytes = 1u << 20; // CaptureData frames stay well under the client's 16 MiB

std::uint32_t le32(const std::uint8_t* p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | std::uint32_t(p[3]) << 24;
}

} // namespace

CaptureStream::CaptureStream(const CaptureSpec& spec, ipc::Channel& channel, const Peer& peer,
                             const SessionContext& context)
    : spec_(spec), channel_(channel), peer_(peer), context_(context)
{
}

CaptureStream::~CaptureStream() = default;

void CaptureStream::onBlock(const std::uint8_t* data, std::size_t size)
{
    const std::uint32_t type = le32(data); // each call is one whole block
    if (pcapng::isHeaderBlock(type))
        header_.append(reinterpret_cast<const char*>(data), size);
    if (type == pcapng::kEnhancedPacket && !spooled_ &&
        outbox_.pendingBytes() + pending_.size() + size > context_.limits.queuedBytes) {
        // The client does not keep up: this packet is dropped here, and counted.
        ++undelivered_[le32(data + 8)];
        ++clientDrops_;
        return;
    }
    pending_.append(reinterpret_cast<const char*>(data), size);
    if (type == pcapng::kEnhancedPacket)
        ++pendingPackets_;
    if (pending_.size() >= kFrameBytes)
        sendPending();
}

void CaptureStream::sendPending()
{
    if (pending_.empty())
        return;
    if (spooled_) {
        if (!spoolFull_ && !spooled_->write(pending_, pendingPackets_))
            spoolFull_ = true; // the spool's byte limit: the capture ends
    } else {
        pb::Response r;
        r.mutable_data()->set_pcapng(pending_);
        r.mutable_data()->set_watermark_ns(capture_ ? capture_->watermarkNs() : 0);
        outbox_.push(ipc::frame(r));
    }
    pending_.clear();
    pendingPackets_ = 0;
}

bool CaptureStream::flushToClient()
{
    if (clientGone_)
        return false;
    const ipc::Channel::Io io = outbox_.flush(channel_);
    if (io == ipc::Channel::Io::Closed || io == ipc::Channel::Io::Failed)
        clientGone_ = true;
    return !clientGone_;
}

bool CaptureStream::clientWantsStop()
{
    const ipc::ReadResult filled = reader_.fill(channel_);
    pb::Request request;
    if (reader_.next(request) != ipc::ReadResult::Timeout)
        return true; // Stop, or something else: a protocol error ends the capture too
    if (filled == ipc::ReadResult::Closed || filled == ipc::ReadResult::Error)
        clientGone_ = true;
    else if (filled == ipc::ReadResult::TooLarge)
        return true;
    return false;
}

void CaptureStream::toSpool()
{
    std::string why;
    spooled_ = context_.spool->start(peer_.owner, header_, &why);
    if (!spooled_) {
        peer_.log("client gone; not spooled: " + why);
        return;
    }
    peer_.log("client gone; the capture goes on into " + spooled_->path() + " (at most " +
              std::to_string(context_.spool->limits().duration.count()) + " s, " +
              std::to_string(context_.spool->limits().bytes >> 20) + " MiB)");
    // What was queued for the client and never started to go out goes to the file.
    for (const std::string& frame : outbox_.takeUnsent()) {
        pb::Response r;
        if (r.ParseFromArray(frame.data() + 4, int(frame.size() - 4)) && r.has_data())
            spooled_->write(r.data().pcapng(), 0);
    }
}

void CaptureStream::statistics(pb::Statistics* s) const
{
    const CaptureCounters c = capture_->counters();
    s->set_packets(c.packets);
    s->set_bytes(c.bytes);
    s->set_drops(c.drops);
    s->set_records(c.records);
    s->set_record_drops(c.recordDrops);
    s->set_client_drops(clientDrops_);
    s->set_watermark_ns(capture_->watermarkNs());
    if (context_.capture.events)
        for (const sources::SourceCounters* source : context_.capture.events->allCounters()) {
            auto* out = s->add_sources();
            out->set_name(source->name);
            out->set_connected(source->connected);
            out->set_received(source->received);
            out->set_dropped(source->dropped);
            out->set_unparsable(source->unparsable);
            out->set_reconnects(source->reconnects);
        }
    s->set_elapsed_ms(std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begin_).count()));
}

void CaptureStream::warnUnknownNames()
{
    for (const std::string& text : capture_->unknownNames()) {
        peer_.log("warning: " + printable(text));
        pb::Response r;
        r.mutable_warning()->set_code(pb::Warning::UNKNOWN_NAME);
        r.mutable_warning()->set_message(text);
        outbox_.push(ipc::frame(r));
    }
}

EndReason CaptureStream::endOfRun()
{
    const bool limited = spec_.durationMs || spec_.options.maxPackets;
    auto lastStats = begin_;
    for (;;) {
        capture_->poll(20);
        sendPending();
        if (!spooled_) {
            if (clientWantsStop())
                return {pb::CaptureEnd::STOPPED, "stopped"};
            if (clientGone_ || !flushToClient()) {
                // With a spool and a limit the client asked for, the capture goes on there.
                if (!context_.spool || !context_.spool->enabled() || !limited)
                    return {pb::CaptureEnd::CAUSE_UNSPECIFIED, "client gone"}; // nobody to tell
                toSpool();
                if (!spooled_)
                    return {pb::CaptureEnd::CAUSE_UNSPECIFIED, "client gone"};
            }
        } else if (spooled_->stopRequested() || spooled_->expired() || spoolFull_) {
            // Spooled: logged only, the client is gone.
            return {pb::CaptureEnd::CAUSE_UNSPECIFIED, spoolFull_            ? "spool size limit"
                                                       : spooled_->expired() ? "spool time limit"
                                                                             : "stopped (spooled)"};
        }
        if (context_.stopping->load())
            return {pb::CaptureEnd::HELPER_STOPPING, "helper stopping"};
        if (capture_->ended())
            return capture_->endReason();
        if (spec_.durationMs && Clock::now() - begin_ >= std::chrono::milliseconds(spec_.durationMs))
            return {pb::CaptureEnd::DURATION, "duration"};
        if (!spooled_ && Clock::now() - lastStats >= std::chrono::seconds(1)) {
            pb::Response r;
            statistics(r.mutable_statistics());
            outbox_.push(ipc::frame(r));
            lastStats = Clock::now();
        }
    }
}

std::unique_ptr<CaptureSource> CaptureStream::startSource()
{
    if (!spec_.sinceNs)
        return std::make_unique<bpf::PcapngCapture>(spec_.options, *writer_);
    auto ebpf = spec_.metadataFilter.empty() ? nullptr : std::make_unique<bpf::EbpfFilter>(spec_.metadataFilter);
    return std::make_unique<RecorderView>(*context_.capture.recorder, viewFilter(spec_), std::move(ebpf),
                                          spec_.options.maxPackets,
                                          [this](const std::string& block) {
                                              onBlock(reinterpret_cast<const std::uint8_t*>(block.data()),
                                                      block.size());
                                          });
}

void CaptureStream::run()
{
    std::vector<std::string> comments;
    for (const auto& e : spec_.options.excluded)
        comments.push_back("Not captured: the helper's own TLS stream (TCP " + e.text + ")");
    writer_ = std::make_unique<PcapngWriter>(
        [this](const std::uint8_t* data, std::size_t size) { onBlock(data, size); }, "Stratoshark helper (eBPF TC)",
        comments);
    EndReason reason;
    try {
        capture_ = startSource();
        begin_ = Clock::now();
        peer_.log("capture on " + spec_.describe());
        warnUnknownNames();
        reason = endOfRun();
        capture_->finish([this](std::uint32_t id) {
            const auto it = undelivered_.find(id);
            return it == undelivered_.end() ? 0 : it->second;
        });
        sendPending();
    } catch (const std::exception& e) { // EngineError names its step; anything else is a bug, said as well
        try {
            sendPending(); // what was captured before the failure
        } catch (const std::exception&) { // the spool file itself failed: the error below says the first cause
        }
        const auto* engine = dynamic_cast<const EngineError*>(&e);
        const std::string text =
            engine ? engine->step() + " \"" + engine->object() + "\": " + e.what() : std::string("capture: ") + e.what();
        peer_.log("capture failed: " + text);
        if (spooled_) {
            spooled_->finish();
            return;
        }
        pb::Response r;
        r.mutable_error()->set_code(pb::Error::CAPTURE_FAILED);
        r.mutable_error()->set_message(text);
        outbox_.push(ipc::frame(r));
        outbox_.drain(channel_, ipc::after(context_.limits.endDrain));
        return;
    }
    const CaptureCounters c = capture_->counters();
    peer_.log("capture ended (" + reason.text + (spooled_ ? ", in " + spooled_->path() : std::string()) +
              "): " + std::to_string(c.packets) + " packets, " + std::to_string(c.drops) + " dropped in the kernel, " +
              std::to_string(clientDrops_) + " not delivered, " + std::to_string(c.records) + " records, " +
              std::to_string(c.recordDrops) + " dropped");
    if (spooled_) {
        spooled_->finish();
        return;
    }
    if (clientGone_)
        return;
    pb::Response end;
    statistics(end.mutable_end()->mutable_statistics());
    end.mutable_end()->set_reason(reason.text);
    end.mutable_end()->set_cause(reason.cause);
    outbox_.push(ipc::frame(end));
    // Bounded: a client that stopped reading does not hold the helper (or its capture).
    if (outbox_.drain(channel_, ipc::after(context_.limits.endDrain)) != ipc::Channel::Io::Done)
        peer_.log("client did not take the end of its capture within " +
                  std::to_string(context_.limits.endDrain.count()) + " ms");
}

} // namespace ss::helper
