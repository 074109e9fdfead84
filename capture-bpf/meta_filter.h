/* SPDX-License-Identifier: GPL-2.0-or-later
 * The kernel/user contract of `--ebpf-filter` (metadata expressions such as
 * `k8s.pod == web and not proc.name == curl`). User space turns each comparison of the
 * expression into an "atom" (bit i of a mask), fills the sets below with what makes each
 * atom true, and writes the expression's truth table over the atoms. In the kernel:
 *   mask  = pids[tgid] | comms[comm] | cgroups[cgroup id] | (owner known ? owner_bits : 0)
 *   keep  = truth[mask / 8] bit (mask % 8)
 * Plain C, fixed-width types, no includes: clang -target bpf and the host compiler read it. */
#ifndef SS_META_FILTER_H
#define SS_META_FILTER_H

#define SS_META_MAX_ATOMS 8
#define SS_META_TRUTH_BYTES ((1 << SS_META_MAX_ATOMS) / 8)
#define SS_META_MAX_PIDS 4096
#define SS_META_MAX_COMMS 256
#define SS_META_MAX_CGROUPS 16384
#define SS_META_COMM_LEN 16

/* The single entry of the `ss_meta_config` array map. */
struct ss_meta_config {
    unsigned int enabled;     /* 0: keep everything */
    unsigned int owner_bits;  /* atoms true whenever the owner is known ("proc.pid" present) */
    unsigned char truth[SS_META_TRUTH_BYTES];
};

#endif
