// SPDX-License-Identifier: GPL-2.0-only
// TLS secrets from OpenSSL 3's libcrypto by uprobes on its public API (tls_secrets.h says
// what each probe reads and why no struct offsets are needed). libbpf 1.1 has no BPF_UPROBE:
// BPF_KPROBE reads the same registers.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "meta_filter.bpf.h"
#include "tls_secrets.h"

char LICENSE[] SEC("license") = "GPL";

struct random {
    __u8 bytes[SS_TLS_RANDOM];
};

// Transcript context → its ClientHello's random.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, struct random);
} ss_tls_randoms SEC(".maps");

// Thread → the transcript context it last fed a handshake message.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32);
    __type(value, __u64);
} ss_tls_current SEC(".maps");

// Thread → the TLS 1.3 secret being derived (read at return).
struct pending {
    __u64 out;
    __u32 outlen;
    __u8 label;
    __u8 has_random;
    __u8 random[SS_TLS_RANDOM];
};
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32);
    __type(value, struct pending);
} ss_tls_pending SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, SS_TLS_RINGBUF_BYTES);
} ss_tls_events SEC(".maps");

// OpenSSL 3's OSSL_PARAM (include/openssl/core.h), 40 bytes on 64-bit.
struct ossl_param {
    __u64 key;
    __u32 data_type;
    __u32 pad;
    __u64 data;
    __u64 data_size;
    __u64 return_size;
};

SEC("uprobe")
int BPF_KPROBE(ss_tls_digest_update, void* mdctx, const void* data, __u64 len)
{
    __u8 h[6];
    if (len < 4 || !data || bpf_probe_read_user(h, sizeof h, data))
        return 0;
    if (!ss_meta_keep_current()) // --ebpf-filter: only the processes it selects
        return 0;
    const __u32 body = (__u32)h[1] << 16 | (__u32)h[2] << 8 | h[3];
    if (body > len - 4)
        return 0;
    __u64 key = (__u64)mdctx;
    const __u32 tid = (__u32)bpf_get_current_pid_tgid();
    if (h[0] == 1) { // ClientHello: legacy_version 3.x, then the random
        if (len < 38 || h[4] != 3)
            return 0;
        struct random r;
        if (bpf_probe_read_user(r.bytes, sizeof r.bytes, (const __u8*)data + 6))
            return 0;
        bpf_map_update_elem(&ss_tls_randoms, &key, &r, BPF_ANY);
    } else if (!bpf_map_lookup_elem(&ss_tls_randoms, &key)) {
        return 0; // not a transcript we know
    }
    bpf_map_update_elem(&ss_tls_current, &tid, &key, BPF_ANY);
    return 0;
}

// The first bytes of a C string in user memory, as a number (to compare with a literal).
static __always_inline __u64 word8(__u64 p)
{
    __u64 w = 0;
    bpf_probe_read_user(&w, sizeof w, (const void*)p);
    return w;
}

#define W8(a, b, c, d, e, f, g, h)                                                                 \
    ((__u64)(a) | (__u64)(b) << 8 | (__u64)(c) << 16 | (__u64)(d) << 24 | (__u64)(e) << 32 |      \
     (__u64)(f) << 40 | (__u64)(g) << 48 | (__u64)(h) << 56)

static __always_inline __u8 tls13Label(const __u8* l, __u64 n)
{
    // "c hs traffic" "s hs traffic" "c ap traffic" "s ap traffic" (12), "exp master" (10),
    // "c e traffic" (11), "e exp master" (12)
    if (n == 12 && l[2] == 'h' && l[3] == 's' && l[5] == 't')
        return l[0] == 'c' ? SS_TLS_CLIENT_HS : l[0] == 's' ? SS_TLS_SERVER_HS : 0;
    if (n == 12 && l[2] == 'a' && l[3] == 'p' && l[5] == 't')
        return l[0] == 'c' ? SS_TLS_CLIENT_AP : l[0] == 's' ? SS_TLS_SERVER_AP : 0;
    if (n == 10 && l[0] == 'e' && l[1] == 'x' && l[2] == 'p' && l[4] == 'm')
        return SS_TLS_EXPORTER;
    if (n == 11 && l[0] == 'c' && l[2] == 'e' && l[4] == 't')
        return SS_TLS_CLIENT_EARLY;
    if (n == 12 && l[0] == 'e' && l[2] == 'e' && l[3] == 'x' && l[6] == 'm')
        return SS_TLS_EARLY_EXPORTER;
    return 0;
}

