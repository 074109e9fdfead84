// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcapng_capture.h"

#include "tls_keylog.h"

#include "interfaces.h"
#include "meta_fields.h"
#include "pcapng_writer.h"
#include "ss_records.h"

#include "error.h"

#include <net/if.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
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
    if (options_.pods) {
        const PodSource::Snapshot snapshot = options_.pods->current();
        pods_ = snapshot.pods;
        podsVersion_ = snapshot.version;
    }
    if (!options_.ebpfFilter.empty()) {
        ebpfFilter_ = std::make_unique<EbpfFilter>(options_.ebpfFilter);
        if (ebpfFilter_->needsPods() && !options_.pods)
            throw EngineError("use --ebpf-filter", options_.ebpfFilter,
                              "k8s.pod and k8s.ns need the pods' names: start the helper with --k8s-metadata FILE "
                              "(the output of `kubectl get pods -A -o json`)");
    }
    // The filter is in its maps before the programs attach: no packet passes unfiltered.
    const auto prepare = [this](const MetaFilterMaps& maps) {
        if (ebpfFilter_)
            writeFilterMaps(*ebpfFilter_, ebpfFilter_->sets(cgroups_, *pods_), maps);
    };
    if (!options_.nodeName.empty())
        nodeComment_ = {"Node: " + options_.nodeName};
    for (const auto& i : options_.interfaces)
        pcapngInterface_[i.ifindex] =
            writer_.addInterface(1 /* LINKTYPE_ETHERNET */, options_.snaplen, i.name, {}, nodeComment_);
    capturer_ = std::make_unique<PacketCapturer>(
        options_.interfaces, options_.snaplen,
        [this](const ss_packet_event& e, const std::uint8_t* data) { onPacket(e, data); }, options_.filter,
        options_.ringBytes, prepare, options_.excluded);
    attribution_ = std::make_unique<ProcessAttribution>(
        capturer_->ownersMapFd(), [this](std::uint64_t cgroupId) -> std::optional<std::vector<std::string>> {
            const CgroupDirectory::Entry* entry = cgroupId ? cgroups_.find(cgroupId) : nullptr;
            if (!entry && !cgroups_.entries().empty())
                return std::nullopt; // not in the tree yet: asked again
            // No cgroup v2 here at all: the node's name is all there is to add.
            return kubernetesComments(entry ? kubernetes(cgroupId) : onThisNode({}));
        });
    if (!options_.syscalls.empty()) {
        syscallInterface_ = writer_.addInterface(SS_LINKTYPE_SYSCALL, 0x40000, "syscalls", {}, nodeComment_);
        syscalls_ = std::make_unique<SyscallCapturer>(
            options_.syscalls,
            [this](const ss_syscall_event& e) {
                std::vector<std::uint8_t> record = syscallRecord(e, kubernetes(e.cgroup_id));
                const auto length = std::uint32_t(record.size());
                heldBytes_ += record.size();
                hold(heldRecords_, Held{e.enter_ns, syscallInterface_, std::move(record), length, false, {}});
                ++records_;
            },
            prepare);
    }
    if (options_.tlsSecrets) {
        tls_ = std::make_unique<TlsSecretsProbe>([this](const std::string& line, std::uint32_t) {
            if (tlsSeen_.size() >= kMaxTlsLines) // forget: a repeat written again costs less than a secret lost
                tlsSeen_.clear();
            if (tlsSeen_.insert(line).second)
                tlsPending_ += line + "\n";
        });
        prepare(tls_->metaFilterMaps());
        startTlsSecrets();
    }
    cgroupsInFilter_ = cgroups_.generation();
    if (options_.events) {
        holdNs_ = kEventHoldNs;
        subscription_ = options_.events->subscribe([this](const sources::SourceEvent& e) { events_.push(e); });
    }
}

KubernetesView PcapngCapture::onThisNode(KubernetesView view) const
{
    if (!options_.nodeName.empty())
        view.node = options_.nodeName; // where the packet was seen, pod or not
    return view;
}

KubernetesView PcapngCapture::kubernetes(std::uint64_t cgroupId)
{
    const CgroupDirectory::Entry* entry = cgroupId ? cgroups_.find(cgroupId) : nullptr;
    return onThisNode(entry ? describe(entry->identity, *pods_) : KubernetesView{});
}

