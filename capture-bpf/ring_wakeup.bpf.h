// SPDX-License-Identifier: GPL-2.0-only
// Batched ring-buffer wake-ups (notes §3), shared by the packet and syscall programs.
#ifndef SS_RING_WAKEUP_BPF_H
#define SS_RING_WAKEUP_BPF_H

// The submit flag for a record of `bytes` (as reserved) in `ring`: wake the consumer only
// when this record takes the pending data across `threshold`. A consumer that fell behind
// is reading already (and polls on a timer as well); waking it for every record above the
// threshold would cost an interrupt per record, which the producer pays (measured: 11x on a
// syscall-bound loop, down to well under 3x).
static __always_inline __u64 ss_wakeup_flag(void* ring, __u64 bytes, __u64 threshold)
{
    const __u64 pending = bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA);
    return pending >= threshold && pending < threshold + bytes + 8 /* record header */ ? BPF_RB_FORCE_WAKEUP
                                                                                      : BPF_RB_NO_WAKEUP;
}

#endif