// What the parameters of one EVP_KDF_derive call said (per CPU: kept off the stack and out of
// the verifier's tracked state, which a loop over flags would multiply).
struct kdf_scratch {
    __u64 labelLen;
    __u32 tls13, seeds, keyExpansion, haveSecret, haveRandom;
    __u8 label[16];
    __u8 random[SS_TLS_RANDOM];
    __u8 secret[48];
};
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct kdf_scratch);
} ss_tls_scratch SEC(".maps");

SEC("uprobe")
int BPF_KPROBE(ss_tls_kdf_derive, void* kctx, __u8* out, __u64 outlen, const struct ossl_param* params)
{
    if (!params || !out || outlen == 0 || !ss_meta_keep_current())
        return 0;
    const __u32 zero = 0;
    struct kdf_scratch* sc = bpf_map_lookup_elem(&ss_tls_scratch, &zero);
    if (!sc)
        return 0;
    __builtin_memset(sc, 0, sizeof *sc);
    for (int i = 0; i < 10; ++i) {
        struct ossl_param p;
        if (bpf_probe_read_user(&p, sizeof p, &params[i]) || !p.key)
            break;
        const __u64 k = word8(p.key);
        if ((k & 0xffffffffffffull) == W8('l', 'a', 'b', 'e', 'l', 0, 0, 0)) {
            if (p.data_size < sizeof sc->label) {
                sc->labelLen = p.data_size;
                bpf_probe_read_user(sc->label, p.data_size & (sizeof sc->label - 1), (const void*)p.data);
            }
        } else if ((k & 0xffffffffffffffull) == W8('p', 'r', 'e', 'f', 'i', 'x', 0, 0)) {
            sc->tls13 = p.data_size == 6 && (word8(p.data) & 0xffffffffffffull) == W8('t', 'l', 's', '1', '3', ' ', 0, 0);
        } else if ((k & 0xffffffffffull) == W8('s', 'e', 'e', 'd', 0, 0, 0, 0)) {
            sc->seeds++;
            if (sc->seeds == 1 && p.data_size == 13)
                sc->keyExpansion = word8(p.data) == W8('k', 'e', 'y', ' ', 'e', 'x', 'p', 'a');
            if (sc->seeds == 3 && p.data_size == SS_TLS_RANDOM)
                sc->haveRandom = !bpf_probe_read_user(sc->random, sizeof sc->random, (const void*)p.data);
        } else if ((k & 0xffffffffffffffull) == W8('s', 'e', 'c', 'r', 'e', 't', 0, 0)) {
            if (p.data_size == 48)
                sc->haveSecret = !bpf_probe_read_user(sc->secret, sizeof sc->secret, (const void*)p.data);
        }
    }
    const __u64 id = bpf_get_current_pid_tgid();
    const __u32 tid = (__u32)id;
    if (sc->keyExpansion && sc->haveSecret && sc->haveRandom) { // TLS 1.2: the master secret, now
        struct ss_tls_secret* ev = bpf_ringbuf_reserve(&ss_tls_events, sizeof *ev, 0);
        if (!ev)
            return 0;
        __builtin_memset(ev, 0, sizeof *ev);
        ev->ts_ns = bpf_ktime_get_ns();
        ev->pid = id >> 32;
        ev->tid = tid;
        ev->label = SS_TLS_MASTER;
        ev->secret_len = 48;
        ev->has_random = 1;
        __builtin_memcpy(ev->random, sc->random, sizeof sc->random);
        __builtin_memcpy(ev->secret, sc->secret, sizeof sc->secret);
        bpf_ringbuf_submit(ev, 0);
        return 0;
    }
    if (!sc->tls13 || outlen > SS_TLS_MAX_SECRET) // a TLS 1.3 secret is one hash long
        return 0;
    const __u8 which = tls13Label(sc->label, sc->labelLen);
    if (!which)
        return 0;
    struct pending pend = {.out = (__u64)out, .outlen = (__u32)outlen, .label = which};
    const __u64* transcript = bpf_map_lookup_elem(&ss_tls_current, &tid);
    if (transcript) {
        const struct random* r = bpf_map_lookup_elem(&ss_tls_randoms, transcript);
        if (r) {
            __builtin_memcpy(pend.random, r->bytes, SS_TLS_RANDOM);
            pend.has_random = 1;
        }
    }
    bpf_map_update_elem(&ss_tls_pending, &tid, &pend, BPF_ANY);
    return 0;
}

