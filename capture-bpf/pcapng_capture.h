// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "capture_source.h"
#include "ebpf_filter.h"
#include "event_hub.h"
#include "flow_match.h"
#include "k8s_metadata.h"
#include "packet_capturer.h"
#include "pod_source.h"
#include "process_attribution.h"
#include "syscall_capturer.h"
#include "tls_secrets_probe.h"

namespace ss {
class PcapngWriter;
}

namespace ss::bpf {

// A capture into pcapng: one interface block per device, each packet with its direction
// and, when its connection's owner is known, the process metadata comments; at the end an
// Interface Statistics Block per device with what was captured and dropped. Shared by the
// helper's direct mode and its IPC server.
class PcapngCapture : public helper::CaptureSource {
public:
    struct Options {
        std::vector<PacketCapturer::Interface> interfaces;
        std::uint32_t snaplen = 262;
        std::uint64_t maxPackets = 0; // 0: no limit
        std::vector<std::uint32_t> syscalls; // syscall numbers to record; empty: none
        std::vector<ClassicInsn> filter;     // compiled tcpdump expression; empty: everything
        std::uint32_t ringBytes = 0;         // ring buffer size; 0: the default
        std::string ebpfFilter;              // metadata expression run in the kernel; empty: none
        std::shared_ptr<PodSource> pods;     // names of the node's pods; null: none
        bool addNewInterfaces = false;       // also capture on interfaces that come up later
        std::string nodeName;                // "": none; else on every interface block and packet
        std::vector<ExcludedEndpoint> excluded; // never captured (the helper's own TLS port)
        // The node's live sources (Falco, Tetragon, Hubble): their events become records in
        // time order with the packets, and Hubble flows attach to the packets they describe.
        std::shared_ptr<sources::EventHub> events;
        bool attachFlows = false; // a Hubble source is configured: index packets for its flows
        // TLS secrets of the processes `ebpfFilter` selects (all without one), as Decryption
        // Secrets Blocks before the packets still held (tls_secrets_probe.h).
        bool tlsSecrets = false;
    };

    PcapngCapture(const Options& options, PcapngWriter& writer); // throws EngineError
    ~PcapngCapture() override;

    void poll(int timeoutMs) override;
    bool countReached() const { return options_.maxPackets && packets_ >= options_.maxPackets; }
    // Its count reached, or every interface it was asked for (-i) gone (a veth of a pod
    // that ended, a link deleted): as dumpcap stops when its adapter goes.
    bool ended() const override { return countReached() || !interfacesGone_.empty(); }
    helper::EndReason endReason() const override
    {
        if (interfacesGone_.empty())
            return {helper::pb::CaptureEnd::COUNT, "count"};
        return {helper::pb::CaptureEnd::INTERFACE_GONE, interfacesGone_};
    }
    // Takes what is left in the ring and writes the statistics blocks; `undelivered` adds,
    // per pcapng interface id, what was captured but never reached the client.
    void finish(const std::function<std::uint64_t(std::uint32_t interfaceId)>& undelivered = {}) override;

    std::vector<std::string> unknownNames() override;
    std::uint64_t watermarkNs() const override { return watermarkNs_; }
    helper::CaptureCounters counters() const override;

    std::uint64_t packets() const { return packets_; }
    std::uint64_t records() const { return records_; } // syscall records
    std::uint64_t eventRecords() const { return eventRecords_; } // from live sources
    std::uint64_t eventDrops() const { return events_.dropped(); } // queue full: not recorded
    std::uint64_t flowsAttached() const { return flowsAttached_; }
    std::uint64_t bytes() const { return bytes_; }
    PacketCapturer::Stats kernelStats() const { return capturer_->stats(); }
    double ringFill() const { return capturer_->ringFill(); }
    // The kernel ring's drops by interface name.
    std::vector<std::pair<std::string, std::uint64_t>> dropsByInterface() const;
    std::uint64_t syscallDrops() const { return syscalls_ ? syscalls_->drops() : 0; }
    std::uint64_t tlsSecrets() const { return tlsSecretsWritten_; } // key log lines written

private:
    void onPacket(const ss_packet_event& event, const std::uint8_t* data);
    // Pod metadata reread when its file changes; new cgroups into the filter maps. ≤ 1/s.
    void refreshMetadata();
    KubernetesView kubernetes(std::uint64_t cgroupId);
    KubernetesView onThisNode(KubernetesView view) const;
    // Attaches to interfaces that came up since (with addNewInterfaces), at most once a second.
    void addNewInterfaces();
    // Without addNewInterfaces: whether each interface asked for still exists, at most once a
    // second; when none does, interfacesGone_ says which went.
    void checkNamedInterfaces();
    // Writes held packets captured before `cutoffNs` (monotonic), or all of them.
    void writeHeld(std::uint64_t cutoffNs);
    void writePacket(std::uint32_t interfaceId, const ss_packet_event& event, const std::uint8_t* data,
                     std::uint64_t seq = 0);
    // Events queued by the hub's threads: filtered, flows attached, the rest held as records.
    void drainEvents();
    std::uint32_t recordInterface(std::uint16_t linkType);
    // Attaches the TLS probes to every distinct libcrypto.so.3 the node's processes map.
    void startTlsSecrets();
    // The secrets taken since the last call, as one Decryption Secrets Block.
    void writeTlsSecrets();

