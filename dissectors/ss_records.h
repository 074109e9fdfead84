/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The wire contract of Stratoshark's own pcapng records (docs/FORMAT.md, version 1).
 * Plain C, fixed-width types, no other include: the writer, the importers, the eBPF capture
 * helper and the dissectors (built into stratoshark and as a plugin for stock Wireshark)
 * all include this one header.
 *
 * A record is the packet data of an Enhanced Packet Block on an interface whose link type
 * is one of the LINKTYPE_USER values below. All integers are little-endian.
 *
 *   offset 0  u32 magic      SS_RECORD_MAGIC ("SSRC" in the file)
 *          4  u16 version    SS_RECORD_VERSION
 *          6  u16 kind       enum ss_record_kind
 *          8  u32 length     bytes of TLVs that follow the 12-byte header
 *         12  TLVs           { u16 tag, u16 length, length bytes of value }, no padding
 *
 * Strings are UTF-8 without a terminator. Integer TLVs are 4 or 8 bytes (see each tag).
 * Readers skip tags they do not know; a TLV whose length runs past the record is malformed.
 */
#ifndef SS_RECORDS_H
#define SS_RECORDS_H

#include <stdint.h>

#define SS_RECORD_MAGIC 0x43525353u /* bytes "SSRC" */
#define SS_RECORD_VERSION 1
#define SS_RECORD_HEADER_LEN 12
/* A whole record fits in what wiretap reads back (WTAP_MAX_PACKET_SIZE_STANDARD): writers cut
 * or leave out values past it and say how many with SS_TAG_TRUNCATED. */
#define SS_RECORD_MAX_LEN 262144
#define SS_TLV_HEADER_LEN 4

/* pcapng link types (LINKTYPE_USERn, registered for private use). */
#define SS_LINKTYPE_SYSCALL 148  /* LINKTYPE_USER1 */
#define SS_LINKTYPE_FLOW 149     /* LINKTYPE_USER2: Cilium/Hubble flows */
#define SS_LINKTYPE_SECURITY 150 /* LINKTYPE_USER3: Falco alerts, Tetragon events */

/* LINKTYPE_USERn are anyone's: our interfaces say they are ours with this prefix on their
 * if_description ("stratoshark:syscalls"). The dissectors take a frame on a USERn link type
 * only when its interface says so (or, for files written before the mark, when the record
 * starts with SS_RECORD_MAGIC and SS_RECORD_VERSION); other frames go to Wireshark's own
 * DLT_USER handling. */
#define SS_RECORD_IDB_PREFIX "stratoshark:"

enum ss_record_kind {
    SS_KIND_SYSCALL = 1,
    SS_KIND_FLOW = 2,
    SS_KIND_FALCO = 3,
    SS_KIND_TETRAGON = 4,
};

/* Process, container and pod: shared by every kind (and by packet comments' keys). */
enum ss_tag_process {
    SS_TAG_PID = 0x0001,            /* u32 */
    SS_TAG_TID = 0x0002,            /* u32 */
    SS_TAG_COMM = 0x0003,           /* string: process name */
    SS_TAG_EXE = 0x0004,            /* string: executable path */
    SS_TAG_CMDLINE = 0x0005,        /* string */
    SS_TAG_PPID = 0x0006,           /* u32 */
    SS_TAG_PCOMM = 0x0007,          /* string: parent name */
    SS_TAG_UID = 0x0008,            /* u32 */
    SS_TAG_CGROUP_ID = 0x0009,      /* u64 */
    SS_TAG_CONTAINER_ID = 0x000A,   /* string */
    SS_TAG_CONTAINER_NAME = 0x000B, /* string */
    SS_TAG_CONTAINER_IMAGE = 0x000C,/* string */
    SS_TAG_POD = 0x000D,            /* string */
    SS_TAG_NAMESPACE = 0x000E,      /* string */
    SS_TAG_POD_UID = 0x000F,        /* string */
    SS_TAG_POD_LABELS = 0x0010,     /* string: "k=v,k=v" */
    SS_TAG_NODE = 0x0011,           /* string */
    SS_TAG_TRUNCATED = 0x00FE,      /* u32: values cut or left out to keep the record within SS_RECORD_MAX_LEN */
    SS_TAG_JSON = 0x00FF,           /* string: the source event as it was imported */
};

