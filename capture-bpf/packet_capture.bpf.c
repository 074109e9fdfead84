// SPDX-License-Identifier: GPL-2.0-only
// TC (clsact) ingress and egress programs: copy up to `snaplen` bytes of every packet, with
// its interface, direction, length, socket cookie and owning process, into a ring buffer;
// with `--ebpf-filter`, only the packets whose owner matches (meta_filter.bpf.h). Wake-ups are
// batched: a consumer that polls is woken when SS_WAKEUP_BYTES become pending, not per packet.
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "meta_filter.bpf.h"
#include "ring_wakeup.bpf.h"
#include "packet_capture.h"

// TC_ACT_UNSPEC: let the packet go on to the other TC filters (another capture, a CNI).
#define TC_ACT_UNSPEC (-1)

const volatile __u32 ss_snaplen = 256;
const volatile __u32 ss_have_exclusions = 0;
const volatile __u32 ss_count_traffic = 0; // count in ss_traffic (the node's metrics)
const volatile __u32 ss_emit_packets = 1;  // copy packets into ss_events (captures)

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, SS_RINGBUF_BYTES);
} ss_events SEC(".maps");

// With a capture filter, the filter program is what TC runs; on a match it tail-calls the
// capture program: entry 0 ingress, 1 egress (filled by user space).
struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} ss_tc_progs SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SS_MAX_IFINDEX * SS_STAT_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} ss_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, SS_MAX_OWNERS);
    __type(key, struct ss_flow_key);
    __type(value, struct ss_owner);
} ss_owners SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, SS_MAX_TRAFFIC_KEYS);
    __type(key, struct ss_traffic_key);
    __type(value, struct ss_traffic_value);
} ss_traffic SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, SS_MAX_SEQ_FLOWS);
    __type(key, struct ss_seq_key);
    __type(value, struct ss_seq_state);
} ss_tcp_seq SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, SS_MAX_DROP_KEYS);
    __type(key, struct ss_drop_key);
    __type(value, __u64);
} ss_drops SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, SS_MAX_OWNERS);
    __type(key, __u64);
    __type(value, struct ss_owner);
} ss_sock_owners SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SS_MAX_EXCLUDED);
    __type(key, struct ss_flow_key);
    __type(value, __u8);
} ss_excluded SEC(".maps");

// The current task as an owner (process context only).
static __always_inline void current_owner(struct ss_owner_id* id)
{
    const __u64 pid_tgid = bpf_get_current_pid_tgid();
    id->tgid = pid_tgid >> 32;
    id->tid = (__u32)pid_tgid;
    id->cgroup_id = bpf_get_current_cgroup_id();
    id->uid = (__u32)bpf_get_current_uid_gid();
    bpf_get_current_comm(id->comm, sizeof(id->comm));
}

