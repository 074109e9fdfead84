// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcapng_capture.h"

#include "pcapng_writer.h"

#include <ctime>

namespace ss::bpf {
namespace {

std::uint64_t clockNs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000ull + std::uint64_t(ts.tv_nsec);
}

} // namespace

PcapngCapture::PcapngCapture(const Options& options, PcapngWriter& writer)
    : options_(options), writer_(writer),
      // bpf_ktime_get_ns is CLOCK_MONOTONIC; pcapng wants wall-clock time.
      wallOffset_(clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC))
{
    for (const auto& i : options_.interfaces)
        pcapngInterface_[i.ifindex] = writer_.addInterface(1 /* LINKTYPE_ETHERNET */, options_.snaplen, i.name);
    capturer_ = std::make_unique<PacketCapturer>(
        options_.interfaces, options_.snaplen,
        [this](const ss_packet_event& e, const std::uint8_t* data) { onPacket(e, data); });
    attribution_ = std::make_unique<ProcessAttribution>(capturer_->ownersMapFd());
}

PcapngCapture::~PcapngCapture() = default;

void PcapngCapture::onPacket(const ss_packet_event& e, const std::uint8_t* data)
{
    if (!pcapngInterface_.count(int(e.ifindex)) || countReached())
        return;
    held_.push_back({e, std::vector<std::uint8_t>(data, data + e.caplen)});
    ++captured_[int(e.ifindex)];
    ++packets_;
    bytes_ += e.len;
}

void PcapngCapture::writeHeld(std::uint64_t cutoffNs)
{
    while (!held_.empty() && held_.front().event.ts_ns < cutoffNs) {
        const Held& h = held_.front();
        const ss_packet_event& e = h.event;
        writer_.writePacket(pcapngInterface_[int(e.ifindex)], e.ts_ns + wallOffset_, h.data.data(), e.caplen, e.len,
                            attribution_->comments(e, h.data.data()),
                            e.direction == SS_DIR_INGRESS ? PcapngWriter::Inbound : PcapngWriter::Outbound);
        held_.pop_front();
    }
}

void PcapngCapture::poll(int timeoutMs)
{
    capturer_->poll(timeoutMs);
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC);
    writeHeld(now > kHoldNs ? now - kHoldNs : 0);
}

void PcapngCapture::finish()
{
    capturer_->drain();
    writeHeld(~std::uint64_t{0});
    // Drops are counted for the whole capture; they are written with the first interface.
    const std::uint64_t drops = capturer_->stats().ringbufDrops;
    const std::uint64_t now = clockNs(CLOCK_REALTIME);
    bool first = true;
    for (const auto& i : options_.interfaces) {
        writer_.writeInterfaceStatistics(pcapngInterface_[i.ifindex], now, captured_[i.ifindex], first ? drops : 0);
        first = false;
    }
}

} // namespace ss::bpf
