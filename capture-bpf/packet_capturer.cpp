// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_capturer.h"

#include "error.h"
#include "interfaces.h"
#include "k8s_metadata.h"
#include "tc_hook.h"

#include "packet_capture.skel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

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

namespace {

// What the counting role needs to know of the running kernel's skb:kfree_skb, from its BTF
// (read once): whether the tracepoint passes the receiving socket (a fourth argument, since
// 6.12: btf_trace_kfree_skb points to a function of five), and enum skb_drop_reason's names
// without their prefix ("NO_SOCKET"), as the tracepoint prints them.
struct KfreeSkb {
    bool receivingSocket = false;
    std::map<std::uint32_t, std::string> reasons;
};
KfreeSkb kfreeSkbFromBtf()
{
    KfreeSkb k;
    btf* vmlinux = btf__load_vmlinux_btf();
    if (!vmlinux)
        return k;
    const int typedefId = btf__find_by_name_kind(vmlinux, "btf_trace_kfree_skb", BTF_KIND_TYPEDEF);
    if (typedefId > 0) {
        const btf_type* pointer = btf__type_by_id(vmlinux, btf__type_by_id(vmlinux, typedefId)->type);
        const btf_type* function = pointer && btf_is_ptr(pointer) ? btf__type_by_id(vmlinux, pointer->type) : nullptr;
        k.receivingSocket = function && btf_is_func_proto(function) && btf_vlen(function) >= 5;
    }
    const int enumId = btf__find_by_name_kind(vmlinux, "skb_drop_reason", BTF_KIND_ENUM);
    if (enumId > 0) {
        const btf_type* type = btf__type_by_id(vmlinux, enumId);
        const struct btf_enum* e = btf_enum(type);
        const std::string prefix = "SKB_DROP_REASON_";
        for (int i = 0; i < btf_vlen(type); ++i) {
            std::string name = btf__name_by_offset(vmlinux, e[i].name_off);
            if (name.rfind(prefix, 0) == 0)
                name.erase(0, prefix.size());
            k.reasons[std::uint32_t(e[i].val)] = name;
        }
    }
    btf__free(vmlinux);
    return k;
}

} // namespace

PacketCapturer::PacketCapturer(const std::vector<Interface>& interfaces, std::uint32_t snaplen, Sink sink,
                               const std::vector<ClassicInsn>& filter, std::uint32_t ringBytes,
                               const Prepare& prepare, const std::vector<ExcludedEndpoint>& excluded, Role role)
    : sink_(std::move(sink))
{
    if (excluded.size() > SS_MAX_EXCLUDED)
        throw EngineError("exclude endpoints", std::to_string(excluded.size()), "too many");
    skeleton_.reset(packet_capture__open());
    if (!skeleton_)
        throw EngineError("open BPF object", "packet_capture", std::strerror(errno));
    skeleton_->rodata->ss_snaplen = snaplen;
    skeleton_->rodata->ss_have_exclusions = excluded.empty() ? 0 : 1;
    skeleton_->rodata->ss_count_traffic = role == Role::Count ? 1 : 0;
    skeleton_->rodata->ss_emit_packets = role == Role::Capture ? 1 : 0;
    // Only the counting role has the drop programs (and reads the kernel's BTF for them).
    const KfreeSkb kfree = role == Role::Count ? kfreeSkbFromBtf() : KfreeSkb{};
    dropReasons_ = kfree.reasons;
    bpf_program__set_autoload(skeleton_->progs.stratoshark_drop, role == Role::Count && !kfree.receivingSocket);
    bpf_program__set_autoload(skeleton_->progs.stratoshark_drop_rx, role == Role::Count && kfree.receivingSocket);
    if (ringBytes && bpf_map__set_max_entries(skeleton_->maps.ss_events, ringBytes) != 0)
        throw EngineError("size ring buffer", std::to_string(ringBytes) + " bytes", "not a power of two of at least a page");
    if (const int err = packet_capture__load(skeleton_.get()))
        throw EngineError("load BPF programs", "packet_capture", std::strerror(-err));
    if (prepare)
        prepare(metaFilterMaps());
    for (const ExcludedEndpoint& e : excluded) {
        ss_flow_key key{};
        key.family = std::uint8_t(e.family);
        key.protocol = 6; // TCP
        key.local_port = e.port;
        std::memcpy(key.local_addr, e.address.data(), e.family == AF_INET ? 4 : 16);
        const std::uint8_t one = 1;
        if (bpf_map_update_elem(bpf_map__fd(skeleton_->maps.ss_excluded), &key, &one, BPF_ANY) != 0)
            throw EngineError("exclude endpoint", e.text, std::strerror(errno));
    }
    // The owner-recording tracepoints (tp_btf); the TC programs are attached below.
    if (const int err = packet_capture__attach(skeleton_.get()))
        throw EngineError("attach socket tracepoints", "sock_send_length/sock_recv_length/inet_sock_set_state",
                          std::strerror(-err));
    attachSocketCreation();
    int ingress = bpf_program__fd(skeleton_->progs.stratoshark_tci);
    int egress = bpf_program__fd(skeleton_->progs.stratoshark_tce);
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
    ingressFd_ = ingress;
    egressFd_ = egress;
    ifindexes_.clear();
    for (const Interface& i : interfaces)
        addInterface(i);
    ring_ = std::make_unique<RingReader>(bpf_map__fd(skeleton_->maps.ss_events), "ss_events", onEvent, this);
}