std::vector<std::string> PcapngCapture::unknownNames()
{
    if (!ebpfFilter_)
        return {};
    if (ebpfFilter_->needsCgroups())
        cgroups_.rescan();
    return ebpfFilter_->unknownNames(cgroups_, *pods_);
}

void PcapngCapture::refreshMetadata()
{
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC);
    if (now - lastRefreshNs_ < 1'000'000'000)
        return;
    lastRefreshNs_ = now;
    bool changed = false;
    if (options_.pods) {
        const PodSource::Snapshot snapshot = options_.pods->current();
        if (snapshot.version != podsVersion_) {
            pods_ = snapshot.pods;
            podsVersion_ = snapshot.version;
            changed = true;
            attribution_->forget();
        }
    }
    if (!ebpfFilter_ || !ebpfFilter_->needsCgroups())
        return;
    cgroups_.rescan();
    if (!changed && cgroups_.generation() == cgroupsInFilter_)
        return;
    cgroupsInFilter_ = cgroups_.generation();
    const EbpfFilter::Sets sets = ebpfFilter_->sets(cgroups_, *pods_);
    writeFilterMaps(*ebpfFilter_, sets, capturer_->metaFilterMaps());
    if (syscalls_)
        writeFilterMaps(*ebpfFilter_, sets, syscalls_->metaFilterMaps());
    if (tls_)
        writeFilterMaps(*ebpfFilter_, sets, tls_->metaFilterMaps());
}

void PcapngCapture::startTlsSecrets()
{
    // OpenSSL 3: each distinct libcrypto.so.3, for every process that maps it (new ones too,
    // and the libraries of containers that start); Go: crypto/tls is in each program's
    // binary — those running, and those that start.
    tls_->watchOpenSsl();
}

void PcapngCapture::writeTlsSecrets()
{
    if (!tls_)
        return;
    tls_->poll(0);
    if (tlsPending_.empty())
        return;
    // Before every packet still held: those of the handshake these secrets belong to came in
    // less than the hold ago, so the block precedes what it decrypts.
    tls::writeKeyLogBlocks(writer_, tlsPending_);
    tlsSecretsWritten_ += std::size_t(std::count(tlsPending_.begin(), tlsPending_.end(), '\n'));
    tlsPending_.clear();
}

PcapngCapture::~PcapngCapture()
{
    if (subscription_)
        options_.events->unsubscribe(subscription_); // waits for a publish under way
}

helper::CaptureCounters PcapngCapture::counters() const
{
    return {packets_, bytes_, capturer_->stats().ringbufDrops, records_ + eventRecords_,
            syscallDrops() + events_.dropped()};
}

std::uint32_t PcapngCapture::recordInterface(std::uint16_t linkType)
{
    auto it = recordInterfaces_.find(linkType);
    if (it == recordInterfaces_.end()) // the importer's names
        it = recordInterfaces_
                 .emplace(linkType, writer_.addInterface(linkType, 0x40000,
                                                         linkType == SS_LINKTYPE_FLOW ? "hubble" : "security-events",
                                                         {}, nodeComment_))
                 .first;
    return it->second;
}

void PcapngCapture::drainEvents()
{
    std::deque<sources::SourceEvent> batch = events_.take();
    for (sources::SourceEvent& e : batch) {
        if (ebpfFilter_ && !keepNamed(*ebpfFilter_, metaOfEvent(e.event.fields)))
            continue;
        events::ImportedRecord& r = e.event.record;
        const std::uint64_t ts = r.timestampNs > wallOffset_ ? r.timestampNs - wallOffset_ : 0;
        if (e.source == events::EventSource::Hubble && options_.attachFlows) {
            const auto comment = e.event.fields.find("flow_comment");
            const auto tuple = events::flowTuple(e.event.fields);
            if (tuple && comment != e.event.fields.end())
                if (const auto seq = matcher_.claim(*tuple, ts)) {
                    flowComments_[*seq] = comment->second;
                    ++flowsAttached_;
                    continue;
                }
        }
        const std::uint32_t interface = recordInterface(r.linkType);
        const auto length = std::uint32_t(r.bytes.size());
        heldBytes_ += r.bytes.size();
        hold(heldRecords_, Held{ts, interface, std::move(r.bytes), length, false, {}});
        ++eventRecords_;
        ++recordsOn_[interface];
    }
}

