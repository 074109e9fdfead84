// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_tap.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>

namespace ss::timeline {
namespace {

const char* const kFields[] = {
    "frame.packet_flags_direction", "k8s.pod", "k8s.ns", "proc.name", "proc.pid", "proc.ppid", "falco.rule", "falco.priority",
    "tetragon.event", "tetragon.binary", "tetragon.args", "tetragon.parent.binary", "tetragon.function", "syscall.name", "syscall.ret",
    "cilium.verdict", "cilium.drop_reason", "tcp.stream", "tcp.len", "tcp.flags", "udp.length", "dns.flags.response",
    "dns.qry.name", "dns.a", "dns.aaaa"};

std::string endpoint(const std::string& addr, std::uint16_t port)
{
    return (addr.find(':') != std::string::npos ? "[" + addr + "]" : addr) + ":" + std::to_string(port);
}

} // namespace

std::string humanBytes(std::uint64_t bytes)
{
    static const char* const units[] = {"kB", "MB", "GB", "TB"};
    if (bytes < 1000)
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    double v = double(bytes);
    int u = -1;
    while (v >= 1000 && u < 3) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

TimelineTap::TimelineTap(const std::string& filter)
    : FieldTap(std::vector<const char*>(std::begin(kFields), std::end(kFields)), filter,
               TL_REQUIRES_PROTO_TREE | TL_REQUIRES_COLUMNS)
{
}

void TimelineTap::onFrame(packet_info* pinfo, epan_dissect_t* edt)
{
    const std::uint64_t timeNs = std::uint64_t(pinfo->abs_ts.secs) * 1000000000u + std::uint64_t(pinfo->abs_ts.nsecs);
    if (pinfo->net_src.type == AT_IPv4 || pinfo->net_src.type == AT_IPv6)
        traffic(pinfo, edt, timeNs);
    record(pinfo, edt, timeNs);
}

// Alerts, process events, failed syscalls and flow verdicts other than FORWARDED.
void TimelineTap::record(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t timeNs)
{
    Entry e;
    e.timeNs = timeNs;
    e.frame = pinfo->num;
    e.filter = "frame.number == " + std::to_string(pinfo->num);
    const std::string ns = field(edt, "k8s.ns"), pod = field(edt, "k8s.pod");
    e.pod = pod.empty() ? std::string() : (ns.empty() ? pod : ns + "/" + pod);
    const std::string proc = field(edt, "proc.name"), pid = field(edt, "proc.pid");
    e.process = proc.empty() ? std::string() : proc + (pid.empty() ? "" : "[" + pid + "]");
    e.pid = std::uint32_t(number(edt, "proc.pid"));
    e.ppid = std::uint32_t(number(edt, "proc.ppid"));
    const char* info = pinfo->cinfo ? col_get_text(pinfo->cinfo, COL_INFO) : nullptr;
    const std::string infoText = info ? info : "";
    if (const std::string rule = field(edt, "falco.rule"); !rule.empty()) {
        e.kind = "Falco";
        e.summary = field(edt, "falco.priority") + ": " + rule;
    } else if (const std::string event = field(edt, "tetragon.event"); !event.empty()) {
        e.kind = "Tetragon";
        std::string verb = event.rfind("process_", 0) == 0 ? event.substr(8) : event;
        const std::string function = field(edt, "tetragon.function");
        e.summary = verb + (function.empty() ? "" : " " + function) + " " + field(edt, "tetragon.binary");
        if (const std::string args = field(edt, "tetragon.args"); !args.empty() && verb == "exec")
            e.summary += " " + args;
        e.parent = field(edt, "tetragon.parent.binary");
    } else if (const std::string call = field(edt, "syscall.name"); !call.empty()) {
        const std::string ret = field(edt, "syscall.ret");
        if (ret.empty() || ret[0] != '-')
            return; // successful syscalls would drown the story
        e.kind = "Syscall";
        const std::size_t colon = infoText.find("]: ");
        e.summary = "failed " + (colon != std::string::npos ? infoText.substr(colon + 3) : call);
    } else if (const std::string verdict = field(edt, "cilium.verdict"); !verdict.empty() && verdict != "FORWARDED") {
        e.kind = "Cilium";
        if (pinfo->net_src.type == AT_NONE) {
            e.summary = infoText;
        } else {
            const std::string reason = field(edt, "cilium.drop_reason");
            e.summary = verdict + " " + endpoint(address_to_str(pinfo->pool, &pinfo->net_src), std::uint16_t(pinfo->srcport)) +
                        " → " + endpoint(address_to_str(pinfo->pool, &pinfo->net_dst), std::uint16_t(pinfo->destport)) +
                        (reason.empty() ? "" : " (" + reason + ")");
        }
    } else {
        return;
    }
    entries_.push_back(std::move(e));
}

// DNS answers, and packets folded into connections (TCP) and flows (UDP).
void TimelineTap::traffic(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t timeNs)
{
    const std::string src = address_to_str(pinfo->pool, &pinfo->net_src);
    const std::string dst = address_to_str(pinfo->pool, &pinfo->net_dst);
    const std::string ns = field(edt, "k8s.ns"), pod = field(edt, "k8s.pod");
    const std::string dir = field(edt, "frame.packet_flags_direction");
    if (!pod.empty()) {
        const bool inbound = dir == "0x1" || dir == "1" || dir.find("Inbound") != std::string::npos;
        podOf_.emplace(inbound ? dst : src, ns.empty() ? pod : ns + "/" + pod);
    }
    const auto podFor = [this](const std::string& addr) {
        const auto it = podOf_.find(addr);
        return it == podOf_.end() ? std::string() : it->second;
    };
    const std::string proc = field(edt, "proc.name"), pid = field(edt, "proc.pid");
    const std::string process = proc.empty() ? std::string() : proc + (pid.empty() ? "" : "[" + pid + "]");

    const std::string response = field(edt, "dns.flags.response");
    if (!response.empty()) {
        if (response == "1" || response == "True") {
            std::vector<std::string> answers = texts(edt, "dns.a");
            for (auto& a : texts(edt, "dns.aaaa"))
                answers.push_back(std::move(a));
            std::string list;
            for (const auto& a : answers)
                list += (list.empty() ? "" : ", ") + a;
            Entry e;
            e.timeNs = timeNs;
            e.kind = "DNS";
            e.pod = podFor(dst);
            e.process = process;
            e.summary = field(edt, "dns.qry.name") + " → " + (list.empty() ? std::string("no address") : list);
            e.frame = pinfo->num;
            e.filter = "frame.number == " + std::to_string(pinfo->num);
            e.client = dst;
            e.server = src;
            e.name = field(edt, "dns.qry.name");
            e.addresses = std::move(answers);
            entries_.push_back(std::move(e));
        }
        if (pinfo->ptype == PT_UDP)
            return; // a DNS exchange is its answer, not a flow
    }
    std::string key;
    std::uint64_t payload = 0;
    bool syn = false, ack = false, rst = false;
    if (pinfo->ptype == PT_TCP) {
        key = "TCP " + field(edt, "tcp.stream");
        payload = std::strtoull(field(edt, "tcp.len").c_str(), nullptr, 10);
        const unsigned long flags = std::strtoul(field(edt, "tcp.flags").c_str(), nullptr, 0);
        syn = flags & 0x02;
        ack = flags & 0x10;
        rst = flags & 0x04;
    } else if (pinfo->ptype == PT_UDP) {
        const std::string a = endpoint(src, std::uint16_t(pinfo->srcport)), b = endpoint(dst, std::uint16_t(pinfo->destport));
        key = "UDP " + std::min(a, b) + " " + std::max(a, b);
        const std::uint64_t length = std::strtoull(field(edt, "udp.length").c_str(), nullptr, 10);
        payload = length >= 8 ? length - 8 : 0;
    } else {
        return;
    }
    auto it = flows_.find(key);
    if (it == flows_.end()) {
        Flow f;
        const bool reversed = syn && ack; // the SYN itself was not captured
        f.client = reversed ? dst : src;
        f.server = reversed ? src : dst;
        f.clientPort = std::uint16_t(reversed ? pinfo->destport : pinfo->srcport);
        f.serverPort = std::uint16_t(reversed ? pinfo->srcport : pinfo->destport);
        f.syn = syn;
        f.firstFrame = pinfo->num;
        f.entry = entries_.size();
        Entry e;
        e.timeNs = timeNs;
        e.kind = pinfo->ptype == PT_TCP ? "TCP" : "UDP";
        e.pod = podFor(f.client);
        e.process = process;
        e.frame = pinfo->num;
        entries_.push_back(std::move(e));
        it = flows_.emplace(key, f).first;
    }
    Flow& f = it->second;
    const bool fromClient = src == f.client && std::uint16_t(pinfo->srcport) == f.clientPort;
    (fromClient ? f.sent : f.received) += payload;
    f.packets++;
    f.reset = f.reset || rst;
    f.lastNs = timeNs;
    f.lastFrame = pinfo->num;
    Entry& e = entries_[f.entry];
    if (e.process.empty() && fromClient)
        e.process = process;
    if (e.pod.empty())
        e.pod = podFor(f.client);
}

std::vector<Entry> TimelineTap::entries() const
{
    std::vector<Entry> out = entries_;
    for (const auto& [key, f] : flows_) {
        Entry& e = out[f.entry];
        e.client = f.client;
        e.server = f.server;
        e.sent = f.sent;
        e.received = f.received;
        const double seconds = double(f.lastNs - e.timeNs) / 1e9;
        char span[32];
        std::snprintf(span, sizeof span, "%.1f s", seconds);
        e.summary = endpoint(f.client, f.clientPort) + " → " + endpoint(f.server, f.serverPort) + " — " +
                    humanBytes(f.sent) + " sent, " + humanBytes(f.received) + " received, " +
                    std::to_string(f.packets) + (f.packets == 1 ? " packet, " : " packets, ") + span +
                    (f.reset ? ", reset" : "");
        e.filter = key.rfind("TCP ", 0) == 0 ? "tcp.stream == " + key.substr(4)
                                             : "frame.number >= " + std::to_string(f.firstFrame) + " && udp.port == " +
                                                   std::to_string(f.clientPort) + " && udp.port == " +
                                                   std::to_string(f.serverPort);
    }
    std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.timeNs < b.timeNs; });
    return out;
}

} // namespace ss::timeline
