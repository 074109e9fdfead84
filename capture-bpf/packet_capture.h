/* SPDX-License-Identifier: GPL-2.0-or-later
 * The kernel/user contract of the packet capture programs (packet_capture.bpf.c and the
 * helper that reads their ring buffer). Plain C, fixed-width types, no includes: clang
 * -target bpf and the host compiler both read it. */
#ifndef SS_PACKET_CAPTURE_H
#define SS_PACKET_CAPTURE_H

#define SS_MAX_SNAPLEN 262144     /* bytes copied per packet at most: tcpdump's and dumpcap's default */
#define SS_RINGBUF_BYTES (16u << 20)
#define SS_WAKEUP_BYTES (128u << 10) /* wake user space once this much is pending (see notes §3) */

enum ss_direction {
    SS_DIR_INGRESS = 1,
    SS_DIR_EGRESS = 2,
};

/* Who a packet belongs to, as far as the kernel knew when the packet passed. */
struct ss_owner_id {
    unsigned int tgid;
    unsigned int tid;
    unsigned long long cgroup_id;
    char comm[16];
    unsigned int uid;
    unsigned int pad;
};

/* How the owner of a packet was found (ss_packet_event.owner_source). */
enum ss_owner_source {
    SS_OWNER_NONE = 0,
    SS_OWNER_FLOW = 1,     /* the connection's owner, recorded when it sent or received */
    SS_OWNER_SOCKET = 2,   /* the creator of the packet's own socket (egress only) */
    SS_OWNER_LISTENER = 3, /* the listening or unconnected socket on the local port */
};

/* One captured packet in the ring buffer: this header, then `caplen` bytes. */
struct ss_packet_event {
    unsigned long long ts_ns;          /* bpf_ktime_get_ns(); user space adds the wall-clock offset */
    unsigned long long socket_cookie;  /* 0 when the skb has no socket */
    unsigned int ifindex;
    unsigned int len;                  /* skb->len */
    unsigned int caplen;
    unsigned int direction;            /* enum ss_direction */
    unsigned int owner_source;         /* enum ss_owner_source; owner is valid unless NONE */
    unsigned int pad;
    struct ss_owner_id owner;
};

/* Who owns a connection, recorded in process context (send/recv of the socket, listen())
 * and keyed by the connection as seen from its own end, so that both directions of a
 * packet flow are attributed to the local process: egress by (src, dst), ingress by
 * (dst, src). A listening or unconnected socket has a zero remote end (and a zero local
 * address when bound to any). `ss_sock_owners` keys the creator of a socket by its cookie
 * (cgroup/sock_create), so that a connection's first packets (the SYN) have an owner. */
struct ss_flow_key {
    unsigned char family;        /* AF_INET 2, AF_INET6 10 */
    unsigned char protocol;      /* IPPROTO_TCP 6, IPPROTO_UDP 17 */
    unsigned short local_port;   /* host byte order */
    unsigned short remote_port;  /* host byte order */
    unsigned short pad;
    unsigned int local_addr[4];  /* IPv4 in [0], network byte order */
    unsigned int remote_addr[4];
};

#define SS_ARGS_LEN 128

struct ss_owner {
    struct ss_owner_id id;
    /* The network namespace of the socket (net_cookie), and whether sockets of several
     * namespaces listen on this key: two pods both on 0.0.0.0:8080 share the wildcard key,
     * and such a key names nobody rather than the wrong pod. */
    unsigned long long netns_cookie;
    unsigned int shared;
    /* The start of the command line, NUL-separated, read from the process's memory when it
     * was recorded: short-lived processes are gone before user space can read /proc. */
    unsigned int args_len;
    char args[SS_ARGS_LEN];
};

#define SS_MAX_OWNERS 65536

/* Endpoints whose packets are never captured (`ss_excluded`, keyed like a listener in
 * `ss_owners`: the local end, remote zeroed, local address zero for any): the helper's own
 * TLS port, so that a remote client's stream does not feed on itself. */
#define SS_MAX_EXCLUDED 16

/* Per-CPU counters in the `ss_stats` array map, per interface: entry
 * ifindex * SS_STAT_COUNT + stat (interfaces with an index below SS_MAX_IFINDEX; others
 * share the last slot). */
enum ss_stat {
    SS_STAT_SEEN = 0,
    SS_STAT_RINGBUF_DROPS = 1,
    SS_STAT_COUNT = 2,
};
#define SS_MAX_IFINDEX 1024

#endif
