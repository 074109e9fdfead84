// SPDX-License-Identifier: GPL-2.0-only
// System calls, from tp_btf sys_enter/sys_exit (no tracefs needed): the calls enabled in
// `ss_sc_enabled` are recorded at entry per thread and emitted at exit with their result,
// latency, and the user memory their arguments point to (paths, socket addresses), read at
// exit when the kernel has faulted the pages in (notes §3). Batched ring-buffer wake-ups.
// With `--ebpf-filter`, only the calls of matching processes (meta_filter.bpf.h).
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "meta_filter.bpf.h"
#include "ring_wakeup.bpf.h"
#include "syscall_capture.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SS_SC_MAX_NR);
    __type(key, __u32);
    __type(value, __u8);
} ss_sc_enabled SEC(".maps");

struct start {
    __u64 ts;
    __u64 args[6];
    __u32 nr;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32);
    __type(value, struct start);
} ss_sc_start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, SS_SC_RINGBUF_BYTES);
} ss_sc_events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} ss_sc_drops SEC(".maps");

// The helper's own process, set before loading: its calls (accepting clients, writing the
// capture) are never recorded — they would be noise, and each record written would cause
// more records (a feedback loop); a blocked accept() would also arrive long after its time.
const volatile __u32 ss_sc_self_tgid = 0;

SEC("tp_btf/sys_enter")
int BPF_PROG(stratoshark_scn, struct pt_regs* regs, long id)
{
    if (id < 0 || id >= SS_SC_MAX_NR)
        return 0;
    if ((__u32)(bpf_get_current_pid_tgid() >> 32) == ss_sc_self_tgid)
        return 0;
    __u32 nr = id;
    __u8* on = bpf_map_lookup_elem(&ss_sc_enabled, &nr);
    if (!on || !*on)
        return 0;
    if (!ss_meta_keep_current())
        return 0; // --ebpf-filter: not one of the chosen processes
    struct start s = {};
    s.ts = bpf_ktime_get_ns();
    s.nr = nr;
    // x86-64 syscall arguments: di, si, dx, r10, r8, r9 (loaded one by one, notes §1).
    s.args[0] = BPF_CORE_READ(regs, di);
    s.args[1] = BPF_CORE_READ(regs, si);
    s.args[2] = BPF_CORE_READ(regs, dx);
    s.args[3] = BPF_CORE_READ(regs, r10);
    s.args[4] = BPF_CORE_READ(regs, r8);
    s.args[5] = BPF_CORE_READ(regs, r9);
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    bpf_map_update_elem(&ss_sc_start, &tid, &s, BPF_ANY);
    return 0;
}

static __always_inline void read_str(struct ss_syscall_event* e, int slot, __u64 ptr)
{
    if (!ptr)
        return;
    if (slot < 0 || slot >= SS_SC_STRINGS)
        return;
    long n = bpf_probe_read_user_str(e->str[slot], SS_SC_STR_LEN, (const void*)ptr);
    if (n > 0)
        e->str_len[slot] = n - 1;
}

// The program a successful execve() started, as the kernel resolved it (bprm->filename):
// at the call's exit the caller's memory that held the path is gone.
struct exec_path {
    char path[SS_SC_STR_LEN];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct exec_path);
} ss_sc_exec SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(stratoshark_exe, struct task_struct* p, pid_t old_pid, struct linux_binprm* bprm)
{
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    if (!bpf_map_lookup_elem(&ss_sc_start, &tid))
        return 0; // not an execve being recorded
    struct exec_path e = {};
    bpf_probe_read_kernel_str(e.path, sizeof(e.path), BPF_CORE_READ(bprm, filename));
    bpf_map_update_elem(&ss_sc_exec, &tid, &e, BPF_ANY);
    return 0;
}

