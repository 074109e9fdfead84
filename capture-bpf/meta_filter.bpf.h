// SPDX-License-Identifier: GPL-2.0-only
// The kernel side of `--ebpf-filter` (contract: meta_filter.h), included by the packet and
// the syscall programs: their own copy of the maps, filled alike by user space.
#ifndef SS_META_FILTER_BPF_H
#define SS_META_FILTER_BPF_H

#include "meta_filter.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct ss_meta_config);
} ss_meta_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SS_META_MAX_PIDS);
    __type(key, __u32);
    __type(value, __u32);
} ss_meta_pids SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SS_META_MAX_COMMS);
    __type(key, char[SS_META_COMM_LEN]);
    __type(value, __u32);
} ss_meta_comms SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, SS_META_MAX_CGROUPS);
    __type(key, __u64);
    __type(value, __u32);
} ss_meta_cgroups SEC(".maps");

// The filter's verdict for an owner (`known` 0: no owner), `config` enabled.
static __always_inline int ss_meta_verdict(const struct ss_meta_config* config, int known, __u32 tgid,
                                           const char* comm, __u64 cgroup_id)
{
    __u32 mask = 0;
    if (known) {
        mask |= config->owner_bits;
        const __u32* bits = bpf_map_lookup_elem(&ss_meta_pids, &tgid);
        if (bits)
            mask |= *bits;
        bits = bpf_map_lookup_elem(&ss_meta_comms, comm);
        if (bits)
            mask |= *bits;
        bits = bpf_map_lookup_elem(&ss_meta_cgroups, &cgroup_id);
        if (bits)
            mask |= *bits;
    }
    mask &= (1u << SS_META_MAX_ATOMS) - 1;
    return (config->truth[mask >> 3] >> (mask & 7)) & 1;
}

static __always_inline const struct ss_meta_config* ss_meta_enabled(void)
{
    __u32 zero = 0;
    const struct ss_meta_config* config = bpf_map_lookup_elem(&ss_meta_config, &zero);
    return config && config->enabled ? config : 0;
}

// Whether the metadata filter keeps an event of this owner (`known` 0: no owner).
static __always_inline int ss_meta_keep(int known, __u32 tgid, const char* comm, __u64 cgroup_id)
{
    const struct ss_meta_config* config = ss_meta_enabled();
    return !config || ss_meta_verdict(config, known, tgid, comm, cgroup_id);
}

// The same for the current task (process context), at no cost when no filter is set.
static __always_inline int ss_meta_keep_current(void)
{
    const struct ss_meta_config* config = ss_meta_enabled();
    if (!config)
        return 1;
    char comm[SS_META_COMM_LEN] = {};
    bpf_get_current_comm(comm, sizeof(comm));
    return ss_meta_verdict(config, 1, bpf_get_current_pid_tgid() >> 32, comm, bpf_get_current_cgroup_id());
}

#endif
