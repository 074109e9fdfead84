// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_capturer.h"

#include "error.h"
#include "tc_hook.h"

#include "packet_capture.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ss::bpf {

void PacketCapturer::SkeletonDeleter::operator()(packet_capture* skel) const
{
    packet_capture__destroy(skel);
}

PacketCapturer::FileDescriptor::~FileDescriptor()
{
    if (fd >= 0)
        close(fd);
}

PacketCapturer::PacketCapturer(const std::vector<Interface>& interfaces, std::uint32_t snaplen, Sink sink,
                               const std::vector<ClassicInsn>& filter, std::uint32_t ringBytes)
    : sink_(std::move(sink))
{
    skeleton_.reset(packet_capture__open());
    if (!skeleton_)
        throw EngineError("open BPF object", "packet_capture", std::strerror(errno));
    skeleton_->rodata->ss_snaplen = snaplen;
    if (ringBytes && bpf_map__set_max_entries(skeleton_->maps.ss_events, ringBytes) != 0)
        throw EngineError("size ring buffer", std::to_string(ringBytes) + " bytes", "not a power of two of at least a page");
    for (const Interface& i : interfaces)
        ifindexes_.push_back(i.ifindex);
    if (const int err = packet_capture__load(skeleton_.get()))
        throw EngineError("load BPF programs", "packet_capture", std::strerror(-err));
    // The owner-recording tracepoints (tp_btf); the TC programs are attached below.
    if (const int err = packet_capture__attach(skeleton_.get()))
        throw EngineError("attach socket tracepoints", "sock_send_length/sock_recv_length", std::strerror(-err));
    int ingress = bpf_program__fd(skeleton_->progs.ss_tc_ingress);
    int egress = bpf_program__fd(skeleton_->progs.ss_tc_egress);
    if (!filter.empty()) {
        const int progs = bpf_map__fd(skeleton_->maps.ss_tc_progs);
        for (std::uint32_t slot : {0u, 1u}) {
            const int target = slot == 0 ? ingress : egress;
            if (bpf_map_update_elem(progs, &slot, &target, BPF_ANY) != 0)
                throw EngineError("set up capture filter", "ss_tc_progs", std::strerror(errno));
            filterPrograms_[slot].fd = loadFilterProgram(filter, progs, slot);
        }
        ingress = filterPrograms_[0].fd;
        egress = filterPrograms_[1].fd;
    }
    for (const Interface& i : interfaces) {
        qdiscs_.push_back(std::make_unique<ClsactQdisc>(i.ifindex, i.name));
        attachments_.push_back(std::make_unique<TcAttachment>(*qdiscs_.back(), TcAttachment::Direction::Ingress, ingress));
        attachments_.push_back(std::make_unique<TcAttachment>(*qdiscs_.back(), TcAttachment::Direction::Egress, egress));
    }
    ring_ = std::make_unique<RingReader>(bpf_map__fd(skeleton_->maps.ss_events), "ss_events", onEvent, this);
}

PacketCapturer::~PacketCapturer()
{
    ring_.reset();
    attachments_.clear(); // detach before the qdiscs and the programs go
    qdiscs_.clear();
    skeleton_.reset();
}

int PacketCapturer::onEvent(void* self, void* data, std::size_t size)
{
    if (size < sizeof(ss_packet_event))
        return 0;
    ss_packet_event event;
    std::memcpy(&event, data, sizeof event);
    if (event.caplen > size - sizeof event)
        event.caplen = 0; // never trust a length past the record
    static_cast<PacketCapturer*>(self)->sink_(event, static_cast<const std::uint8_t*>(data) + sizeof event);
    return 0;
}

int PacketCapturer::poll(int timeoutMs)
{
    return ring_->poll(timeoutMs);
}

int PacketCapturer::drain()
{
    return ring_->drain();
}

int PacketCapturer::ownersMapFd() const
{
    return bpf_map__fd(skeleton_->maps.ss_owners);
}

PacketCapturer::Stats PacketCapturer::stats(int ifindex) const
{
    const int fd = bpf_map__fd(skeleton_->maps.ss_stats);
    const std::uint32_t slot = std::uint32_t(ifindex < SS_MAX_IFINDEX ? ifindex : SS_MAX_IFINDEX - 1);
    Stats s;
    s.seen = sumPerCpu(fd, slot * SS_STAT_COUNT + SS_STAT_SEEN);
    s.ringbufDrops = sumPerCpu(fd, slot * SS_STAT_COUNT + SS_STAT_RINGBUF_DROPS);
    return s;
}

PacketCapturer::Stats PacketCapturer::stats() const
{
    Stats total;
    for (int ifindex : ifindexes_) {
        const Stats s = stats(ifindex);
        total.seen += s.seen;
        total.ringbufDrops += s.ringbufDrops;
    }
    return total;
}

} // namespace ss::bpf
