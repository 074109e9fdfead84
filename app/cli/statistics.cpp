// SPDX-License-Identifier: GPL-2.0-or-later
#include "statistics.h"

#include "conversation_tap.h"
#include "error.h"
#include "expert_tap.h"
#include "follow_format.h"
#include "follow_tap.h"
#include "hierarchy_tap.h"
#include "io_stat.h"
#include "stats_tree_tap.h"

#include <algorithm>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <ctime>

namespace ss::cli {
namespace {

// GLib/wmem strings freed at scope end.
struct WmemText {
    char* text;
    ~WmemText() { wmem_free(nullptr, text); }
    const char* c_str() const { return text; }
};

std::vector<std::string> splitCommas(const std::string& text, size_t maxParts)
{
    std::vector<std::string> parts;
    size_t start = 0;
    while (parts.size() + 1 < maxParts) {
        const size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            break;
        parts.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    parts.push_back(text.substr(start));
    return parts;
}

// The rows tshark prints, in its order: the largest frame total first, equal totals in the
// table's order (tshark picks each total in turn, counting down from below UINT_MAX), rows
// with no frames left out.
template <typename FramesOf>
std::vector<guint> printOrder(guint count, FramesOf framesOf)
{
    std::vector<guint> order;
    order.reserve(count);
    for (guint i = 0; i < count; ++i)
        if (const guint64 frames = framesOf(i); frames > 0 && frames < UINT_MAX)
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](guint a, guint b) { return framesOf(a) > framesOf(b); });
    return order;
}

void printStartTime(const conv_item_t& c)
{
    const ts_type type = timestamp_get_type();
    const time_t secs = c.start_abs_time.secs;
    const bool utc = type == TS_UTC || type == TS_UTC_WITH_YMD || type == TS_UTC_WITH_YDOY;
    const bool relative = type != TS_ABSOLUTE && type != TS_ABSOLUTE_WITH_YMD && type != TS_ABSOLUTE_WITH_YDOY && !utc;
    // Only for a time of day: localtime() stats the zone file on every call when TZ is unset.
    const struct tm* tm = relative ? nullptr : utc ? std::gmtime(&secs) : std::localtime(&secs);
    switch (type) {
    case TS_ABSOLUTE:
    case TS_UTC:
        if (tm)
            std::printf("%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
        else
            std::printf("XX:XX:XX");
        break;
    case TS_ABSOLUTE_WITH_YMD:
    case TS_UTC_WITH_YMD:
        if (tm)
            std::printf("%04d-%02d-%02d %02d:%02d:%02d", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
                        tm->tm_hour, tm->tm_min, tm->tm_sec);
        else
            std::printf("XXXX-XX-XX XX:XX:XX");
        break;
    case TS_ABSOLUTE_WITH_YDOY:
    case TS_UTC_WITH_YDOY:
        if (tm)
            std::printf("%04d/%03d %02d:%02d:%02d", tm->tm_year + 1900, tm->tm_yday + 1, tm->tm_hour, tm->tm_min,
                        tm->tm_sec);
        else
            std::printf("XXXX/XXX XX:XX:XX");
        break;
    case TS_EPOCH:
        std::printf("%20.9f", nstime_to_sec(&c.start_abs_time));
        break;
    default:
        std::printf("%14.9f", nstime_to_sec(&c.start_time));
        break;
    }
}

void printConversations(const ConversationTap& tap)
{
    const std::string& type = tap.typeName();
    const bool ports = type.rfind("TCP", 0) == 0 || type.rfind("UDP", 0) == 0 || type.rfind("SCTP", 0) == 0;
    const char* indent = ports ? "            " : "";
    std::printf("================================================================================\n");
    std::printf("%s Conversations\n", type.c_str());
    std::printf("Filter:%s\n", tap.filter().empty() ? "<No Filter>" : tap.filter().c_str());
    const char* startTitle[2] = {"    Relative    ", "      Start     "};
    const char* unit = "Bytes";
    switch (timestamp_get_type()) {
    case TS_ABSOLUTE:
    case TS_UTC:
        startTitle[0] = " Absolute Time  ";
        unit = "Size ";
        break;
    case TS_ABSOLUTE_WITH_YMD:
    case TS_ABSOLUTE_WITH_YDOY:
    case TS_UTC_WITH_YMD:
    case TS_UTC_WITH_YDOY:
        startTitle[0] = " Absolute Date  ";
        startTitle[1] = "     Start      ";
        unit = "Size ";
        break;
    case TS_EPOCH:
        startTitle[0] = "       Relative       ";
        startTitle[1] = "         Start        ";
        break;
    default:
        break;
    }
    std::printf("%s                                               |       <-      | |       ->      | |     Total     "
                "|%s|   Duration   |\n",
                indent, startTitle[0]);
    std::printf("%s                                               | Frames  %s | | Frames  %s | | Frames  %s "
                "|%s|              |\n",
                indent, unit, unit, unit, startTitle[1]);

    const auto frames = [&tap](guint i) { return tap.item(i).rx_frames + tap.item(i).tx_frames; };
    for (const guint i : printOrder(tap.count(), frames)) {
        conv_item_t c = tap.item(i); // a copy: epan's address functions take non-const
        WmemText rx{format_size(c.rx_bytes, FORMAT_SIZE_UNIT_BYTES, 0)};
        WmemText tx{format_size(c.tx_bytes, FORMAT_SIZE_UNIT_BYTES, 0)};
        WmemText total{format_size(c.tx_bytes + c.rx_bytes, FORMAT_SIZE_UNIT_BYTES, 0)};
        WmemText src{get_conversation_address(nullptr, &c.src_address, TRUE)};
        WmemText dst{get_conversation_address(nullptr, &c.dst_address, TRUE)};
        if (ports) {
            WmemText srcPort{get_conversation_port(nullptr, c.src_port, c.ctype, TRUE)};
            WmemText dstPort{get_conversation_port(nullptr, c.dst_port, c.ctype, TRUE)};
            const std::string a = std::string(src.c_str()) + ":" + srcPort.c_str();
            const std::string b = std::string(dst.c_str()) + ":" + dstPort.c_str();
            std::printf("%-26s <-> %-26s", a.c_str(), b.c_str());
        } else {
            std::printf("%-20s <-> %-20s", src.c_str(), dst.c_str());
        }
        std::printf("  %6" G_GUINT64_FORMAT " %-9s  %6" G_GUINT64_FORMAT " %-9s  %6" G_GUINT64_FORMAT " %-9s  ",
                    c.rx_frames, rx.c_str(), c.tx_frames, tx.c_str(), c.tx_frames + c.rx_frames, total.c_str());
        printStartTime(c);
        std::printf("   %12.4f\n", nstime_to_sec(&c.stop_time) - nstime_to_sec(&c.start_time));
    }
    std::printf("================================================================================\n");
}

enum class FollowMode { Hex, Ascii, Ebcdic, Raw, Yaml };

struct FollowRequest {
    FollowMode mode;
    const char* modeName;
    guint32 chunkMin = 1;
    guint32 chunkMax = G_MAXUINT32;
};

void printFollow(const FollowTap& tap, const FollowRequest& req)
{
    const follow_info_t& info = tap.info();
    char addr[WS_INET6_ADDRSTRLEN];
    static const char separator[] = "===================================================================\n";
    if (req.mode == FollowMode::Yaml) {
        std::printf("peers:\n  - peer: 0\n");
        address_to_str_buf(&info.client_ip, addr, sizeof addr);
        std::printf("    host: %s\n    port: %d\n  - peer: 1\n", addr, info.client_port);
        address_to_str_buf(&info.server_ip, addr, sizeof addr);
        std::printf("    host: %s\n    port: %d\npackets:\n", addr, info.server_port);
    } else {
        std::printf("\n%s", separator);
        std::printf("Follow: %s,%s\n", tap.protocol().c_str(), req.modeName);
        std::printf("Filter: %s\n", info.filter_out_filter);
        address_to_str_buf(&info.client_ip, addr, sizeof addr);
        std::printf(info.client_ip.type == AT_IPv6 ? "Node 0: [%s]:%u\n" : "Node 0: %s:%u\n", addr, info.client_port);
        address_to_str_buf(&info.server_ip, addr, sizeof addr);
        std::printf(info.server_ip.type == AT_IPv6 ? "Node 1: [%s]:%u\n" : "Node 1: %s:%u\n", addr, info.server_port);
    }
    guint32 position[2] = {0, 0};
    guint chunk = 1;
    for (GList* cur = g_list_last(info.payload); cur; cur = g_list_previous(cur), ++chunk) {
        const auto* rec = static_cast<const follow_record_t*>(cur->data);
        guint32& pos = position[rec->is_server ? 1 : 0];
        const guint8* data = rec->data->data;
        const guint len = rec->data->len;
        if (chunk < req.chunkMin || chunk > req.chunkMax) {
            pos += len;
            continue;
        }
        const char* side = rec->is_server ? "\t" : "";
        switch (req.mode) {
        case FollowMode::Hex:
            std::fputs(followHexDump(side, pos, data, len).c_str(), stdout);
            pos += len;
            break;
        case FollowMode::Ascii:
        case FollowMode::Ebcdic: {
            std::printf("%s%u\n", side, len);
            std::string text = followAscii(data, len) + '\n';
            if (req.mode == FollowMode::Ebcdic)
                EBCDIC_to_ASCII(reinterpret_cast<guint8*>(text.data()), static_cast<guint>(text.size()));
            std::fputs(text.c_str(), stdout);
            break;
        }
        case FollowMode::Raw:
            std::printf("%s%s\n", side, followRaw(data, len).c_str());
            break;
        case FollowMode::Yaml:
            std::printf("  - packet: %d\n    peer: %d\n", rec->packet_num, rec->is_server ? 1 : 0);
            std::printf("    timestamp: %.9f\n    data: !!binary |\n", nstime_to_sec(&rec->abs_ts));
            for (guint i = 0; i < len; i += 57) {
                gchar* b64 = g_base64_encode(data + i, std::min<guint>(57, len - i));
                std::printf("      %s\n", b64);
                g_free(b64);
            }
            break;
        }
    }
    if (req.mode != FollowMode::Yaml)
        std::printf("%s", separator);
}

bool followError(const char* what)
{
    std::fprintf(stderr, "stratoshark: follow - %s\n", what);
    return false;
}

bool parseUnsigned(const std::string& text, guint32* out)
{
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    *out = static_cast<guint32>(std::stoul(text));
    return true;
}

// tshark's `-z endpoints,TYPE` report: the most active endpoints first (by packets, ties in
// the table's order), the layout of its text table.
void printEndpoints(const ConversationTap& tap)
{
    const std::string& type = tap.typeName();
    const bool ports = type.rfind("TCP", 0) == 0 || type.rfind("UDP", 0) == 0 || type.rfind("SCTP", 0) == 0;
    std::printf("================================================================================\n");
    std::printf("%s Endpoints\n", type.c_str());
    std::printf("Filter:%s\n", tap.filter().empty() ? "<No Filter>" : tap.filter().c_str());
    std::printf("                       |  %sPackets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n",
                ports ? "Port  ||  " : "");
    const auto frames = [&tap](guint i) { return tap.endpoint(i).rx_frames + tap.endpoint(i).tx_frames; };
    for (const guint i : printOrder(tap.count(), frames)) {
        endpoint_item_t e = tap.endpoint(i);
        WmemText address{get_conversation_address(nullptr, &e.myaddress, TRUE)};
        if (ports) {
            WmemText port{get_endpoint_port(nullptr, &e, TRUE)};
            std::printf("%-20s      %5s     %6" PRIu64 "     %9" PRIu64 "     %6" PRIu64 "       %9" PRIu64
                        "      %6" PRIu64 "       %9" PRIu64 "   \n",
                        address.c_str(), port.c_str(), e.tx_frames + e.rx_frames, e.tx_bytes + e.rx_bytes,
                        e.tx_frames, e.tx_bytes, e.rx_frames, e.rx_bytes);
        } else {
            std::printf("%-20s      %6" PRIu64 "     %9" PRIu64 "     %6" PRIu64 "       %9" PRIu64 "      %6" PRIu64
                        "       %9" PRIu64 "   \n",
                        address.c_str(), e.tx_frames + e.rx_frames, e.tx_bytes + e.rx_bytes, e.tx_frames, e.tx_bytes,
                        e.rx_frames, e.rx_bytes);
        }
    }
    std::printf("================================================================================\n");
}

} // namespace

Statistics::Statistics() = default;
Statistics::~Statistics() = default;

bool Statistics::add(const std::string& arg)
{
    if (arg.rfind("conv,", 0) == 0)
        return addTable(arg, ConversationTap::Kind::Conversations);
    if (arg.rfind("follow,", 0) == 0)
        return addFollow(arg);
    if (arg.rfind("endpoints,", 0) == 0)
        return addTable(arg, ConversationTap::Kind::Endpoints);
    if (arg.rfind("expert", 0) == 0)
        return addExpert(arg);
    if (arg.rfind("io,phs", 0) == 0)
        return addHierarchy(arg);
    if (arg.rfind("io,stat,", 0) == 0)
        return addIoStat(arg);
    const size_t comma = arg.find(',');
    if (comma != std::string::npos && arg.compare(comma + 1, 4, "tree") == 0 &&
        StatsTreeTap::exists(arg.substr(0, comma)))
        return addStatsTree(arg);
    std::fprintf(stderr,
                 "stratoshark: Invalid -z argument \"%s\"; it must be one of:\n"
                 "     conv,eth\n     conv,ip\n     conv,ipv6\n     conv,tcp\n     conv,udp\n"
                 "     endpoints,eth\n     endpoints,ip\n     endpoints,ipv6\n     endpoints,tcp\n     endpoints,udp\n"
                 "     expert\n     follow,tcp\n     follow,udp\n     follow,tls\n     follow,http\n"
                 "     io,phs\n     io,stat\n     NAME,tree (dns, http, http_req, ptype, ... statistics trees)\n",
                 arg.c_str());
    return false;
}

std::vector<ConversationTap*> Statistics::conversationTapsOnly() const
{
    std::vector<ConversationTap*> taps;
    if (!follows_.empty() || !experts_.empty() || !hierarchies_.empty() || !trees_.empty() || !ioStats_.empty())
        return taps;
    for (const auto& tap : conversations_)
        taps.push_back(tap.get());
    return taps;
}

std::vector<MergeableTap*> Statistics::mergeableTapsOnly() const
{
    std::vector<MergeableTap*> taps;
    if (!follows_.empty() || !conversations_.empty() || !trees_.empty() || !ioStats_.empty())
        return taps;
    for (const auto& tap : experts_)
        taps.push_back(tap.get());
    for (const auto& tap : hierarchies_)
        taps.push_back(tap.get());
    return taps;
}

// conv,TABLE[,FILTER] or endpoints,TABLE[,FILTER]: epan's table as Statistics → Conversations
// or Endpoints shows it, printed when the taps are drawn.
bool Statistics::addTable(const std::string& arg, ConversationTap::Kind kind)
{
    const auto parts = splitCommas(arg, 3); // "conv" or "endpoints", table, filter
    try {
        auto tap = std::make_unique<ConversationTap>(parts[1], parts.size() > 2 ? parts[2] : std::string(), kind);
        tap->onDraw(kind == ConversationTap::Kind::Endpoints ? printEndpoints : printConversations);
        conversations_.push_back(std::move(tap));
        return true;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: Invalid -z argument \"%s\": %s\n", arg.c_str(), e.what());
        return false;
    }
}