void PcapngCapture::onPacket(const ss_packet_event& e, const std::uint8_t* data)
{
    const auto interface = pcapngInterface_.find(int(e.ifindex));
    if (interface == pcapngInterface_.end() || countReached())
        return;
    // A packet whose owner the kernel named needs no hold: written at once (no copy) when
    // nothing older waits, no records are to be merged in and no TLS secrets may have to go
    // before it; otherwise it waits in order.
    if (e.owner_source != SS_OWNER_NONE && !syscalls_ && !options_.events && !options_.tlsSecrets &&
        heldPackets_.empty() && e.ts_ns >= lastWrittenNs_) {
        writePacket(interface->second, e, data);
    } else {
        std::uint64_t seq = 0;
        if (options_.attachFlows)
            if (const auto tuple = events::packetTuple(data, e.caplen)) {
                seq = nextSeq_++;
                matcher_.addPacket(seq, e.ts_ns, *tuple);
            }
        heldBytes_ += e.caplen;
        hold(heldPackets_, Held{e.ts_ns, interface->second, std::vector<std::uint8_t>(data, data + e.caplen), e.len,
                                true, e, seq});
    }
    ++captured_[int(e.ifindex)];
    ++packets_;
    bytes_ += e.len;
}

void PcapngCapture::writePacket(std::uint32_t interfaceId, const ss_packet_event& e, const std::uint8_t* data,
                                std::uint64_t seq)
{
    const std::vector<std::string>& comments = attribution_->comments(e, data);
    const auto direction = e.direction == SS_DIR_INGRESS ? PcapngWriter::Inbound : PcapngWriter::Outbound;
    const auto flow = seq ? flowComments_.find(seq) : flowComments_.end();
    if (flow != flowComments_.end()) { // a Hubble flow describes it: its eBPF Cilium Metadata
        std::vector<std::string> all = comments.empty() ? nodeComment_ : comments;
        all.push_back(std::move(flow->second));
        flowComments_.erase(flow);
        writer_.writePacket(interfaceId, e.ts_ns + wallOffset_, data, e.caplen, e.len, all, direction);
    } else {
        writer_.writePacket(interfaceId, e.ts_ns + wallOffset_, data, e.caplen, e.len,
                            comments.empty() ? nodeComment_ : comments, direction);
    }
    lastWrittenNs_ = std::max<std::uint64_t>(lastWrittenNs_, e.ts_ns);
}

void PcapngCapture::hold(std::deque<Held>& queue, Held&& held)
{
    auto at = queue.end();
    while (at != queue.begin() && std::prev(at)->ts > held.ts)
        --at;
    queue.insert(at, std::move(held));
}

void PcapngCapture::writeHeld(std::uint64_t cutoffNs)
{
    for (;;) {
        std::deque<Held>* from = nullptr;
        for (auto* queue : {&heldPackets_, &heldRecords_})
            if (!queue->empty() && (queue->front().ts < cutoffNs || heldBytes_ > kMaxHeldBytes) &&
                (!from || queue->front().ts < from->front().ts))
                from = queue;
        if (!from)
            return;
        const Held& h = from->front();
        heldBytes_ -= std::min(heldBytes_, h.data.size());
        if (h.isPacket) {
            writePacket(h.interfaceId, h.event, h.data.data(), h.seq);
        } else {
            // An event's record says where it came from, but not the node it was received on.
            const bool event = !syscalls_ || h.interfaceId != syscallInterface_;
            writer_.writePacket(h.interfaceId, h.ts + wallOffset_, h.data.data(), std::uint32_t(h.data.size()),
                                h.originalLength, event ? nodeComment_ : std::vector<std::string>{});
            lastWrittenNs_ = std::max<std::uint64_t>(lastWrittenNs_, h.ts);
        }
        from->pop_front();
    }
}

std::vector<std::pair<std::string, std::uint64_t>> PcapngCapture::dropsByInterface() const
{
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const PacketCapturer::Interface& i : options_.interfaces)
        out.emplace_back(i.name, capturer_->stats(i.ifindex).ringbufDrops);
    return out;
}

