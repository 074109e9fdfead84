// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcapng_capture.h"

#include "pcapng_writer.h"
#include "ss_records.h"

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
        [this](const ss_packet_event& e, const std::uint8_t* data) { onPacket(e, data); }, options_.filter,
        options_.ringBytes);
    attribution_ = std::make_unique<ProcessAttribution>(capturer_->ownersMapFd());
    if (!options_.syscalls.empty()) {
        syscallInterface_ = writer_.addInterface(SS_LINKTYPE_SYSCALL, 0x40000, "syscalls");
        syscalls_ = std::make_unique<SyscallCapturer>(options_.syscalls, [this](const ss_syscall_event& e) {
            std::vector<std::uint8_t> record = syscallRecord(e);
            const auto length = std::uint32_t(record.size());
            held_.emplace(e.enter_ns, Held{syscallInterface_, std::move(record), length, false, {}});
        });
    }
}

PcapngCapture::~PcapngCapture() = default;

void PcapngCapture::onPacket(const ss_packet_event& e, const std::uint8_t* data)
{
    if (!pcapngInterface_.count(int(e.ifindex)) || countReached())
        return;
    held_.emplace(e.ts_ns, Held{pcapngInterface_[int(e.ifindex)], std::vector<std::uint8_t>(data, data + e.caplen),
                                e.len, true, e});
    ++captured_[int(e.ifindex)];
    ++packets_;
    bytes_ += e.len;
}

void PcapngCapture::writeHeld(std::uint64_t cutoffNs)
{
    while (!held_.empty() && held_.begin()->first < cutoffNs) {
        const auto& [ts, h] = *held_.begin();
        const auto size = std::uint32_t(h.data.size());
        if (h.isPacket)
            writer_.writePacket(h.interfaceId, ts + wallOffset_, h.data.data(), size, h.originalLength,
                                attribution_->comments(h.event, h.data.data()),
                                h.event.direction == SS_DIR_INGRESS ? PcapngWriter::Inbound : PcapngWriter::Outbound);
        else
            writer_.writePacket(h.interfaceId, ts + wallOffset_, h.data.data(), size, h.originalLength);
        held_.erase(held_.begin());
    }
}

void PcapngCapture::poll(int timeoutMs)
{
    capturer_->poll(timeoutMs);
    if (syscalls_)
        syscalls_->poll(0);
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC);
    writeHeld(now > kHoldNs ? now - kHoldNs : 0);
}

void PcapngCapture::finish()
{
    capturer_->drain();
    if (syscalls_)
        syscalls_->drain();
    writeHeld(~std::uint64_t{0});
    // Per interface: what the kernel saw is what was captured plus what was dropped.
    const std::uint64_t now = clockNs(CLOCK_REALTIME);
    for (const auto& i : options_.interfaces)
        writer_.writeInterfaceStatistics(pcapngInterface_[i.ifindex], now, captured_[i.ifindex],
                                         capturer_->stats(i.ifindex).ringbufDrops);
}

} // namespace ss::bpf
