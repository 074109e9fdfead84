// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "packet_capture.h"
#include "ebpf_filter.h"
#include "ring_reader.h"
#include "tcpdump_filter.h"

struct packet_capture;

namespace ss::bpf {

class ClsactQdisc;
class TcAttachment;

// The packet capture programs loaded and attached: RAII over the skeleton, the TC
// attachments and the ring buffer (destroyed in reverse order of creation).
// An endpoint whose packets are never captured: TCP to or from `port` on `address` (all
// zero: any local address). The helper's own TLS listener, so that a remote client's stream
// is not captured into itself.
struct ExcludedEndpoint {
    int family = 0;                      // AF_INET or AF_INET6
    std::array<std::uint8_t, 16> address{}; // IPv4 in the first 4 bytes
    std::uint16_t port = 0;
    std::string text;                    // "10.0.0.1:7443", for the capture's comment
};

class PacketCapturer {
public:
    struct Interface {
        std::string name;
        int ifindex;
    };
    using Sink = std::function<void(const ss_packet_event& event, const std::uint8_t* data)>;

    // open → set snaplen → load → attach on every interface. Throws EngineError naming the
    // step and the object.
    // `filter`: a compiled tcpdump expression run in the kernel before capture; empty: all.
    // `ringBytes`: ring buffer size, a power of two ≥ 4096; 0 keeps SS_RINGBUF_BYTES.
    // `prepare`: called once the programs are loaded, before they are attached.
    // `role`: Capture copies packets to the sink; Count only counts them (traffic(), drops():
    // the node's metrics), with the kernel's drops from skb:kfree_skb.
    using Prepare = std::function<void(const MetaFilterMaps& maps)>;
    enum class Role { Capture, Count };
    PacketCapturer(const std::vector<Interface>& interfaces, std::uint32_t snaplen, Sink sink,
                   const std::vector<ClassicInsn>& filter = {}, std::uint32_t ringBytes = 0,
                   const Prepare& prepare = {}, const std::vector<ExcludedEndpoint>& excluded = {},
                   Role role = Role::Capture);
    ~PacketCapturer();
    PacketCapturer(const PacketCapturer&) = delete;
    PacketCapturer& operator=(const PacketCapturer&) = delete;

    // Attaches to one more interface (one that came up during the capture). Throws EngineError.
    void addInterface(const Interface& interface);

    // Waits up to `timeoutMs` for events and hands them to the sink; returns how many.
    int poll(int timeoutMs);
    // Takes every event still in the ring buffer.
    int drain();
    // Readable when the ring buffer wakes its reader.
    int epollFd() const;

    struct Stats {
        std::uint64_t seen = 0;
        std::uint64_t ringbufDrops = 0;
    };
    // Totals over all interfaces, or for one interface.
    Stats stats() const;
    Stats stats(int ifindex) const;
    // The kernel's connection → owner map (see ss_owner in packet_capture.h).
    int ownersMapFd() const;
    // Role::Count: the totals so far, summed over the CPUs (ss_traffic, ss_drops), and the
    // packets not counted because ss_traffic was full.
    std::vector<std::pair<ss_traffic_key, ss_traffic_value>> traffic() const;
    std::vector<std::pair<ss_drop_key, std::uint64_t>> drops() const;
    std::uint64_t uncounted() const;
    // Role::Count: the kernel's name of a drop reason ("NO_SOCKET"; the number when unknown).
    std::string dropReason(std::uint32_t reason) const;
    void forgetCgroup(std::uint64_t cgroupId); // deletes its ss_traffic and ss_drops entries
    bool hasInterface(int ifindex) const;
    double ringFill() const; // 0 to 1
    // The `--ebpf-filter` maps (meta_filter.h).
    MetaFilterMaps metaFilterMaps() const;

private:
    void attachSocketCreation();
    static int onEvent(void* self, void* data, std::size_t size);

    struct SkeletonDeleter {
        void operator()(packet_capture* skel) const;
    };
    // Destroyed bottom-up: ring, attachments, qdiscs, then the programs.
    std::unique_ptr<packet_capture, SkeletonDeleter> skeleton_;
    struct FileDescriptor {
        int fd = -1;
        ~FileDescriptor();
    };
    FileDescriptor filterPrograms_[2]; // ingress, egress; loaded only with a filter
    std::vector<std::unique_ptr<ClsactQdisc>> qdiscs_;
    std::vector<std::unique_ptr<TcAttachment>> attachments_;
    std::unique_ptr<RingReader> ring_;
    Sink sink_;
    std::vector<int> ifindexes_;
    int ingressFd_ = -1, egressFd_ = -1; // what TC runs: the capture programs or the filters
    std::map<std::uint32_t, std::string> dropReasons_; // enum skb_drop_reason (Role::Count)
};

} // namespace ss::bpf
