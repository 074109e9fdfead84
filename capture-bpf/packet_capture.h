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
    SS_STAT_UNCOUNTED = 2, /* not counted in ss_traffic: the map was full */
    SS_STAT_COUNT = 3,
};
#define SS_MAX_IFINDEX 1024

/* Always-on counting for the node's metrics (`stratoshark-helper --metrics`): the same
 * programs loaded with `ss_count_traffic` set and `ss_emit_packets` clear count every packet
 * in `ss_traffic` (per CPU) instead of copying it, by its owner's cgroup, interface,
 * direction and IP protocol, with the TCP segments that resend bytes already sent. */
struct ss_traffic_key {
    unsigned long long cgroup_id; /* the owner's cgroup; 0: no owner known */
    unsigned int ifindex;
    unsigned char direction;      /* enum ss_direction */
    unsigned char protocol;       /* IP protocol number (IPv6: the first next header); 0: not IP */
    unsigned short pad;
};
struct ss_traffic_value {
    unsigned long long packets;
    unsigned long long bytes;           /* skb->len: the frame as captured, Ethernet header included */
    unsigned long long retransmissions; /* TCP segments starting below the highest sequence sent */
};
#define SS_MAX_TRAFFIC_KEYS 16384

/* The TCP retransmission tracker (`ss_tcp_seq`, LRU): per sender of a connection, the end of
 * the highest sequence it has sent. A segment with data (or SYN/FIN) that starts below it is
 * a retransmission, as tshark's tcp.analysis.retransmission says, except a keep-alive (one
 * byte, or none, just below it) and what tshark calls out of order instead: a segment within
 * the connection's first round trip (SYN to the handshake's ACK; 3 ms when unseen) of the one that last
 * advanced the sequence, unless it is a fast retransmission (below). A connection is followed on the first interface it was seen on: a
 * packet crossing the node (a pod's veth, then the uplink) is not counted twice. */
struct ss_seq_key {
    struct ss_flow_key flow;      /* local = the sender */
};
struct ss_seq_state {
    unsigned int next;            /* the highest sequence sent + its length */
    unsigned int isn;             /* the SYN's sequence: a SYN with another one starts afresh */
    unsigned int ifindex;         /* where it is followed */
    unsigned int first_rtt_ns;    /* SYN to the handshake's ACK; 0: not seen */
    unsigned long long advanced_ns; /* when `next` last moved (the SYN's time at first) */
    /* This sender's acknowledgements: a segment resent at the acknowledgement the other end
     * repeats (two duplicates or more, within 20 ms of the last) is a fast retransmission,
     * which tshark counts as a retransmission however soon it comes. */
    unsigned int last_ack;
    unsigned short window;
    unsigned short dup_acks;
    unsigned long long dup_ack_ns;
};
#define SS_MAX_SEQ_FLOWS 65536

/* Packets the kernel dropped (`skb:kfree_skb`), by drop reason (enum skb_drop_reason) and
 * the cgroup of the socket they were for or from (0: none). */
struct ss_drop_key {
    unsigned long long cgroup_id;
    unsigned int reason;
    unsigned int pad;
};
#define SS_MAX_DROP_KEYS 4096

#endif