// Go's key log labels are the NSS ones: by length and a letter.
static __always_inline __u8 goLabel(const char* l, __u64 n)
{
    if (n == 13 && l[0] == 'C' && l[7] == 'R')
        return SS_TLS_MASTER; // CLIENT_RANDOM
    if (n == 31 && l[7] == 'H')
        return l[0] == 'C' ? SS_TLS_CLIENT_HS : l[0] == 'S' ? SS_TLS_SERVER_HS : 0;
    if (n == 23 && l[7] == 'T')
        return l[0] == 'C' ? SS_TLS_CLIENT_AP : l[0] == 'S' ? SS_TLS_SERVER_AP : 0;
    if (n == 15 && l[0] == 'E' && l[1] == 'X')
        return SS_TLS_EXPORTER;
    if (n == 27 && l[0] == 'C' && l[7] == 'E')
        return SS_TLS_CLIENT_EARLY;
    return 0;
}

SEC("uprobe")
int ss_tls_go_keylog(struct pt_regs* ctx)
{
    const __u64 labelPtr = ctx->bx, labelLen = ctx->cx;
    const __u64 randomPtr = ctx->di, randomLen = ctx->si;
    const __u64 secretPtr = ctx->r9, secretLen = ctx->r10;
    if (labelLen == 0 || labelLen > 31 || randomLen != SS_TLS_RANDOM || secretLen == 0 ||
        secretLen > SS_TLS_MAX_SECRET || !ss_meta_keep_current())
        return 0;
    char label[32] = {};
    if (bpf_probe_read_user(label, labelLen & 31, (const void*)labelPtr))
        return 0;
    const __u8 which = goLabel(label, labelLen);
    if (!which)
        return 0;
    struct ss_tls_secret* ev = bpf_ringbuf_reserve(&ss_tls_events, sizeof *ev, 0);
    if (!ev)
        return 0;
    __builtin_memset(ev, 0, sizeof *ev);
    const __u64 id = bpf_get_current_pid_tgid();
    ev->ts_ns = bpf_ktime_get_ns();
    ev->pid = id >> 32;
    ev->tid = (__u32)id;
    ev->label = which;
    ev->has_random = !bpf_probe_read_user(ev->random, SS_TLS_RANDOM, (const void*)randomPtr);
    __u32 n = (__u32)secretLen;
    if (n > SS_TLS_MAX_SECRET)
        n = SS_TLS_MAX_SECRET;
    ev->secret_len = bpf_probe_read_user(ev->secret, n, (const void*)secretPtr) ? 0 : (__u8)n;
    bpf_ringbuf_submit(ev, 0);
    return 0;
}

// A selected process started: user space looks at its binary (tls_secrets_probe.cpp).
SEC("tp_btf/sched_process_exec")
int BPF_PROG(ss_tls_exec, struct task_struct* task, pid_t old_pid, struct linux_binprm* bprm)
{
    if (!ss_meta_keep_current())
        return 0;
    struct ss_tls_secret* ev = bpf_ringbuf_reserve(&ss_tls_events, sizeof *ev, 0);
    if (!ev)
        return 0;
    __builtin_memset(ev, 0, sizeof *ev);
    ev->ts_ns = bpf_ktime_get_ns();
    ev->pid = bpf_get_current_pid_tgid() >> 32;
    ev->label = SS_TLS_EXEC;
    bpf_ringbuf_submit(ev, 0);
    return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ss_tls_kdf_derive_ret, int ret)
{
    const __u64 id = bpf_get_current_pid_tgid();
    const __u32 tid = (__u32)id;
    struct pending* pend = bpf_map_lookup_elem(&ss_tls_pending, &tid);
    if (!pend)
        return 0;
    if (ret > 0) { // EVP_KDF_derive: 1 on success
        struct ss_tls_secret* ev = bpf_ringbuf_reserve(&ss_tls_events, sizeof *ev, 0);
        if (ev) {
            __builtin_memset(ev, 0, sizeof *ev);
            ev->ts_ns = bpf_ktime_get_ns();
            ev->pid = id >> 32;
            ev->tid = tid;
            ev->label = pend->label;
            __u32 n = pend->outlen;
            if (n > SS_TLS_MAX_SECRET)
                n = SS_TLS_MAX_SECRET;
            ev->secret_len = (__u8)n;
            ev->has_random = pend->has_random;
            __builtin_memcpy(ev->random, pend->random, SS_TLS_RANDOM);
            if (bpf_probe_read_user(ev->secret, n, (const void*)pend->out))
                ev->secret_len = 0;
            bpf_ringbuf_submit(ev, 0);
        }
    }
    bpf_map_delete_elem(&ss_tls_pending, &tid);
    return 0;
}
