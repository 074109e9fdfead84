// SPDX-License-Identifier: GPL-2.0-only
// TC (clsact) ingress and egress programs: copy up to `snaplen` bytes of every packet, with
// its interface, direction, length and socket cookie, into a ring buffer. Wake-ups are
// batched: a consumer that polls is woken once SS_WAKEUP_BYTES are pending, not per packet.
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "packet_capture.h"

// TC_ACT_UNSPEC: let the packet go on to the other TC filters (another capture, a CNI).
#define TC_ACT_UNSPEC (-1)

const volatile __u32 ss_snaplen = 256;

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

// Records the current task as the owner of `sk`'s connection (process context only).
static __always_inline void record_owner(struct sock* sk)
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
    const __u64 id = bpf_get_current_pid_tgid();
    const struct ss_owner* known = bpf_map_lookup_elem(&ss_owners, &key);
    if (known && known->tgid == id >> 32)
        return; // recorded already: keep the per-send cost to one lookup
    struct ss_owner owner = {};
    owner.tgid = id >> 32;
    owner.tid = (__u32)id;
    owner.cgroup_id = bpf_get_current_cgroup_id();
    bpf_get_current_comm(owner.comm, sizeof(owner.comm));
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
int BPF_PROG(ss_sock_send, struct sock* sk, int ret, int flags)
{
    record_owner(sk);
    return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(ss_sock_recv, struct sock* sk, int ret, int flags)
{
    record_owner(sk);
    return 0;
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

static __always_inline int capture(struct __sk_buff* skb, __u32 direction)
{
    count(skb->ifindex, SS_STAT_SEEN);
    struct ss_packet_event* event =
        bpf_ringbuf_reserve(&ss_events, sizeof(*event) + SS_MAX_SNAPLEN, 0);
    if (!event) {
        count(skb->ifindex, SS_STAT_RINGBUF_DROPS);
        return TC_ACT_UNSPEC;
    }
    __u64 caplen = skb->len;
    if (caplen > ss_snaplen)
        caplen = ss_snaplen;
    if (caplen > SS_MAX_SNAPLEN)
        caplen = SS_MAX_SNAPLEN;
    asm volatile("" : "+r"(caplen)); // keep the verifier's bound on the register (notes §1)
    if (caplen == 0 || bpf_skb_load_bytes(skb, 0, (void*)(event + 1), caplen) < 0)
        caplen = 0;
    event->ts_ns = bpf_ktime_get_ns();
    event->socket_cookie = bpf_get_socket_cookie(skb);
    event->ifindex = skb->ifindex;
    event->len = skb->len;
    event->caplen = caplen;
    event->direction = direction;
    const __u64 pending = bpf_ringbuf_query(&ss_events, BPF_RB_AVAIL_DATA);
    bpf_ringbuf_submit(event, pending >= SS_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
    return TC_ACT_UNSPEC;
}

SEC("tc")
int ss_tc_ingress(struct __sk_buff* skb)
{
    return capture(skb, SS_DIR_INGRESS);
}

SEC("tc")
int ss_tc_egress(struct __sk_buff* skb)
{
    return capture(skb, SS_DIR_EGRESS);
}

char LICENSE[] SEC("license") = "GPL";
