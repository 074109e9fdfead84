/* SPDX-License-Identifier: GPL-2.0-or-later
 * The kernel/user contract of the syscall capture programs (syscall_capture.bpf.c and the
 * helper). Plain C, fixed-width types, no includes. */
#ifndef SS_SYSCALL_CAPTURE_H
#define SS_SYSCALL_CAPTURE_H

#define SS_SC_MAX_NR 512          /* x86-64 syscall numbers are below this */
#define SS_SC_STR_LEN 128         /* bytes kept of each path argument */
#define SS_SC_STRINGS 3           /* path arguments kept (mount: source, target, fstype) */
#define SS_SC_ADDR_LEN 112        /* bytes kept of a struct sockaddr (sockaddr_un is 110) */
#define SS_SC_RINGBUF_BYTES (16u << 20)
#define SS_SC_WAKEUP_BYTES (128u << 10)

/* One completed system call, emitted at its exit. */
struct ss_syscall_event {
    unsigned long long enter_ns;   /* bpf_ktime_get_ns() at entry */
    unsigned long long latency_ns;
    unsigned long long cgroup_id;
    unsigned long long args[6];
    long long ret;
    unsigned int tgid;
    unsigned int tid;
    unsigned int cpu;
    unsigned int nr;
    unsigned int uid;
    unsigned int pad;
    unsigned short str_len[SS_SC_STRINGS]; /* 0: not read */
    unsigned short addr_len;
    char comm[16];
    char str[SS_SC_STRINGS][SS_SC_STR_LEN];
    unsigned char addr[SS_SC_ADDR_LEN];
};

#endif