    // Packets wait this long before they are written: the owner of a new connection is
    // recorded when its process first sends or receives, a little after its first packet.
    static constexpr std::uint64_t kHoldNs = 100'000'000;
    // With live sources, long enough for an alert or a flow to arrive after its packets.
    static constexpr std::uint64_t kEventHoldNs = 1'500'000'000;
    // What may wait at most; past it the oldest are written whatever their age.
    static constexpr std::size_t kMaxHeldBytes = 64u << 20;
    static constexpr std::size_t kMaxQueuedEvents = 16384;
    // Distinct TLS secret lines a capture keeps to leave out repeats (~200 bytes each).
    static constexpr std::size_t kMaxTlsLines = 1u << 20;
    // Packets and syscall records wait in two queues, each ordered by time (they arrive
    // almost in order: an insert walks back a step or two), and leave merged in time order.
    struct Held {
        std::uint64_t ts;
        std::uint32_t interfaceId;
        std::vector<std::uint8_t> data;
        std::uint32_t originalLength;
        bool isPacket;
        ss_packet_event event; // packets only
        std::uint64_t seq = 0; // packets, for a flow to attach to (0: none)
    };
    static void hold(std::deque<Held>& queue, Held&& held);
    std::deque<Held> heldPackets_, heldRecords_;
    std::size_t heldBytes_ = 0;
    std::uint64_t holdNs_ = kHoldNs;

    int subscription_ = 0;
    sources::EventQueue events_{kMaxQueuedEvents}; // filled on the hub's threads
    std::map<std::uint16_t, std::uint32_t> recordInterfaces_;
    events::FlowMatcher matcher_;
    std::unordered_map<std::uint64_t, std::string> flowComments_; // by packet seq
    std::uint64_t nextSeq_ = 1;
    std::uint64_t eventRecords_ = 0, flowsAttached_ = 0;
    std::map<std::uint32_t, std::uint64_t> recordsOn_; // per record interface
    std::unique_ptr<SyscallCapturer> syscalls_;
    std::uint32_t syscallInterface_ = 0;
    std::unique_ptr<TlsSecretsProbe> tls_;
    std::string tlsPending_;                    // key log lines not yet written
    std::unordered_set<std::string> tlsSeen_;   // lines written (client and server share them)
    std::uint64_t tlsSecretsWritten_ = 0;

    Options options_;
    PcapngWriter& writer_;
    std::map<int, std::uint32_t> pcapngInterface_;
    std::map<int, std::uint64_t> captured_;
    std::uint64_t wallOffset_;
    std::uint64_t packets_ = 0;
    std::uint64_t records_ = 0;
    std::uint64_t bytes_ = 0;
    std::unique_ptr<EbpfFilter> ebpfFilter_;
    std::shared_ptr<const PodDirectory> pods_ = std::make_shared<PodDirectory>();
    std::uint64_t podsVersion_ = 0;
    CgroupDirectory cgroups_;
    std::uint64_t cgroupsInFilter_ = 0; // the cgroup tree's generation the filter maps hold
    std::uint64_t lastRefreshNs_ = 0;
    std::uint64_t watermarkNs_ = 0;
    std::uint64_t lastWrittenNs_ = 0; // monotonic ns of the newest block written
    std::vector<std::string> nodeComment_; // {"Node: X"}, or empty
    std::uint64_t lastInterfaceScanNs_ = 0;
    std::string interfacesGone_;
    std::unique_ptr<PacketCapturer> capturer_;
    std::unique_ptr<ProcessAttribution> attribution_;
};

} // namespace ss::bpf
