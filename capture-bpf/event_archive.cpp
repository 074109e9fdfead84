// SPDX-License-Identifier: GPL-2.0-or-later
#include "event_archive.h"

#include "error.h"
#include "pcapng_writer.h"
#include "ss_records.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ss::helper {

EventArchive::EventArchive(const std::string& spoolDir, std::shared_ptr<sources::EventHub> hub) : hub_(std::move(hub))
{
    const std::string dir = spoolDir + "/archive";
    if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)
        throw EngineError("create event archive folder", dir, std::strerror(errno));
    for (auto [stream, name, linkType] : {std::tuple{&flows_, "flows", SS_LINKTYPE_FLOW},
                                          std::tuple{&alerts_, "alerts", SS_LINKTYPE_SECURITY}}) {
        capture::CaptureOutput::Options o;
        o.path = dir + "/" + name + ".pcapng"; // flows_NNNNN_TIME.pcapng, …
        o.ringSize = 16u << 20;
        stream->output = std::make_unique<capture::CaptureOutput>(o);
        if (!stream->output->open())
            throw EngineError("start event archive", o.path, stream->output->error());
        Stream* s = stream;
        s->writer = std::make_unique<PcapngWriter>(
            [s](const std::uint8_t* data, std::size_t size) { s->pending.append(reinterpret_cast<const char*>(data), size); },
            "Stratoshark helper (event archive)");
        s->interface = s->writer->addInterface(std::uint16_t(linkType), 0x40000,
                                               linkType == SS_LINKTYPE_FLOW ? "hubble" : "security-events");
    }
    thread_ = std::thread([this] { run(); });
    subscription_ = hub_->subscribe([this](const sources::SourceEvent& e) { queue_.push(e); });
}

EventArchive::~EventArchive()
{
    hub_->unsubscribe(subscription_);
    queue_.close();
    thread_.join();
}

void EventArchive::run()
{
    for (;;) {
        const bool stopping = queue_.closed(); // then this batch is the last
        const std::deque<sources::SourceEvent> batch = queue_.waitAndTake(std::chrono::milliseconds(200));
        for (const sources::SourceEvent& e : batch) {
            const events::ImportedRecord& r = e.event.record;
            Stream& s = r.linkType == SS_LINKTYPE_FLOW ? flows_ : alerts_;
            s.writer->writePacket(s.interface, r.timestampNs, r.bytes.data(), std::uint32_t(r.bytes.size()),
                                  std::uint32_t(r.bytes.size()));
        }
        for (Stream* s : {&flows_, &alerts_}) {
            std::lock_guard lock(mutex_); // openPaths() reads the output's current file
            if (!s->pending.empty() && !s->output->write(s->pending))
                std::fprintf(stderr, "stratoshark-helper: event archive: %s\n", s->output->error().c_str());
            s->pending.clear();
        }
        if (stopping)
            return;
    }
}

std::vector<std::string> EventArchive::openPaths() const
{
    std::lock_guard lock(mutex_);
    return {flows_.output->currentPath(), alerts_.output->currentPath()};
}

} // namespace ss::helper