/* SS_KIND_SYSCALL */
enum ss_tag_syscall {
    SS_TAG_SC_CPU = 0x0100,      /* u32 */
    SS_TAG_SC_NR = 0x0101,       /* u32: x86-64 syscall number */
    SS_TAG_SC_NAME = 0x0102,     /* string */
    SS_TAG_SC_ARG0 = 0x0110,     /* u64; ARG1..ARG5 follow (0x0111..0x0115) */
    SS_TAG_SC_RET = 0x0120,      /* u64 holding a signed value */
    SS_TAG_SC_ERRNO = 0x0121,    /* u32, 0 when the call succeeded */
    SS_TAG_SC_LATENCY = 0x0122,  /* u64 nanoseconds */
    SS_TAG_SC_FD = 0x0130,       /* u64 signed: the fd argument */
    SS_TAG_SC_PATH = 0x0131,     /* string: path argument (openat, execve, mount source) */
    SS_TAG_SC_PATH2 = 0x0132,    /* string: second path (mount target) */
    SS_TAG_SC_FSTYPE = 0x0133,   /* string: mount file system type */
    SS_TAG_SC_ADDR = 0x0134,     /* string: decoded socket address "ip:port" or "/path" */
    SS_TAG_SC_FLAGS = 0x0135,    /* string: decoded flags ("O_RDONLY|O_CLOEXEC") */
    SS_TAG_SC_SIZE = 0x0136,     /* u64: byte count (read/write/sendto/recvfrom) */
    SS_TAG_SC_TARGET_PID = 0x0137, /* u32: kill/ptrace/setns target */
    SS_TAG_SC_SIGNAL = 0x0138,   /* u32 */
};

/* SS_KIND_FLOW (Hubble flow) */
enum ss_tag_flow {
    SS_TAG_FL_UUID = 0x0200,
    SS_TAG_FL_VERDICT = 0x0201,        /* string: FORWARDED, DROPPED, ... */
    SS_TAG_FL_DROP_REASON = 0x0202,    /* string */
    SS_TAG_FL_DIRECTION = 0x0203,      /* string: INGRESS, EGRESS */
    SS_TAG_FL_SRC_IDENTITY = 0x0204,   /* u32 */
    SS_TAG_FL_DST_IDENTITY = 0x0205,   /* u32 */
    SS_TAG_FL_SRC_POD = 0x0206,
    SS_TAG_FL_SRC_NAMESPACE = 0x0207,
    SS_TAG_FL_DST_POD = 0x0208,
    SS_TAG_FL_DST_NAMESPACE = 0x0209,
    SS_TAG_FL_SRC_LABELS = 0x020A,
    SS_TAG_FL_DST_LABELS = 0x020B,
    SS_TAG_FL_SRC_WORKLOAD = 0x020C,
    SS_TAG_FL_DST_WORKLOAD = 0x020D,
    SS_TAG_FL_SRC_IP = 0x020E,
    SS_TAG_FL_DST_IP = 0x020F,
    SS_TAG_FL_L4 = 0x0210,             /* string: TCP, UDP, ICMPv4, ICMPv6 */
    SS_TAG_FL_SRC_PORT = 0x0211,       /* u32 */
    SS_TAG_FL_DST_PORT = 0x0212,       /* u32 */
    SS_TAG_FL_TCP_FLAGS = 0x0213,      /* string: "SYN,ACK" */
    SS_TAG_FL_L7_TYPE = 0x0214,        /* string: HTTP, DNS, ... */
    SS_TAG_FL_HTTP_METHOD = 0x0215,
    SS_TAG_FL_HTTP_URL = 0x0216,
    SS_TAG_FL_HTTP_CODE = 0x0217,      /* u32 */
    SS_TAG_FL_LATENCY = 0x0218,        /* u64 ns */
    SS_TAG_FL_DNS_QUERY = 0x0219,
    SS_TAG_FL_DNS_RCODE = 0x021A,      /* u32 */
    SS_TAG_FL_EGRESS_DENIED_BY = 0x021B,
    SS_TAG_FL_INGRESS_DENIED_BY = 0x021C,
    SS_TAG_FL_TYPE = 0x021D,           /* string: L3_L4, L7 */
    SS_TAG_FL_SUMMARY = 0x021E,
};

/* SS_KIND_FALCO and SS_KIND_TETRAGON (security events) */
enum ss_tag_security {
    SS_TAG_SE_RULE = 0x0300,       /* Falco rule */
    SS_TAG_SE_PRIORITY = 0x0301,   /* Falco priority: Emergency … Debug */
    SS_TAG_SE_OUTPUT = 0x0302,
    SS_TAG_SE_TAGS = 0x0303,       /* "a,b,c" */
    SS_TAG_SE_SOURCE = 0x0304,     /* Falco source: syscall, k8s_audit, ... */
    SS_TAG_SE_HOSTNAME = 0x0305,
    SS_TAG_SE_FIELD = 0x0306,      /* "name=value", one TLV per output field */
    SS_TAG_SE_EVENT = 0x0310,      /* Tetragon type: process_exec, process_exit, process_kprobe */
    SS_TAG_SE_BINARY = 0x0311,
    SS_TAG_SE_ARGUMENTS = 0x0312,
    SS_TAG_SE_PARENT_BINARY = 0x0313,
    SS_TAG_SE_FUNCTION = 0x0314,   /* kprobe function */
    SS_TAG_SE_EXIT_STATUS = 0x0315,/* u32 */
    SS_TAG_SE_SIGNAL = 0x0316,     /* string */
    SS_TAG_SE_KPROBE_ARG = 0x0317, /* string, one TLV per argument */
};

#endif /* SS_RECORDS_H */