void PcapngCapture::addNewInterfaces()
{
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC);
    if (!options_.addNewInterfaces || now - lastInterfaceScanNs_ < 1'000'000'000)
        return;
    lastInterfaceScanNs_ = now;
    for (const PacketCapturer::Interface& i : upInterfaces()) {
        if (pcapngInterface_.count(i.ifindex))
            continue;
        try {
            capturer_->addInterface(i);
        } catch (const EngineError& e) { // gone again, or not ours to hook: the others go on
            std::fprintf(stderr, "stratoshark-helper: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
            continue;
        }
        pcapngInterface_[i.ifindex] =
            writer_.addInterface(1 /* LINKTYPE_ETHERNET */, options_.snaplen, i.name, {}, nodeComment_);
        options_.interfaces.push_back(i);
    }
}

void PcapngCapture::checkNamedInterfaces()
{
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC);
    if (options_.addNewInterfaces || options_.interfaces.empty() || !interfacesGone_.empty() ||
        now - lastInterfaceScanNs_ < 1'000'000'000)
        return;
    lastInterfaceScanNs_ = now;
    std::string gone;
    for (const PacketCapturer::Interface& i : options_.interfaces) {
        char name[IF_NAMESIZE] = "";
        if (if_indextoname(unsigned(i.ifindex), name) && i.name == name)
            return; // one still there: the capture goes on
        gone += (gone.empty() ? "" : ", ") + i.name;
    }
    interfacesGone_ = "interface " + gone + " went away";
}

void PcapngCapture::poll(int timeoutMs)
{
    refreshMetadata();
    addNewInterfaces();
    checkNamedInterfaces();
    if (tls_) {
        // A selected process's exec must reach the probe at once, not after the packets'
        // batched wake-up: its container's library is attached before its first handshake.
        pollfd rings[2] = {{capturer_->epollFd(), POLLIN, 0}, {tls_->epollFd(), POLLIN, 0}};
        ::poll(rings, 2, timeoutMs);
        capturer_->poll(0);
    } else {
        capturer_->poll(timeoutMs);
    }
    if (syscalls_)
        syscalls_->poll(0);
    if (options_.events)
        drainEvents();
    writeTlsSecrets();
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC);
    const std::uint64_t cutoff = now > holdNs_ ? now - holdNs_ : 0;
    writeHeld(cutoff);
    if (options_.attachFlows)
        matcher_.forgetBefore(lastWrittenNs_ > events::FlowMatcher::kWindowNs ? lastWrittenNs_ - events::FlowMatcher::kWindowNs : 0);
    watermarkNs_ = cutoff + wallOffset_;
}

void PcapngCapture::finish(const std::function<std::uint64_t(std::uint32_t)>& undelivered)
{
    capturer_->drain();
    if (syscalls_)
        syscalls_->drain();
    if (options_.events)
        drainEvents();
    writeTlsSecrets();
    writeHeld(~std::uint64_t{0});
    // Per interface: what the kernel saw is what was captured plus what was dropped (in the
    // ring, or on the way to a client that did not keep up).
    // In the packets' time base (the wall clock at the start, carried on by the monotonic
    // clock): a step of the wall clock since does not put these blocks out of order.
    const std::uint64_t now = clockNs(CLOCK_MONOTONIC) + wallOffset_;
    watermarkNs_ = now;
    const auto lost = [&](std::uint32_t id) { return undelivered ? undelivered(id) : 0; };
    for (const auto& i : options_.interfaces) {
        const std::uint32_t id = pcapngInterface_[i.ifindex];
        const std::uint64_t notSent = lost(id);
        writer_.writeInterfaceStatistics(id, now, captured_[i.ifindex] - std::min(notSent, captured_[i.ifindex]),
                                         capturer_->stats(i.ifindex).ringbufDrops + notSent);
    }
    if (syscalls_) { // the records' interface: what was recorded and what the ring could not take
        const std::uint64_t notSent = lost(syscallInterface_);
        writer_.writeInterfaceStatistics(syscallInterface_, now, records_ - std::min(notSent, records_),
                                         syscalls_->drops() + notSent);
    }
    for (const auto& [linkType, id] : recordInterfaces_) { // events: drops are the hub queue's
        const std::uint64_t notSent = lost(id), recorded = recordsOn_[id];
        writer_.writeInterfaceStatistics(id, now, recorded - std::min(notSent, recorded), events_.dropped() + notSent);
    }
}

} // namespace ss::bpf
