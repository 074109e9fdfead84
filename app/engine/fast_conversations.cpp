// SPDX-License-Identifier: GPL-2.0-or-later
#include "fast_conversations.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <system_error>
#include <thread>

#include "capture_file.h"
#include "capture_scan.h"
#include "conversation_tap.h"
#include "port_judge.h"

namespace ss {
namespace {

using fast::TableKind;

std::optional<TableKind> tableOf(const std::string& name)
{
    static const struct {
        const char* name;
        TableKind kind;
    } kTables[] = {{"eth", TableKind::Eth}, {"ip", TableKind::Ip}, {"ipv6", TableKind::Ipv6},
                   {"tcp", TableKind::Tcp}, {"udp", TableKind::Udp}};
    for (const auto& t : kTables)
        if (name == t.name)
            return t.kind;
    return std::nullopt;
}

// Filter field names for "Apply as Filter" on a row, as epan's own tables give them.
const char* addressField(const address& a, conv_filter_type_e f)
{
    const bool v6 = a.type == AT_IPv6;
    if (a.type == AT_ETHER)
        return f == CONV_FT_SRC_ADDRESS ? "eth.src" : f == CONV_FT_DST_ADDRESS ? "eth.dst" : "eth.addr";
    if (f == CONV_FT_SRC_ADDRESS)
        return v6 ? "ipv6.src" : "ip.src";
    if (f == CONV_FT_DST_ADDRESS)
        return v6 ? "ipv6.dst" : "ip.dst";
    return v6 ? "ipv6.addr" : "ip.addr";
}

const address& addressOf(const conv_item_t* item) { return item->src_address; }
const address& addressOf(const endpoint_item_t* item) { return item->myaddress; }

// A row's filter field for one part of it: the port fields given, the address ones by type.
template <typename Item, const char* Src, const char* Dst, const char* Any>
const char* filterField(Item* item, conv_filter_type_e f)
{
    switch (f) {
    case CONV_FT_SRC_PORT:
        return Src;
    case CONV_FT_DST_PORT:
        return Dst;
    case CONV_FT_ANY_PORT:
        return Any;
    default:
        return addressField(addressOf(item), f);
    }
}

constexpr char kTcpSrc[] = "tcp.srcport", kTcpDst[] = "tcp.dstport", kTcpAny[] = "tcp.port";
constexpr char kUdpSrc[] = "udp.srcport", kUdpDst[] = "udp.dstport", kUdpAny[] = "udp.port";
constexpr char kNone[] = CONV_FILTER_INVALID;
ct_dissector_info_t kAddrConv{&filterField<conv_item_t, kNone, kNone, kNone>};
ct_dissector_info_t kTcpConv{&filterField<conv_item_t, kTcpSrc, kTcpDst, kTcpAny>};
ct_dissector_info_t kUdpConv{&filterField<conv_item_t, kUdpSrc, kUdpDst, kUdpAny>};
et_dissector_info_t kAddrEndpoint{&filterField<endpoint_item_t, kNone, kNone, kNone>};
et_dissector_info_t kTcpEndpoint{&filterField<endpoint_item_t, kTcpSrc, kTcpDst, kTcpAny>};
et_dissector_info_t kUdpEndpoint{&filterField<endpoint_item_t, kUdpSrc, kUdpDst, kUdpAny>};

// The heuristic dissectors of TCP and UDP that epan 4.0.17 enables by default, by protocol
// (`tshark -G heuristic-decodes`). None finds Ethernet or IP inside except those the row count checks
// payloads for (conversation_rows.cpp: peekremote, rftap, e100, redbackli, rpcap; openflow
// on its own ports). A profile that enables any other heuristic (Teredo, RTP, ...) sends the
// file to epan.
constexpr std::string_view kDefaultUdpHeuristics[] = {
    "adwin_config", "applemidi", "ar_drone", "artnet", "asphodel", "bt-dht", "caneth", "cigi", "classicstun",
    "clique-rm", "dcc", "dcerpc", "dcp-etsi", "dns", "dplay", "dtls", "e100", "fortinet_sso", "giop", "goose", "gquic",
    "icep", "interlink", "json", "jxta", "lanforge", "lbmr", "lbtrm", "lbtru", "lsd", "miop", "mojito", "mp2t",
    "netperfmeter", "njack", "ocp1", "pana", "pathport", "peekremote", "pktgen", "proxy", "quic", "raknet",
    "redbackli", "reload", "reload-framing", "rftap", "rlm", "rpc", "rpcap", "rtcp", "rtps", "shicp", "sip", "sprt",
    "srt", "stun", "t38", "tftp", "thrift", "udt", "waveagent", "wg", "wol"};
constexpr std::string_view kDefaultTcpHeuristics[] = {
    "adwin_config", "bitcoin", "bittorrent", "ceph", "cimd", "classicstun", "ctdb", "dcerpc", "dicom", "dplay", "drda",
    "etch", "fb_zero", "fcip", "fix", "fmtp", "giop", "h1", "hl7", "http", "icep", "ifcp", "iscsi", "iwarp_mpa", "jxta",
    "lanforge", "lbmpdm_tcp", "lbmsrs", "lbttcp", "mq", "msrp", "nbd", "ndmp", "netperfmeter", "ocp1", "openflow",
    "openwire", "paltalk", "proxy", "pvfs", "q931", "reload", "reload-framing", "rpc", "rpcap", "rtitcp", "rtps", "sip",
    "smc", "smpp", "spice", "starteam", "stun", "tali", "tcpencap", "tds", "thrift", "tls", "tuxedo", "ucp", "vnc",
    "xcsl", "xmcp", "yhoo", "ymsg", "ziop"};

// The first heuristic enabled on `table` that is not among epan's defaults, or empty.
std::string extraHeuristic(const char* table)
{
    struct Search {
        bool udp;
        std::string found;
    } search{std::strcmp(table, "udp") == 0, {}};
    heur_dissector_table_foreach(
        table,
        [](const gchar*, heur_dtbl_entry_t* entry, gpointer data) {
            auto* s = static_cast<Search*>(data);
            if (!entry->enabled || !s->found.empty() || !entry->protocol)
                return;
            const char* filterName = proto_get_protocol_filter_name(proto_get_id(entry->protocol));
            if (!filterName)
                return;
            const std::string_view name(filterName); // as `tshark -G heuristic-decodes` names it
            bool known = false;
            if (s->udp) {
                for (const auto& n : kDefaultUdpHeuristics)
                    known = known || n == name;
            } else {
                for (const auto& n : kDefaultTcpHeuristics)
                    known = known || n == name;
            }
            if (!known)
                s->found = std::string(name);
        },
        &search);
    return search.found;
}

// A protocol the profile (or --disable-protocol) turned off changes what epan counts.
const char* disabledProtocol()
{
    static const char* const kNeeded[] = {"eth", "vlan", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp"};
    for (const char* name : kNeeded) {
        const int id = proto_get_id_by_filter_name(name);
        if (id < 0 || !proto_is_protocol_enabled(find_protocol_by_id(id)))
            return name;
    }
    return nullptr;
}

} // namespace

namespace {

// Counts frames into the rows: times relative to the first frame, as epan's rel_ts. With
// `parts` > 1, only the frames of part `part` (ConversationRows::partKey), though every
// frame is walked (a refusal is the same in every part).
class Counter {
public:
    explicit Counter(const std::vector<fast::TableRequest>& requests, std::uint32_t part = 0, std::uint32_t parts = 1)
        : rows_(std::make_unique<fast::ConversationRows>(requests)), part_(part), parts_(parts)
    {
    }
    const char* frame(fast::LinkType link, const std::uint8_t* data, std::uint32_t captured, std::uint32_t length,
                      const nstime_t& abs)
    {
        ++frames_;
        if (const char* why = fast::walkFrame(link, data, captured, length, headers_))
            return why;
        if (!haveFirst_) {
            first_ = abs;
            haveFirst_ = true;
        }
        if (parts_ > 1 && fast::ConversationRows::partKey(headers_) % parts_ != part_)
            return nullptr;
        nstime_t rel;
        nstime_delta(&rel, &abs, &first_);
        rows_->add(headers_, frames_, length, rel, abs);
        return nullptr;
    }
    // The rows, finished unless they are a part still to be merged.
    std::unique_ptr<fast::ConversationRows> take(bool finish = true)
    {
        if (finish)
            rows_->finish();
        return std::move(rows_);
    }

private:
    std::unique_ptr<fast::ConversationRows> rows_;
    fast::FrameHeaders headers_;
    nstime_t first_{};
    bool haveFirst_ = false;
    std::uint64_t frames_ = 0;
    std::uint32_t part_, parts_;
};

address_type addressType(int bytes)
{
    return bytes == 6 ? AT_ETHER : bytes == 16 ? AT_IPv6 : AT_IPv4;
}

// One table's rows into epan's: each row made by epan's own function (its key, its copy
// of the addresses, its order), then given the counts and times of the whole file.
bool copyRows(const fast::RowTable& t, ConversationTap& tap)
{
    conv_hash_t* hash = tap.hash();
    const TableKind k = t.request.table;
    const bool ports = k == TableKind::Tcp || k == TableKind::Udp;
    auto appended = [hash](guint before) { return hash->conv_array && hash->conv_array->len == before + 1; };
    if (!t.request.endpoints) {
        const FastTableTypes types = fastTableTypes(k);
        ct_dissector_info_t* info = types.convInfo;
        const conversation_type ctype = types.ctype;
        for (const auto& r : t.conversations) {
            address src, dst;
            set_address(&src, addressType(r.addressBytes), r.addressBytes, r.src.data());
            set_address(&dst, addressType(r.addressBytes), r.addressBytes, r.dst.data());
            nstime_t start = r.start, abs = r.startAbs;
            const guint before = hash->conv_array ? hash->conv_array->len : 0;
            if (ports)
                add_conversation_table_data_with_conv_id(hash, &src, &dst, r.srcPort, r.dstPort, conv_id_t(r.stream),
                                                         0, 0, &start, &abs, info, ctype);
            else
                add_conversation_table_data(hash, &src, &dst, 0, 0, 0, 0, &start, &abs, info, ctype);
            if (!appended(before))
                return false;
            conv_item_t& item = g_array_index(hash->conv_array, conv_item_t, before);
            item.tx_frames = item.tx_frames_total = r.txFrames;
            item.rx_frames = item.rx_frames_total = r.rxFrames;
            item.tx_bytes = item.tx_bytes_total = r.txBytes;
            item.rx_bytes = item.rx_bytes_total = r.rxBytes;
            item.start_time = r.start;
            item.stop_time = r.stop;
            item.start_abs_time = r.startAbs;
            item.filtered = FALSE;
        }
        return true;
    }
    const FastTableTypes types = fastTableTypes(k);
    et_dissector_info_t* info = types.endpointInfo;
    const endpoint_type etype = types.etype;
    for (const auto& r : t.endpoints) {
        address a;
        set_address(&a, addressType(r.addressBytes), r.addressBytes, r.address.data());
        const guint before = hash->conv_array ? hash->conv_array->len : 0;
        add_endpoint_table_data(hash, &a, r.port, TRUE, 0, 0, info, etype);
        if (!appended(before))
            return false;
        endpoint_item_t& item = g_array_index(hash->conv_array, endpoint_item_t, before);
        item.tx_frames = item.tx_frames_total = r.txFrames;
        item.rx_frames = item.rx_frames_total = r.rxFrames;
        item.tx_bytes = item.tx_bytes_total = r.txBytes;
        item.rx_bytes = item.rx_bytes_total = r.rxBytes;
        item.modified = TRUE;
        item.filtered = FALSE;
    }
    return true;
}

std::string framed(std::uint64_t frame, const std::string& why)
{
    return "frame " + std::to_string(frame) + ": " + why;
}

} // namespace

std::optional<fast::LinkType> fastLinkType(int encapsulation)
{
    if (encapsulation == WTAP_ENCAP_ETHERNET)
        return fast::LinkType::Ethernet;
    if (encapsulation == WTAP_ENCAP_RAW_IP || encapsulation == WTAP_ENCAP_RAW_IP4 ||
        encapsulation == WTAP_ENCAP_RAW_IP6)
        return fast::LinkType::RawIp;
    return std::nullopt;
}

std::optional<fast::TableRequest> fastTableRequest(const std::string& statistic)
{
    const std::size_t comma = statistic.find(',');
    if (comma == std::string::npos || statistic.find(',', comma + 1) != std::string::npos)
        return std::nullopt;
    const std::string kind = statistic.substr(0, comma);
    if (kind != "conv" && kind != "endpoints")
        return std::nullopt;
    const auto table = tableOf(statistic.substr(comma + 1));
    if (!table)
        return std::nullopt;
    return fast::TableRequest{*table, kind == "endpoints"};
}

namespace {

// One part's count with our reader (the rows not finished).
FastScan scanPart(const std::string& path, const std::vector<fast::TableRequest>& requests, std::uint32_t part,
                  std::uint32_t parts)
{
    FastScan scan;
    Counter counter(requests, part, parts);
    bool walkRefused = false;
    time_t minSecs = 0, maxSecs = 0;
    bool seen = false;
    const std::string why = fast::scanCaptureFile(
        path,
        [&](const fast::ScannedPacket& p) {
            minSecs = seen ? std::min(minSecs, p.ts.secs) : p.ts.secs;
            maxSecs = seen ? std::max(maxSecs, p.ts.secs) : p.ts.secs;
            seen = true;
            if (p.ts.nsecs < 0 || p.ts.nsecs >= 1000000000)
                scan.timesOrdered = false;
            const char* refused = counter.frame(p.link, p.data, p.captured, p.length, p.ts);
            walkRefused = refused != nullptr;
            return refused;
        },
        &scan.frames);
    if (!why.empty()) {
        scan.readerRefused = !walkRefused;
        scan.refused = walkRefused ? framed(scan.frames, why) : why;
        return scan;
    }
    // epan's nstime_cmp returns the difference of seconds as an int: over 2^31 s apart, two
    // times compare the wrong way round, and a conversation's start and stop then depend on
    // the order its frames came in — which only one sequence of every frame reproduces.
    if (double(maxSecs) - double(minSecs) >= 2147483647.0)
        scan.timesOrdered = false;
    scan.rows = counter.take(false);
    return scan;
}

} // namespace

FastScan scanWithOwnReader(const std::string& path, const std::vector<fast::TableRequest>& requests,
                           unsigned threads)
{
    const std::uint32_t parts = std::clamp(threads, 1u, 16u);
    std::vector<FastScan> scans(parts);
    {
        std::vector<std::jthread> others;
        std::vector<std::uint32_t> here{0}; // parts counted on this thread
        for (std::uint32_t p = 1; p < parts; ++p) {
            try {
                others.emplace_back([&, p] { scans[p] = scanPart(path, requests, p, parts); });
            } catch (const std::system_error&) { // no thread to be had: the count only takes longer
                here.push_back(p);
            }
        }
        for (const std::uint32_t p : here)
            scans[p] = scanPart(path, requests, p, parts);
    }
    std::vector<std::unique_ptr<fast::ConversationRows>> rows;
    for (FastScan& s : scans) {
        if (!s.rows) // every part walks every frame: the first part's refusal is the file's
            return std::move(s);
        if (!s.timesOrdered && parts > 1) // a merge by earliest and latest would differ: count in one
            return scanWithOwnReader(path, requests, 1);
        rows.push_back(std::move(s.rows));
    }
    FastScan scan;
    scan.frames = scans[0].frames;
    scan.rows = fast::ConversationRows::merge(std::move(rows));
    scan.rows->finish();
    return scan;
}

unsigned fastScanThreads()
{
    if (const char* env = std::getenv("STRATOSHARK_WORKERS"))
        return unsigned(std::clamp(std::atoi(env), 1, 16));
    return std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
}

FastScan scanWithWiretap(CaptureFile& file, const std::vector<fast::TableRequest>& requests)
{
    FastScan scan;
    Counter counter(requests);
    WtapRecord record;
    gint64 offset = 0;
    while (file.readNext(record, &offset)) {
        const std::uint64_t frame = ++scan.frames;
        const wtap_rec* rec = record.rec();
        const auto& ph = rec->rec_header.packet_header;
        const char* why = nullptr;
        const auto link = fastLinkType(ph.pkt_encap);
        if (rec->rec_type != REC_TYPE_PACKET)
            why = "a record that is not a packet";
        else if (!(rec->presence_flags & WTAP_HAS_TS))
            why = "a packet without a time stamp";
        else if (!link)
            why = "a link type other than Ethernet or raw IP";
        if (!why)
            why = counter.frame(*link, record.data(), ph.caplen, ph.len, rec->ts);
        if (why) {
            scan.refused = framed(frame, why);
            return scan;
        }
        record.reset();
    }
    if (file.failed()) {
        scan.refused = framed(scan.frames + 1, "a read error (" + file.errorMessage() + ")");
        return scan;
    }
    scan.rows = counter.take();
    return scan;
}

FastTableTypes fastTableTypes(fast::TableKind k)
{
    const bool tcp = k == fast::TableKind::Tcp, udp = k == fast::TableKind::Udp;
    return {tcp ? CONVERSATION_TCP : udp ? CONVERSATION_UDP : CONVERSATION_NONE,
            tcp ? ENDPOINT_TCP : udp ? ENDPOINT_UDP : ENDPOINT_NONE,
            tcp ? &kTcpConv : udp ? &kUdpConv : &kAddrConv,
            tcp ? &kTcpEndpoint : udp ? &kUdpEndpoint : &kAddrEndpoint};
}

std::string fastPathRefusal(const FastScan& scan)
{
    if (!scan.rows)
        return scan.refused;
    if (const char* name = disabledProtocol())
        return std::string("the protocol ") + name + " is disabled";
    if (gbl_resolv_flags.network_name)
        return "network names are resolved (they may come from the capture's DNS)";
    if (std::string port = refusedPort(scan.rows->ports()); !port.empty())
        return port;
    for (const char* table : {"udp", "tcp"})
        if (const std::string extra = extraHeuristic(table); !extra.empty())
            return "the heuristic dissector " + extra + " is enabled on " + table + " (not by default)";
    if (scan.rows->suspectsOverflow())
        return "too many payloads that epan's heuristics may read as packets inside";
    for (const auto& s : scan.rows->suspects()) {
        dissector_table_t table = find_dissector_table(s.tcp ? "tcp.port" : "udp.port");
        if (!table || (!dissector_get_uint_handle(table, s.srcPort) && !dissector_get_uint_handle(table, s.dstPort)))
            return std::string(s.tcp ? "TCP" : "UDP") + " ports " + std::to_string(s.srcPort) + " → " +
                   std::to_string(s.dstPort) + ": a payload epan's heuristics may read as packets inside";
    }
    for (const std::uint16_t port : {6633, 6634}) // OpenFlow's heuristic, on its old ports only
        if (scan.rows->ports().tcpPorts()[port])
            return "TCP port " + std::to_string(port) + " (OpenFlow's heuristic finds packets inside)";
    return {};
}

std::string fillTaps(const FastScan& scan, const std::vector<ConversationTap*>& taps)
{
    if (std::string why = fastPathRefusal(scan); !why.empty())
        return why;
    const auto& tables = scan.rows->tables();
    if (tables.size() != taps.size())
        return "the tables counted are not the ones asked for";
    for (std::size_t i = 0; i < taps.size(); ++i) {
        const auto request = fastTableRequest((tables[i].request.endpoints ? "endpoints," : "conv,") + taps[i]->table());
        if (!taps[i]->filter().empty() || !request || request->table != tables[i].request.table ||
            request->endpoints != tables[i].request.endpoints)
            return "the table \"" + taps[i]->table() + "\" (or its filter) needs a dissection";
    }
    for (std::size_t i = 0; i < taps.size(); ++i) {
        if (!copyRows(tables[i], *taps[i])) {
            for (ConversationTap* tap : taps)
                tap->clear();
            return "epan's table \"" + taps[i]->table() + "\" already held a row counted here";
        }
    }
    return {};
}

} // namespace ss