// execve()/execveat() at exit: the path (above, or read from the caller's memory when the
// call failed and that memory is still there) and, after success, the new image's argv,
// NUL-separated, into the second and third string slots.
static __always_inline void read_exec(struct ss_syscall_event* e, __u32 tid, __u64 path, long ret)
{
    struct exec_path* known = bpf_map_lookup_elem(&ss_sc_exec, &tid);
    if (known) {
        long n = bpf_probe_read_kernel_str(e->str[0], SS_SC_STR_LEN, known->path);
        if (n > 0)
            e->str_len[0] = n - 1;
        bpf_map_delete_elem(&ss_sc_exec, &tid);
    } else if (ret < 0) {
        read_str(e, 0, path);
    }
    if (ret != 0)
        return;
    struct task_struct* task = bpf_get_current_task_btf();
    const unsigned long start = BPF_CORE_READ(task, mm, arg_start);
    const unsigned long end = BPF_CORE_READ(task, mm, arg_end);
    __u64 len = end > start ? end - start : 0;
    if (len > 2 * SS_SC_STR_LEN)
        len = 2 * SS_SC_STR_LEN;
    asm volatile("" : "+r"(len)); // keep the verifier's bound (notes §1)
    if (len > 0 && len <= 2 * SS_SC_STR_LEN && bpf_probe_read_user(e->str[1], len, (const void*)start) == 0)
        e->str_len[1] = len;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(stratoshark_scx, struct pt_regs* regs, long ret)
{
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    struct start* s = bpf_map_lookup_elem(&ss_sc_start, &tid);
    if (!s)
        return 0;
    struct ss_syscall_event* e = bpf_ringbuf_reserve(&ss_sc_events, sizeof(*e), 0);
    if (!e) {
        __u32 zero = 0;
        __u64* drops = bpf_map_lookup_elem(&ss_sc_drops, &zero);
        if (drops)
            *drops += 1;
        bpf_map_delete_elem(&ss_sc_start, &tid);
        return 0;
    }
    const __u64 now = bpf_ktime_get_ns();
    const __u64 id = bpf_get_current_pid_tgid();
    e->enter_ns = s->ts;
    e->latency_ns = now - s->ts;
    e->cgroup_id = bpf_get_current_cgroup_id();
    e->uid = (__u32)bpf_get_current_uid_gid();
    e->pad = 0;
    e->tgid = id >> 32;
    e->tid = (__u32)id;
    e->cpu = bpf_get_smp_processor_id();
    e->nr = s->nr;
    e->ret = ret;
    e->str_len[0] = e->str_len[1] = e->str_len[2] = 0;
    e->addr_len = 0;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    __u64 a0 = s->args[0], a1 = s->args[1], a2 = s->args[2];
    e->args[0] = a0;
    e->args[1] = a1;
    e->args[2] = a2;
    e->args[3] = s->args[3];
    e->args[4] = s->args[4];
    e->args[5] = s->args[5];
    const __u32 nr = s->nr;
    bpf_map_delete_elem(&ss_sc_start, &tid);
    switch (nr) {
    case 2:   // open(path, …)
        read_str(e, 0, a0);
        break;
    case 59:  // execve(path, argv, envp)
        read_exec(e, tid, a0, ret);
        break;
    case 322: // execveat(dirfd, path, argv, envp, flags)
        read_exec(e, tid, a1, ret);
        break;
    case 257: // openat(dirfd, path, …)
        read_str(e, 0, a1);
        break;
    case 165: // mount(source, target, fstype, …)
        read_str(e, 0, a0);
        read_str(e, 1, a1);
        read_str(e, 2, a2);
        break;
    case 166: // umount2(target, flags)
        read_str(e, 1, a0);
        break;
    case 42:  // connect(fd, addr, len)
    case 49: { // bind(fd, addr, len)
        __u64 len = a2;
        if (len > SS_SC_ADDR_LEN)
            len = SS_SC_ADDR_LEN;
        asm volatile("" : "+r"(len));
        if (len > 0 && len <= SS_SC_ADDR_LEN && bpf_probe_read_user(e->addr, len, (const void*)a1) == 0)
            e->addr_len = len;
        break;
    }
    }
    bpf_ringbuf_submit(e, ss_wakeup_flag(&ss_sc_events, sizeof(*e), SS_SC_WAKEUP_BYTES));
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