// Records the current task as the owner of `sk`'s connection (process context only).
static __always_inline void record_owner(const struct sock* sk)
{
    struct ss_flow_key key = {};
    key.family = BPF_CORE_READ(sk, __sk_common.skc_family);
    key.protocol = (unsigned char)BPF_CORE_READ(sk, sk_protocol);
    if (key.protocol != 6 && key.protocol != 17)
        return;
    key.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
    key.remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    if (key.family == 2) {
        key.local_addr[0] = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
        key.remote_addr[0] = BPF_CORE_READ(sk, __sk_common.skc_daddr);
    } else if (key.family == 10) {
        BPF_CORE_READ_INTO(&key.local_addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
        BPF_CORE_READ_INTO(&key.remote_addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
    } else {
        return;
    }
    const struct ss_owner* known = bpf_map_lookup_elem(&ss_owners, &key);
    if (known && known->id.tgid == bpf_get_current_pid_tgid() >> 32 && known->args_len)
        return; // recorded already in process context: keep the per-send cost to one lookup
    struct ss_owner owner = {};
    current_owner(&owner.id);
    owner.netns_cookie = BPF_CORE_READ(sk, __sk_common.skc_net.net, net_cookie);
    if (known && (known->shared || known->netns_cookie != owner.netns_cookie))
        owner.shared = 1; // the same key in another namespace (listeners; tuples, rarely)
    struct task_struct* task = bpf_get_current_task_btf();
    const unsigned long start = BPF_CORE_READ(task, mm, arg_start);
    const unsigned long end = BPF_CORE_READ(task, mm, arg_end);
    __u64 len = end > start ? end - start : 0;
    if (len > SS_ARGS_LEN)
        len = SS_ARGS_LEN;
    asm volatile("" : "+r"(len)); // keep the verifier's bound (notes §1)
    if (len > 0 && len <= SS_ARGS_LEN && bpf_probe_read_user(owner.args, len, (const void*)start) == 0)
        owner.args_len = len;
    bpf_map_update_elem(&ss_owners, &key, &owner, BPF_ANY);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(stratoshark_snd, struct sock* sk, int ret, int flags)
{
    record_owner(sk);
    return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(stratoshark_rcv, struct sock* sk, int ret, int flags)
{
    record_owner(sk);
    return 0;
}

// listen(): the listening socket's owner answers for the handshakes it receives.
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(stratoshark_lsn, const struct sock* sk, int oldstate, int newstate)
{
    if (newstate == 10 /* TCP_LISTEN */)
        record_owner(sk);
    return 0;
}

// socket(): the creator owns the socket's first packets (a connect's SYN), before any
// send or receive. Attached to the cgroup2 root; always allows the socket.
SEC("cgroup/sock_create")
int stratoshark_sck(struct bpf_sock* ctx)
{
    struct ss_owner owner = {};
    current_owner(&owner.id);
    owner.netns_cookie = bpf_get_netns_cookie(ctx);
    __u64 cookie = bpf_get_socket_cookie(ctx);
    bpf_map_update_elem(&ss_sock_owners, &cookie, &owner, BPF_ANY);
    return 1;
}

// Where a packet's transport header starts and its IP packet ends (offsets in the frame).
struct l4_span {
    __u32 start, end;
};

// The flow key of an Ethernet frame as seen from its local end (family and protocol are
// set for any IP packet, even when it has no ports and 0 is returned).
static __always_inline int flow_key(struct __sk_buff* skb, int ingress, struct ss_flow_key* key, struct l4_span* span)
{
    __u16 type;
    __u32 offset = 14;
    if (bpf_skb_load_bytes(skb, 12, &type, sizeof(type)) < 0)
        return 0;
    if (type == bpf_htons(0x8100)) { // one VLAN tag
        if (bpf_skb_load_bytes(skb, 16, &type, sizeof(type)) < 0)
            return 0;
        offset = 18;
    }
    __u32 src[4] = {}, dst[4] = {};
    __u32 l4;
    if (type == bpf_htons(0x0800)) {
        struct iphdr ip;
        if (bpf_skb_load_bytes(skb, offset, &ip, sizeof(ip)) < 0)
            return 0;
        key->family = 2;
        key->protocol = ip.protocol;
        if (ip.frag_off & bpf_htons(0x1fff))
            return 0; // a later fragment has no ports
        src[0] = ip.saddr;
        dst[0] = ip.daddr;
        l4 = offset + ip.ihl * 4;
        span->end = offset + bpf_ntohs(ip.tot_len);
    } else if (type == bpf_htons(0x86dd)) {
        struct ipv6hdr ip6;
        if (bpf_skb_load_bytes(skb, offset, &ip6, sizeof(ip6)) < 0)
            return 0;
        key->family = 10;
        key->protocol = ip6.nexthdr; // extension headers are not followed
        __builtin_memcpy(src, &ip6.saddr, 16);
        __builtin_memcpy(dst, &ip6.daddr, 16);
        l4 = offset + 40;
        span->end = l4 + bpf_ntohs(ip6.payload_len);
    } else {
        return 0;
    }
    span->start = l4;
    if (key->protocol != 6 && key->protocol != 17)
        return 0;
    __u16 ports[2];
    if (bpf_skb_load_bytes(skb, l4, ports, sizeof(ports)) < 0)
        return 0;
    key->local_port = bpf_ntohs(ingress ? ports[1] : ports[0]);
    key->remote_port = bpf_ntohs(ingress ? ports[0] : ports[1]);
    __builtin_memcpy(key->local_addr, ingress ? dst : src, 16);
    __builtin_memcpy(key->remote_addr, ingress ? src : dst, 16);
    return 1;
}

// The listening or unconnected socket on the key's local port: bound to its address, or
// to any; none when sockets of several namespaces share the key.
static __always_inline const struct ss_owner* find_listener(const struct ss_flow_key* connection)
{
    struct ss_flow_key key = *connection;
    __builtin_memset(key.remote_addr, 0, sizeof(key.remote_addr));
    key.remote_port = 0;
    const struct ss_owner* owner = bpf_map_lookup_elem(&ss_owners, &key);
    if (!owner) {
        __builtin_memset(key.local_addr, 0, sizeof(key.local_addr));
        owner = bpf_map_lookup_elem(&ss_owners, &key);
    }
    return owner && !owner->shared ? owner : 0;
}

static __always_inline void swap_ends(struct ss_flow_key* key)
{
    struct ss_flow_key swapped = *key;
    __builtin_memcpy(swapped.local_addr, key->remote_addr, sizeof(swapped.local_addr));
    __builtin_memcpy(swapped.remote_addr, key->local_addr, sizeof(swapped.remote_addr));
    swapped.local_port = key->remote_port;
    swapped.remote_port = key->local_port;
    *key = swapped;
}

// Whether the packet passes through this namespace rather than starting or ending here:
// on egress it has no socket of ours (forwarded), on ingress the routing table would
// forward it instead of delivering it locally (`key` as seen on ingress: local = dst).
static __always_inline int in_transit(struct __sk_buff* skb, int ingress, __u64 cookie, const struct ss_flow_key* key)
{
    if (!ingress)
        return cookie == 0;
    struct bpf_fib_lookup fib = {};
    fib.family = key->family;
    fib.l4_protocol = key->protocol;
    fib.sport = bpf_htons(key->remote_port);
    fib.dport = bpf_htons(key->local_port);
    fib.tot_len = skb->len;
    fib.ifindex = skb->ingress_ifindex;
    if (key->family == 2) {
        fib.ipv4_src = key->remote_addr[0];
        fib.ipv4_dst = key->local_addr[0];
    } else {
        __builtin_memcpy(fib.ipv6_src, key->remote_addr, sizeof(fib.ipv6_src));
        __builtin_memcpy(fib.ipv6_dst, key->local_addr, sizeof(fib.ipv6_dst));
    }
    const long route = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
    return route == BPF_FIB_LKUP_RET_SUCCESS || route == BPF_FIB_LKUP_RET_NO_NEIGH ||
           route == BPF_FIB_LKUP_RET_FRAG_NEEDED; // forwarded (neighbour or size aside)
}

// Whether the packet belongs to an excluded endpoint (the helper's own TLS port), either end
// being local: `key` as seen from the packet's local end.
static __always_inline int excluded(const struct ss_flow_key* key)
{
    struct ss_flow_key k = *key;
    __builtin_memset(k.remote_addr, 0, sizeof(k.remote_addr));
    k.remote_port = 0;
    if (bpf_map_lookup_elem(&ss_excluded, &k))
        return 1;
    __builtin_memset(k.local_addr, 0, sizeof(k.local_addr));
    return bpf_map_lookup_elem(&ss_excluded, &k) != 0;
}

// The packet's owner, the end the direction makes local first: its connection's; on
// egress its socket's creator (then remembered for the connection, so that the answers
// find it too); the listening or unconnected socket on the local port. Then the same for
// the other end, for a packet in transit only: on a node's side of a pod's veth, or on a
// bridge, the packet's local end may be elsewhere while the other end is a socket of this
// node (a pod serving a client of another node). A packet delivered here is never given to
// its sender.
static __always_inline __u32 find_owner(struct __sk_buff* skb, int ingress, __u64 cookie,
                                        const struct ss_flow_key* flow, struct ss_owner_id* id)
{
    struct ss_flow_key key = *flow;
    const struct ss_owner* owner = bpf_map_lookup_elem(&ss_owners, &key);
    __u32 source = SS_OWNER_FLOW;
    if (!owner && !ingress && cookie) {
        owner = bpf_map_lookup_elem(&ss_sock_owners, &cookie);
        if (owner) {
            bpf_map_update_elem(&ss_owners, &key, owner, BPF_NOEXIST);
            source = SS_OWNER_SOCKET;
        }
    }
    if (!owner) {
        owner = find_listener(&key);
        source = SS_OWNER_LISTENER;
    }
    if (!owner && in_transit(skb, ingress, cookie, &key)) {
        swap_ends(&key);
        owner = bpf_map_lookup_elem(&ss_owners, &key);
        source = SS_OWNER_FLOW;
        if (!owner) {
            owner = find_listener(&key);
            source = SS_OWNER_LISTENER;
        }
    }
    if (!owner)
        return SS_OWNER_NONE;
    *id = owner->id;
    return source;
}

static __always_inline void count(__u32 ifindex, __u32 which)
{
    if (ifindex >= SS_MAX_IFINDEX)
        ifindex = SS_MAX_IFINDEX - 1;
    __u32 key = ifindex * SS_STAT_COUNT + which;
    __u64* value = bpf_map_lookup_elem(&ss_stats, &key);
    if (value)
        *value += 1;
}

// One ring-buffer record with room for `room` bytes of packet (a constant at each call
// site: reservations are sized at verification), so that a short snap length costs a
// short record.
static __always_inline void emit(struct __sk_buff* skb, __u32 direction, __u64 caplen, const __u32 room,
                                 __u64 cookie, __u32 source, const struct ss_owner_id* owner)
{
    struct ss_packet_event* event = bpf_ringbuf_reserve(&ss_events, sizeof(*event) + room, 0);
    if (!event) {
        count(skb->ifindex, SS_STAT_RINGBUF_DROPS);
        return;
    }
    if (caplen > room)
        caplen = room;
    asm volatile("" : "+r"(caplen)); // keep the verifier's bound on the register (notes §1)
    if (caplen == 0 || caplen > room || bpf_skb_load_bytes(skb, 0, (void*)(event + 1), caplen) < 0)
        caplen = 0;
    event->ts_ns = bpf_ktime_get_ns();
    event->socket_cookie = cookie;
    event->owner_source = source;
    event->pad = 0;
    event->owner = *owner;
    event->ifindex = skb->ifindex;
    event->len = skb->len;
    event->caplen = caplen;
    event->direction = direction;
    bpf_ringbuf_submit(event, ss_wakeup_flag(&ss_events, sizeof(*event) + room, SS_WAKEUP_BYTES));
}

// Whether a TCP segment resends bytes its sender has sent before on this interface (see
// ss_seq_key in packet_capture.h), keeping the highest sequence sent up to date.
static __always_inline int retransmitted(struct __sk_buff* skb, const struct ss_flow_key* flow, __u32 direction,
                                         const struct l4_span* span)
{
    struct {
        __u32 seq, ack;
        __u8 offset, flags;
        __u16 window;
    } tcp;
    if (bpf_skb_load_bytes(skb, span->start + 4, &tcp, sizeof(tcp)) < 0)
        return 0;
    if (tcp.flags & 0x04) // RST
        return 0;
    const __u32 header = (tcp.offset >> 4) * 4;
    const __u32 payload = span->end > span->start + header ? span->end - span->start - header : 0;
    const __u32 syn = tcp.flags & 0x02 ? 1 : 0;
    const __u32 length = payload + syn + (tcp.flags & 0x01 ? 1 : 0); // SYN and FIN count one
    const __u32 seq = bpf_ntohl(tcp.seq);
    struct ss_seq_key key = {};
    key.flow = *flow;
    if (direction == SS_DIR_INGRESS)
        swap_ends(&key.flow); // the sender is the remote end
    const __u64 now = bpf_ktime_get_ns();
    struct ss_seq_state* state = bpf_map_lookup_elem(&ss_tcp_seq, &key);
    if (!state || (syn && state->isn != seq)) { // a connection seen first, or a new one on the same ends
        if (length == 0)
            return 0;
        struct ss_seq_state fresh = {};
        fresh.next = seq + length;
        fresh.isn = syn ? seq : 0;
        fresh.ifindex = skb->ifindex;
        fresh.advanced_ns = now;
        bpf_map_update_elem(&ss_tcp_seq, &key, &fresh, BPF_ANY);
        return 0;
    }
    if (state->ifindex != skb->ifindex)
        return 0;
    if (!state->first_rtt_ns && state->isn && !syn && (tcp.flags & 0x10) && state->next == state->isn + 1) {
        // The handshake's last ACK: the round trip since the SYN (tshark's initial RTT), for both ends.
        const __u64 rtt = now - state->advanced_ns;
        state->first_rtt_ns = rtt && rtt < 0xffffffffu ? (__u32)rtt : 0xffffffffu;
        struct ss_seq_key reverse = key;
        swap_ends(&reverse.flow);
        struct ss_seq_state* server = bpf_map_lookup_elem(&ss_tcp_seq, &reverse);
        if (server && !server->first_rtt_ns)
            server->first_rtt_ns = state->first_rtt_ns;
    }
    if (tcp.flags & 0x10) { // its acknowledgements, duplicates counted
        const __u32 ack = bpf_ntohl(tcp.ack);
        if (length == 0 && ack == state->last_ack && tcp.window == state->window) {
            state->dup_acks += 1;
            state->dup_ack_ns = now;
        } else if (ack != state->last_ack || tcp.window != state->window) {
            state->last_ack = ack;
            state->window = tcp.window;
            state->dup_acks = 0;
        }
    }
    if (length == 0)
        return 0;
    const __u32 end = seq + length;
    const int behind = (__s32)(seq - state->next) < 0;
    const int keepalive = length <= 1 && !syn && !(tcp.flags & 0x01) && seq == state->next - 1;
    const __u64 threshold = state->first_rtt_ns ? state->first_rtt_ns : 3000000;
    int out_of_order = now - state->advanced_ns < threshold;
    if ((__s32)(end - state->next) > 0) {
        state->next = end;
        state->advanced_ns = now;
    }
    if (behind && out_of_order) { // unless the other end asked for it again and again
        struct ss_seq_key reverse = key;
        swap_ends(&reverse.flow);
        const struct ss_seq_state* receiver = bpf_map_lookup_elem(&ss_tcp_seq, &reverse);
        if (receiver && receiver->dup_acks >= 2 && receiver->last_ack == seq && now - receiver->dup_ack_ns < 20000000)
            out_of_order = 0;
    }
    return behind && !keepalive && !out_of_order;
}

// Counts a packet for the node's metrics.
static __always_inline void count_traffic(struct __sk_buff* skb, __u32 direction, const struct ss_flow_key* flow,
                                          int have_ports, const struct l4_span* span, __u64 cgroup_id)
{
    struct ss_traffic_key key = {};
    key.cgroup_id = cgroup_id;
    key.ifindex = skb->ifindex;
    key.direction = (__u8)direction;
    key.protocol = flow->protocol;
    const int resent = flow->protocol == 6 && have_ports && retransmitted(skb, flow, direction, span);
    struct ss_traffic_value* value = bpf_map_lookup_elem(&ss_traffic, &key);
    if (!value) {
        struct ss_traffic_value zero = {};
        bpf_map_update_elem(&ss_traffic, &key, &zero, BPF_NOEXIST);
        value = bpf_map_lookup_elem(&ss_traffic, &key);
        if (!value) { // the map is full
            count(skb->ifindex, SS_STAT_UNCOUNTED);
            return;
        }
    }
    value->packets += 1;
    value->bytes += skb->len;
    value->retransmissions += resent;
}

static __always_inline int capture(struct __sk_buff* skb, __u32 direction)
{
    const int ingress = direction == SS_DIR_INGRESS;
    struct ss_flow_key key = {};
    struct l4_span span = {};
    const int have_key = flow_key(skb, ingress, &key, &span);
    if (have_key && ss_have_exclusions && excluded(&key))
        return TC_ACT_UNSPEC;
    const __u64 cookie = bpf_get_socket_cookie(skb);
    struct ss_owner_id owner = {};
    const __u32 source = have_key ? find_owner(skb, ingress, cookie, &key, &owner) : SS_OWNER_NONE;
    if (ss_count_traffic)
        count_traffic(skb, direction, &key, have_key, &span, source != SS_OWNER_NONE ? owner.cgroup_id : 0);
    if (!ss_emit_packets)
        return TC_ACT_UNSPEC;
    if (!ss_meta_keep(source != SS_OWNER_NONE, owner.tgid, owner.comm, owner.cgroup_id))
        return TC_ACT_UNSPEC;
    count(skb->ifindex, SS_STAT_SEEN);
    __u64 caplen = skb->len;
    if (caplen > ss_snaplen)
        caplen = ss_snaplen;
    // Reservations come in sizes (constants, as the verifier needs): a small packet costs a
    // small record, a GSO/GRO super-packet (up to 64 KiB and more) a large one.
    if (caplen <= 128)
        emit(skb, direction, caplen, 128, cookie, source, &owner);
    else if (caplen <= 288)
        emit(skb, direction, caplen, 288, cookie, source, &owner);
    else if (caplen <= 640)
        emit(skb, direction, caplen, 640, cookie, source, &owner);
    else if (caplen <= 1600) // an Ethernet MTU's frame
        emit(skb, direction, caplen, 1600, cookie, source, &owner);
    else if (caplen <= 4096)
        emit(skb, direction, caplen, 4096, cookie, source, &owner);
    else if (caplen <= 16384)
        emit(skb, direction, caplen, 16384, cookie, source, &owner);
    else if (caplen <= 66560) // a 64 KiB GSO super-packet with its headers
        emit(skb, direction, caplen, 66560, cookie, source, &owner);
    else
        emit(skb, direction, caplen, SS_MAX_SNAPLEN, cookie, source, &owner);
    return TC_ACT_UNSPEC;
}

static __always_inline void count_drop(struct sk_buff* skb, __u32 reason, struct sock* rx_sk)
{
    struct ss_drop_key key = {};
    key.reason = reason;
    // The packet's own socket, or the one it was being delivered to (a full receive buffer).
    struct sock* sk = BPF_CORE_READ(skb, sk);
    if (!sk)
        sk = rx_sk;
    if (sk)
        key.cgroup_id = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
    __u64* value = bpf_map_lookup_elem(&ss_drops, &key);
    if (value) {
        *value += 1;
        return;
    }
    __u64 one = 1;
    bpf_map_update_elem(&ss_drops, &key, &one, BPF_NOEXIST);
}

// A packet the kernel dropped, by reason and the cgroup of its socket (the node's metrics;
// loaded only with ss_count_traffic): one of the two, as the kernel's tracepoint has the
// receiving socket as an argument (6.12 and later) or not.
SEC("tp_btf/kfree_skb")
int BPF_PROG(stratoshark_drop, struct sk_buff* skb, void* location, enum skb_drop_reason reason)
{
    count_drop(skb, (__u32)reason, 0);
    return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(stratoshark_drop_rx, struct sk_buff* skb, void* location, enum skb_drop_reason reason, struct sock* rx_sk)
{
    count_drop(skb, (__u32)reason, rx_sk);
    return 0;
}

SEC("tc")
int stratoshark_tci(struct __sk_buff* skb)
{
    return capture(skb, SS_DIR_INGRESS);
}

SEC("tc")
int stratoshark_tce(struct __sk_buff* skb)
{
    return capture(skb, SS_DIR_EGRESS);
}

char LICENSE[] SEC("license") = "GPL";
