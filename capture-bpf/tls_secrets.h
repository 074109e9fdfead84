/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel/user contract of tls_secrets.bpf.c (issue 15): TLS secrets taken from OpenSSL 3's
 * libcrypto through its public API only — no struct offsets:
 *  - EVP_DigestUpdate(ctx, data, len): the handshake transcript. A ClientHello (type 1,
 *    legacy version 3.x) gives the transcript context its client random; any handshake
 *    message on a context with a random makes it the thread's current handshake.
 *  - EVP_KDF_derive(kctx, out, outlen, OSSL_PARAM params[]): TLS 1.3's key schedule
 *    ("tls13 " prefix, labels "c hs traffic", "s ap traffic", ...: the secret is `out`, read
 *    at return, its client random the thread's current handshake's) and TLS 1.2's key
 *    expansion (seeds "key expansion", server random, client random; param "secret" is the
 *    master secret). OSSL_PARAM's layout is OpenSSL 3's public ABI. */
#ifndef SS_TLS_SECRETS_H
#define SS_TLS_SECRETS_H

#define SS_TLS_MAX_SECRET 64
#define SS_TLS_RANDOM 32
#define SS_TLS_RINGBUF_BYTES (256 * 1024)

/* Which secret: the NSS key log label (tls_secrets.cpp names them). */
enum ss_tls_label {
    SS_TLS_MASTER = 1,          /* CLIENT_RANDOM (TLS 1.2 and older) */
    SS_TLS_CLIENT_HS = 2,       /* CLIENT_HANDSHAKE_TRAFFIC_SECRET  "c hs traffic" */
    SS_TLS_SERVER_HS = 3,       /* SERVER_HANDSHAKE_TRAFFIC_SECRET  "s hs traffic" */
    SS_TLS_CLIENT_AP = 4,       /* CLIENT_TRAFFIC_SECRET_0          "c ap traffic" */
    SS_TLS_SERVER_AP = 5,       /* SERVER_TRAFFIC_SECRET_0          "s ap traffic" */
    SS_TLS_EXPORTER = 6,        /* EXPORTER_SECRET                  "exp master" */
    SS_TLS_CLIENT_EARLY = 7,    /* CLIENT_EARLY_TRAFFIC_SECRET      "c e traffic" */
    SS_TLS_EARLY_EXPORTER = 8,  /* EARLY_EXPORTER_SECRET            "e exp master" */
    SS_TLS_EXEC = 255,          /* not a secret: process `pid` exec'd (its binary may be Go's) */
};

struct ss_tls_secret {
    unsigned long long ts_ns;      /* CLOCK_MONOTONIC */
    unsigned int pid;        /* tgid */
    unsigned int tid;
    unsigned char label;       /* enum ss_tls_label */
    unsigned char secret_len;  /* bytes of `secret` */
    unsigned char has_random;  /* 0: the handshake's ClientHello was not seen (no line can be made) */
    unsigned char pad[5];
    unsigned char random[SS_TLS_RANDOM];
    unsigned char secret[SS_TLS_MAX_SECRET];
};

#endif
