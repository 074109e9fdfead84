// SPDX-License-Identifier: GPL-2.0-only
// TC (clsact) ingress and egress programs: copy up to `snaplen` bytes of every packet, with
// its interface, direction, length and socket cookie, into a ring buffer. Wake-ups are
// batched: a consumer that polls is woken once SS_WAKEUP_BYTES are pending, not per packet.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "packet_capture.h"

#define TC_ACT_OK 0

const volatile __u32 ss_snaplen = 256;

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, SS_RINGBUF_BYTES);
} ss_events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SS_STAT_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} ss_stats SEC(".maps");

static __always_inline void count(__u32 which)
{
    __u64* value = bpf_map_lookup_elem(&ss_stats, &which);
    if (value)
        *value += 1;
}

static __always_inline int capture(struct __sk_buff* skb, __u32 direction)
{
    count(SS_STAT_SEEN);
    struct ss_packet_event* event =
        bpf_ringbuf_reserve(&ss_events, sizeof(*event) + SS_MAX_SNAPLEN, 0);
    if (!event) {
        count(SS_STAT_RINGBUF_DROPS);
        return TC_ACT_OK;
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
    return TC_ACT_OK;
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