bool Statistics::addFollow(const std::string& arg)
{
    auto parts = splitCommas(arg, 8); // follow, proto, mode, stream|addrA, [sub|addrB], [range]
    if (parts.size() < 4)
        return followError("Invalid parameter.");
    const std::string& proto = parts[1];
    FollowRequest req{};
    static const struct {
        const char* name;
        FollowMode mode;
    } kModes[] = {{"hex", FollowMode::Hex}, {"ascii", FollowMode::Ascii}, {"ebcdic", FollowMode::Ebcdic},
                  {"raw", FollowMode::Raw}, {"yaml", FollowMode::Yaml}};
    bool modeFound = false;
    for (const auto& m : kModes)
        if (parts[2] == m.name) {
            req.mode = m.mode;
            req.modeName = m.name;
            modeFound = true;
        }
    if (!modeFound)
        return followError("Invalid display mode.");

    size_t next = 3;
    std::string filter;
    try {
        guint32 stream = 0;
        if (parseUnsigned(parts[3], &stream)) {
            guint32 sub = 0;
            ++next;
            if (FollowTap::hasSubStreams(proto) && next < parts.size() && parseUnsigned(parts[next], &sub))
                ++next;
            filter = FollowTap::indexFilter(proto, stream, sub);
        } else {
            // ADDR_A:PORT_A,ADDR_B:PORT_B (IPv6 in brackets)
            if (parts.size() < 5)
                return followError("Invalid address.");
            address addrs[2];
            guint32 v4[2];
            ws_in6_addr v6[2];
            int ports[2];
            for (int i = 0; i < 2; ++i) {
                const std::string& ep = parts[3 + i];
                const size_t colon = ep.rfind(':');
                if (colon == std::string::npos)
                    return followError("Invalid address.");
                std::string host = ep.substr(0, colon);
                ports[i] = std::atoi(ep.c_str() + colon + 1);
                if (ports[i] <= 0 || ports[i] > G_MAXUINT16)
                    return followError("Invalid port.");
                if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
                    host = host.substr(1, host.size() - 2);
                    if (!get_host_ipaddr6(host.c_str(), &v6[i]))
                        return followError("Can't get IPv6 address");
                    set_address(&addrs[i], AT_IPv6, 16, &v6[i]);
                } else {
                    if (!get_host_ipaddr(host.c_str(), &v4[i]))
                        return followError("Can't get IPv4 address");
                    set_address(&addrs[i], AT_IPv4, 4, &v4[i]);
                }
            }
            next = 5;
            filter = FollowTap::addressFilter(proto, &addrs[0], &addrs[1], ports[0], ports[1]);
        }
        if (next < parts.size()) {
            const std::string& range = parts[next++];
            const size_t dash = range.find('-');
            if (dash != std::string::npos) {
                if (!parseUnsigned(range.substr(0, dash), &req.chunkMin) ||
                    !parseUnsigned(range.substr(dash + 1), &req.chunkMax))
                    return followError("Invalid range.");
            } else if (parseUnsigned(range, &req.chunkMin)) {
                req.chunkMax = req.chunkMin;
            } else {
                return followError("Invalid range.");
            }
            if (req.chunkMin < 1 || req.chunkMin > req.chunkMax)
                return followError("Invalid range value.");
        }
        if (next < parts.size())
            return followError("Invalid parameter.");
        auto tap = std::make_unique<FollowTap>(proto, filter);
        tap->onDraw([req](const FollowTap& t) { printFollow(t, req); });
        follows_.push_back(std::move(tap));
        return true;
    } catch (const EngineError& e) {
        return followError(e.what());
    }
}

} // namespace ss::cli