void PacketCapturer::addInterface(const Interface& i)
{
    qdiscs_.push_back(std::make_unique<ClsactQdisc>(i.ifindex, i.name));
    // On loopback every packet leaves and comes back: egress alone sees each one once,
    // as tcpdump and dumpcap do (and with the sender's socket).
    if (!isLoopback(i.name))
        attachments_.push_back(
            std::make_unique<TcAttachment>(*qdiscs_.back(), TcAttachment::Direction::Ingress, ingressFd_));
    attachments_.push_back(std::make_unique<TcAttachment>(*qdiscs_.back(), TcAttachment::Direction::Egress, egressFd_));
    ifindexes_.push_back(i.ifindex);
}

void PacketCapturer::attachSocketCreation()
{
    // On the cgroup v2 root, so that every new socket's creator is known (link-based: other
    // programs on the root stay). Without cgroup v2 only the first packets of new
    // connections lose their owner; the capture goes on.
    const std::string root = cgroup2Mount();
    const int fd = root.empty() ? -1 : open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bpf_link* link = fd >= 0 ? bpf_program__attach_cgroup(skeleton_->progs.stratoshark_sck, fd) : nullptr;
    const int err = errno;
    if (fd >= 0)
        close(fd);
    if (!link) {
        std::fprintf(stderr, "stratoshark-helper: attach cgroup/sock_create \"%s\": %s (new connections' first "
                             "packets may have no owner)\n",
                     root.empty() ? "no cgroup v2 mount" : root.c_str(), std::strerror(err));
        return;
    }
    skeleton_->links.stratoshark_sck = link; // destroyed with the skeleton
}

MetaFilterMaps PacketCapturer::metaFilterMaps() const
{
    return {bpf_map__fd(skeleton_->maps.ss_meta_config), bpf_map__fd(skeleton_->maps.ss_meta_pids),
            bpf_map__fd(skeleton_->maps.ss_meta_comms), bpf_map__fd(skeleton_->maps.ss_meta_cgroups)};
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

int PacketCapturer::epollFd() const
{
    return ring_->epollFd();
}

int PacketCapturer::drain()
{
    return ring_->drain();
}

int PacketCapturer::ownersMapFd() const
{
    return bpf_map__fd(skeleton_->maps.ss_owners);
}

namespace {

// Every entry of a per-CPU hash map, its values summed over the CPUs with `add`.
template <typename Key, typename Value, typename Add>
std::vector<std::pair<Key, Value>> sumPerCpuHash(int fd, Add add)
{
    const int cpus = libbpf_num_possible_cpus();
    std::vector<Value> values(std::size_t(cpus > 0 ? cpus : 1));
    std::vector<std::pair<Key, Value>> out;
    Key key{}, next{};
    const Key* previous = nullptr;
    while (bpf_map_get_next_key(fd, previous, &next) == 0) {
        key = next;
        previous = &key;
        if (bpf_map_lookup_elem(fd, &key, values.data()) != 0)
            continue; // gone meanwhile
        Value sum{};
        for (const Value& v : values)
            add(sum, v);
        out.emplace_back(key, sum);
    }
    return out;
}

} // namespace

std::vector<std::pair<ss_traffic_key, ss_traffic_value>> PacketCapturer::traffic() const
{
    return sumPerCpuHash<ss_traffic_key, ss_traffic_value>(
        bpf_map__fd(skeleton_->maps.ss_traffic), [](ss_traffic_value& sum, const ss_traffic_value& v) {
            sum.packets += v.packets;
            sum.bytes += v.bytes;
            sum.retransmissions += v.retransmissions;
        });
}

std::vector<std::pair<ss_drop_key, std::uint64_t>> PacketCapturer::drops() const
{
    return sumPerCpuHash<ss_drop_key, std::uint64_t>(bpf_map__fd(skeleton_->maps.ss_drops),
                                                     [](std::uint64_t& sum, std::uint64_t v) { sum += v; });
}

std::uint64_t PacketCapturer::uncounted() const
{
    const int fd = bpf_map__fd(skeleton_->maps.ss_stats);
    std::set<std::uint32_t> slots; // interfaces past SS_MAX_IFINDEX share the last one: read it once
    for (const int ifindex : ifindexes_)
        slots.insert(std::uint32_t(ifindex < SS_MAX_IFINDEX ? ifindex : SS_MAX_IFINDEX - 1));
    std::uint64_t sum = 0;
    for (const std::uint32_t slot : slots)
        sum += sumPerCpu(fd, slot * SS_STAT_COUNT + SS_STAT_UNCOUNTED);
    return sum;
}

std::string PacketCapturer::dropReason(std::uint32_t reason) const
{
    const auto it = dropReasons_.find(reason);
    return it == dropReasons_.end() ? std::to_string(reason) : it->second;
}

void PacketCapturer::forgetCgroup(std::uint64_t cgroupId)
{
    for (const auto& [key, value] : traffic())
        if (key.cgroup_id == cgroupId)
            bpf_map_delete_elem(bpf_map__fd(skeleton_->maps.ss_traffic), &key);
    for (const auto& [key, value] : drops())
        if (key.cgroup_id == cgroupId)
            bpf_map_delete_elem(bpf_map__fd(skeleton_->maps.ss_drops), &key);
}

double PacketCapturer::ringFill() const
{
    return ring_ ? ring_->fill() : 0;
}

bool PacketCapturer::hasInterface(int ifindex) const
{
    return std::find(ifindexes_.begin(), ifindexes_.end(), ifindex) != ifindexes_.end();
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
