// SPDX-License-Identifier: GPL-2.0-or-later
// Hubble flows (`hubble observe -o jsonpb` / `-o json`), Falco alerts (file output and the
// http_output payload) and Tetragon events (`tetra getevents -o json`) into records.
#include "event_import.h"

#include "record_builder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string_view>

namespace ss::events {

using nlohmann::json;

namespace {

std::string str(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    return it->dump();
}

std::uint64_t num(const json& j, const char* key, std::uint64_t fallback = 0)
{
    auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (it->is_number_unsigned() || it->is_number_integer())
        return it->get<std::uint64_t>();
    if (it->is_string()) // protobuf JSON writes 64-bit integers as strings
        return std::strtoull(it->get<std::string>().c_str(), nullptr, 10);
    return fallback;
}

// The first of two keys that is there: Falco's own field names, or the seed's
// (pod_name, namespace, container_name, proc_name, proc_cmdline).
std::string either(const json& j, const char* key, const char* other)
{
    std::string v = str(j, key);
    return v.empty() ? str(j, other) : v;
}

const json& obj(const json& j, const char* key)
{
    static const json empty = json::object();
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

std::string joinArray(const json& j, const char* key, const char* sep = ",")
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_array())
        return {};
    std::string out;
    for (const auto& v : *it) {
        if (!out.empty())
            out += sep;
        out += v.is_string() ? v.get<std::string>() : (v.is_object() && v.contains("name") ? str(v, "name") : v.dump());
    }
    return out;
}

// Adds `key` of `j` as a u32 TLV when present.
void optionalU32(RecordBuilder& b, std::uint16_t tag, const json& j, const char* key)
{
    if (j.contains(key))
        b.u32(tag, std::uint32_t(num(j, key)));
}

std::string baseName(const std::string& path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// --- Hubble ---------------------------------------------------------------------------

bool hubbleRecord(const json& line, ImportedRecord& rec, std::string* why)
{
    const json& flow = line.contains("flow") ? obj(line, "flow") : line;
    if (!flow.contains("verdict") && !flow.contains("IP") && !flow.contains("l4")) {
        *why = "no Hubble flow in this line";
        return false;
    }
    std::string time = str(flow, "time");
    if (time.empty())
        time = str(line, "time");
    if (!parseRfc3339(time, &rec.timestampNs)) {
        *why = "flow has no valid time";
        return false;
    }
    RecordBuilder b(SS_KIND_FLOW);
    const json& src = obj(flow, "source");
    const json& dst = obj(flow, "destination");
    const json& ip = obj(flow, "IP");
    const json& l4 = obj(flow, "l4");
    const json& l7 = obj(flow, "l7");
    std::string dropReason = str(flow, "drop_reason_desc");
    if (dropReason.empty() && flow.contains("drop_reason"))
        dropReason = str(flow, "drop_reason");
    b.str(SS_TAG_FL_UUID, str(flow, "uuid"))
        .str(SS_TAG_FL_VERDICT, str(flow, "verdict"))
        .str(SS_TAG_FL_DROP_REASON, dropReason)
        .str(SS_TAG_FL_DIRECTION, str(flow, "traffic_direction"))
        .str(SS_TAG_FL_TYPE, str(flow, "Type"))
        .str(SS_TAG_FL_SUMMARY, str(flow, "Summary"));
    optionalU32(b, SS_TAG_FL_SRC_IDENTITY, src, "identity");
    optionalU32(b, SS_TAG_FL_DST_IDENTITY, dst, "identity");
    b.str(SS_TAG_FL_SRC_POD, str(src, "pod_name"))
        .str(SS_TAG_FL_SRC_NAMESPACE, str(src, "namespace"))
        .str(SS_TAG_FL_DST_POD, str(dst, "pod_name"))
        .str(SS_TAG_FL_DST_NAMESPACE, str(dst, "namespace"))
        .str(SS_TAG_FL_SRC_LABELS, joinArray(src, "labels"))
        .str(SS_TAG_FL_DST_LABELS, joinArray(dst, "labels"))
        .str(SS_TAG_FL_SRC_WORKLOAD, joinArray(src, "workloads"))
        .str(SS_TAG_FL_DST_WORKLOAD, joinArray(dst, "workloads"))
        .str(SS_TAG_FL_SRC_IP, str(ip, "source"))
        .str(SS_TAG_FL_DST_IP, str(ip, "destination"));
    for (const char* proto : {"TCP", "UDP", "SCTP", "ICMPv4", "ICMPv6"}) {
        if (!l4.contains(proto))
            continue;
        const json& p = obj(l4, proto);
        b.str(SS_TAG_FL_L4, proto);
        optionalU32(b, SS_TAG_FL_SRC_PORT, p, "source_port");
        optionalU32(b, SS_TAG_FL_DST_PORT, p, "destination_port");
        std::string flags;
        for (const auto& [name, on] : obj(p, "flags").items())
            if (on.is_boolean() && on.get<bool>())
                flags += (flags.empty() ? "" : ",") + name;
        b.str(SS_TAG_FL_TCP_FLAGS, flags);
    }
    if (!l7.empty()) {
        const json& http = obj(l7, "http");
        const json& dns = obj(l7, "dns");
        b.str(SS_TAG_FL_L7_TYPE, !http.empty() ? "HTTP" : !dns.empty() ? "DNS" : str(l7, "type"));
        b.str(SS_TAG_FL_HTTP_METHOD, str(http, "method")).str(SS_TAG_FL_HTTP_URL, str(http, "url"));
        optionalU32(b, SS_TAG_FL_HTTP_CODE, http, "code");
        if (l7.contains("latency_ns"))
            b.u64(SS_TAG_FL_LATENCY, num(l7, "latency_ns"));
        b.str(SS_TAG_FL_DNS_QUERY, str(dns, "query"));
        optionalU32(b, SS_TAG_FL_DNS_RCODE, dns, "rcode");
    }
    b.str(SS_TAG_FL_EGRESS_DENIED_BY, joinArray(flow, "egress_denied_by"))
        .str(SS_TAG_FL_INGRESS_DENIED_BY, joinArray(flow, "ingress_denied_by"));
    std::string node = str(flow, "node_name");
    b.str(SS_TAG_NODE, node.empty() ? str(line, "node_name") : node);
    b.str(SS_TAG_JSON, line.dump());
    rec.linkType = SS_LINKTYPE_FLOW;
    rec.bytes = b.bytes();
    return true;
}

// --- Falco ----------------------------------------------------------------------------

bool falcoRecord(const json& line, ImportedRecord& rec, std::string* why)
{
    if (!line.contains("rule") || !line.contains("priority")) {
        *why = "not a Falco alert (no rule or priority)";
        return false;
    }
    const json& fields = obj(line, "output_fields");
    if (!parseRfc3339(str(line, "time"), &rec.timestampNs)) {
        const std::uint64_t evt = num(fields, "evt.time");
        if (!evt && !fields.contains("stratoshark.time")) { // (stamped on arrival by convertEvent)
            *why = "alert has no valid time";
            return false;
        }
        rec.timestampNs = evt;
    }
    RecordBuilder b(SS_KIND_FALCO);
    b.str(SS_TAG_SE_RULE, str(line, "rule"))
        .str(SS_TAG_SE_PRIORITY, str(line, "priority"))
        .str(SS_TAG_SE_OUTPUT, str(line, "output"))
        .str(SS_TAG_SE_TAGS, joinArray(line, "tags"))
        .str(SS_TAG_SE_SOURCE, str(line, "source"))
        .str(SS_TAG_SE_HOSTNAME, str(line, "hostname"));
    optionalU32(b, SS_TAG_PID, fields, "proc.pid");
    optionalU32(b, SS_TAG_PPID, fields, "proc.ppid");
    optionalU32(b, SS_TAG_UID, fields, "user.uid");
    const std::string cmdline = either(fields, "proc.cmdline", "proc_cmdline");
    std::string comm = either(fields, "proc.name", "proc_name");
    if (comm.empty())
        comm = cmdline.substr(0, cmdline.find(' '));
    b.str(SS_TAG_COMM, comm)
        .str(SS_TAG_EXE, str(fields, "proc.exepath"))
        .str(SS_TAG_CMDLINE, cmdline)
        .str(SS_TAG_PCOMM, str(fields, "proc.pname"))
        .str(SS_TAG_CONTAINER_ID, str(fields, "container.id"))
        .str(SS_TAG_CONTAINER_NAME, either(fields, "container.name", "container_name"))
        .str(SS_TAG_CONTAINER_IMAGE, str(fields, "container.image.repository"))
        .str(SS_TAG_POD, either(fields, "k8s.pod.name", "pod_name"))
        .str(SS_TAG_NAMESPACE, either(fields, "k8s.ns.name", "namespace"));
    for (const auto& [name, value] : fields.items())
        b.str(SS_TAG_SE_FIELD, name + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
    b.str(SS_TAG_JSON, line.dump());
    rec.linkType = SS_LINKTYPE_SECURITY;
    rec.bytes = b.bytes();
    return true;
}

// --- Tetragon -------------------------------------------------------------------------

void addTetragonProcess(RecordBuilder& b, const json& process, const json& parent)
{
    optionalU32(b, SS_TAG_PID, process, "pid");
    optionalU32(b, SS_TAG_UID, process, "uid");
    const std::string binary = str(process, "binary");
    b.str(SS_TAG_COMM, baseName(binary)).str(SS_TAG_EXE, binary);
    const std::string args = str(process, "arguments");
    b.str(SS_TAG_CMDLINE, args.empty() ? binary : binary + " " + args);
    optionalU32(b, SS_TAG_PPID, parent, "pid");
    b.str(SS_TAG_PCOMM, baseName(str(parent, "binary")));
    const json& pod = obj(process, "pod");
    const json& container = obj(pod, "container");
    std::string id = str(container, "id");
    if (const auto sep = id.find("://"); sep != std::string::npos)
        id = id.substr(sep + 3);
    b.str(SS_TAG_CONTAINER_ID, id)
        .str(SS_TAG_CONTAINER_NAME, str(container, "name"))
        .str(SS_TAG_CONTAINER_IMAGE, str(obj(container, "image"), "name"))
        .str(SS_TAG_POD, str(pod, "name"))
        .str(SS_TAG_NAMESPACE, str(pod, "namespace"));
    std::string labels;
    for (const auto& [k, v] : obj(pod, "pod_labels").items())
        labels += (labels.empty() ? "" : ",") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    b.str(SS_TAG_POD_LABELS, labels);
}

bool tetragonRecord(const json& line, ImportedRecord& rec, std::string* why)
{
    std::string type;
    for (const auto& [key, value] : line.items())
        if (key.rfind("process_", 0) == 0 && value.is_object())
            type = key;
    if (type.empty()) {
        *why = "no Tetragon event (process_*) in this line";
        return false;
    }
    const json& event = obj(line, type.c_str());
    const json& process = obj(event, "process");
    std::string time = str(line, "time");
    if (time.empty()) // a process_exec without "time" happened when its process started
        time = str(process, "start_time");
    if (!parseRfc3339(time, &rec.timestampNs)) {
        *why = "event has no valid time";
        return false;
    }
    RecordBuilder b(SS_KIND_TETRAGON);
    b.str(SS_TAG_SE_EVENT, type)
        .str(SS_TAG_SE_BINARY, str(process, "binary"))
        .str(SS_TAG_SE_ARGUMENTS, str(process, "arguments"))
        .str(SS_TAG_SE_PARENT_BINARY, str(obj(event, "parent"), "binary"))
        .str(SS_TAG_SE_FUNCTION, str(event, "function_name"))
        .str(SS_TAG_SE_SIGNAL, str(event, "signal"));
    optionalU32(b, SS_TAG_SE_EXIT_STATUS, event, "status");
    if (auto args = event.find("args"); args != event.end() && args->is_array())
        for (const auto& a : *args)
            for (const auto& [kind, value] : a.items())
                b.str(SS_TAG_SE_KPROBE_ARG, kind + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
    addTetragonProcess(b, process, obj(event, "parent"));
    b.str(SS_TAG_NODE, str(line, "node_name"));
    b.str(SS_TAG_JSON, line.dump());
    rec.linkType = SS_LINKTYPE_SECURITY;
    rec.bytes = b.bytes();
    return true;
}

bool convert(EventSource source, const json& j, ImportedRecord& rec, std::string* why)
{
    if (!j.is_object()) {
        *why = "not a JSON object";
        return false;
    }
    switch (source) {
    case EventSource::Hubble: return hubbleRecord(j, rec, why);
    case EventSource::Falco: return falcoRecord(j, rec, why);
    case EventSource::Tetragon: return tetragonRecord(j, rec, why);
    }
    return false;
}

// Walks JSON text from `pos`, counting brackets outside strings, and asks `stop(depth,
// opening)` after each bracket (the depth after it); where it said yes, or npos.
template <typename Stop>
std::size_t scanBrackets(const std::string& text, std::size_t pos, Stop stop)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = pos; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if ((c == '{' || c == '[') && stop(++depth, true)) {
            return i;
        } else if ((c == '}' || c == ']') && stop(--depth, false)) {
            return i;
        }
    }
    return std::string::npos;
}

// Where the JSON value starting at `pos` ends.
std::size_t documentEnd(const std::string& text, std::size_t pos)
{
    const std::size_t close = scanBrackets(text, pos, [](int depth, bool opening) { return !opening && depth == 0; });
    return close == std::string::npos ? text.size() : close + 1;
}

// A flow as the packet comment lines that attach it to the packet it describes
// (docs/FORMAT.md §1: Cilium* keys, shown as cilium.* fields on the packet).
std::string flowComment(const json& flow)
{
    std::string text;
    const auto line = [&text](const char* key, const std::string& value) {
        if (!value.empty())
            text += (text.empty() ? "" : "\n") + std::string(key) + ": " + value;
    };
    const json& src = obj(flow, "source");
    const json& dst = obj(flow, "destination");
    std::string dropReason = str(flow, "drop_reason_desc");
    line("CiliumFlowId", str(flow, "uuid"));
    line("CiliumVerdict", str(flow, "verdict"));
    line("CiliumDropReason", dropReason);
    line("CiliumDirection", str(flow, "traffic_direction"));
    line("CiliumSrcIdentity", src.contains("identity") ? std::to_string(num(src, "identity")) : "");
    line("CiliumDstIdentity", dst.contains("identity") ? std::to_string(num(dst, "identity")) : "");
    line("CiliumSrcPod", str(src, "pod_name"));
    line("CiliumSrcNamespace", str(src, "namespace"));
    line("CiliumDstPod", str(dst, "pod_name"));
    line("CiliumDstNamespace", str(dst, "namespace"));
    line("CiliumSrcLabels", joinArray(src, "labels"));
    line("CiliumDstLabels", joinArray(dst, "labels"));
    line("CiliumSrcIp", str(obj(flow, "IP"), "source"));
    line("CiliumDstIp", str(obj(flow, "IP"), "destination"));
    const json& l7 = obj(flow, "l7");
    if (!l7.empty()) {
        const json& http = obj(l7, "http");
        const json& dns = obj(l7, "dns");
        line("CiliumL7", !http.empty() ? "HTTP" : !dns.empty() ? "DNS" : str(l7, "type"));
        line("CiliumHttpMethod", str(http, "method"));
        line("CiliumHttpUrl", str(http, "url"));
        line("CiliumHttpCode", http.contains("code") ? std::to_string(num(http, "code")) : "");
        line("CiliumDnsQuery", str(dns, "query"));
    }
    line("CiliumType", str(flow, "Type"));
    line("CiliumSummary", str(flow, "Summary"));
    return text;
}

// What an event says, flattened for triggers (event_import.h).
EventFields fieldsOf(EventSource source, const json& j)
{
    EventFields f;
    const auto put = [&f](const char* key, const std::string& value) {
        if (!value.empty())
            f[key] = value;
    };
    if (source == EventSource::Falco) {
        const json& fields = obj(j, "output_fields");
        for (const auto& [name, value] : fields.items())
            f[name] = value.is_string() ? value.get<std::string>() : value.dump();
        put("rule", str(j, "rule"));
        put("priority", str(j, "priority"));
        put("tags", joinArray(j, "tags"));
        put("pod_name", either(fields, "k8s.pod.name", "pod_name"));
        put("namespace", either(fields, "k8s.ns.name", "namespace"));
        put("container_id", str(fields, "container.id"));
        put("container_name", either(fields, "container.name", "container_name"));
        put("proc_name", either(fields, "proc.name", "proc_name"));
        put("proc_cmdline", either(fields, "proc.cmdline", "proc_cmdline"));
        if (fields.contains("proc.pid"))
            f["proc_pid"] = std::to_string(num(fields, "proc.pid"));
    } else if (source == EventSource::Tetragon) {
        for (const char* kind : {"process_exec", "process_exit", "process_kprobe"})
            if (j.contains(kind)) {
                f["event"] = kind;
                const json& process = obj(obj(j, kind), "process");
                put("binary", str(process, "binary"));
                put("proc_name", baseName(str(process, "binary")));
                put("proc_cmdline", str(process, "arguments"));
                if (process.contains("pid"))
                    f["proc_pid"] = std::to_string(num(process, "pid"));
                const json& pod = obj(process, "pod");
                put("pod_name", str(pod, "name"));
                put("namespace", str(pod, "namespace"));
                std::string container = str(obj(pod, "container"), "id");
                if (const auto slash = container.find("://"); slash != std::string::npos)
                    container = container.substr(slash + 3);
                put("container_id", container);
                put("container_name", str(obj(pod, "container"), "name"));
                put("function_name", str(obj(j, kind), "function_name"));
            }
    } else {
        const json& flow = j.contains("flow") ? obj(j, "flow") : j;
        const json& src = obj(flow, "source");
        const json& dst = obj(flow, "destination");
        put("verdict", str(flow, "verdict"));
        put("drop_reason", str(flow, "drop_reason_desc").empty() ? str(flow, "drop_reason")
                                                                  : str(flow, "drop_reason_desc"));
        put("pod_name", str(src, "pod_name"));
        put("namespace", str(src, "namespace"));
        put("dst_pod_name", str(dst, "pod_name"));
        put("dst_namespace", str(dst, "namespace"));
        put("ip_src", str(obj(flow, "IP"), "source"));
        put("ip_dst", str(obj(flow, "IP"), "destination"));
        for (const char* proto : {"TCP", "UDP", "SCTP", "ICMPv4", "ICMPv6"})
            if (obj(flow, "l4").contains(proto)) {
                const json& p = obj(obj(flow, "l4"), proto);
                f["l4"] = proto;
                if (p.contains("source_port"))
                    f["port_src"] = std::to_string(num(p, "source_port"));
                if (p.contains("destination_port"))
                    f["port_dst"] = std::to_string(num(p, "destination_port"));
            }
        put("flow_comment", flowComment(flow));
    }
    return f;
}

} // namespace

bool nestedTooDeep(const std::string& text, int maxDepth)
{
    return scanBrackets(text, 0, [maxDepth](int depth, bool opening) { return opening && depth > maxDepth; }) !=
           std::string::npos;
}

bool convertEvent(EventSource source, const std::string& text, std::uint64_t arrivalNs, LiveEvent* out,
                  std::string* why)
{
    if (text.size() > kMaxEventBytes) {
        *why = "larger than " + std::to_string(kMaxEventBytes) + " bytes";
        return false;
    }
    if (nestedTooDeep(text, kMaxDepth)) {
        *why = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
        return false;
    }
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) {
        *why = "not valid JSON";
        return false;
    }
    // A Falco alert without a time of its own is stamped on arrival, and says so.
    bool stamped = false;
    if (source == EventSource::Falco && j.is_object() && str(j, "time").empty() &&
        !obj(j, "output_fields").contains("evt.time")) {
        j["output_fields"]["stratoshark.time"] = "arrival";
        stamped = true;
    }
    if (!convert(source, j, out->record, why))
        return false;
    if (stamped)
        out->record.timestampNs = arrivalNs;
    out->fields = fieldsOf(source, j);
    if (stamped)
        out->fields["time_source"] = "arrival";
    return true;
}

bool parseRfc3339(const std::string& text, std::uint64_t* ns)
{
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &consumed) != 6)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const char* p = text.c_str() + consumed;
    std::uint64_t fraction = 0;
    int digits = 0;
    if (*p == '.')
        for (++p; *p >= '0' && *p <= '9'; ++p)
            if (digits++ < 9)
                fraction = fraction * 10 + std::uint64_t(*p - '0');
    while (digits++ < 9)
        fraction *= 10;
    long offset = 0;
    if (*p == '+' || *p == '-') {
        int h = 0, m = 0;
        if (std::sscanf(p + 1, "%2d:%2d", &h, &m) != 2)
            return false;
        offset = (h * 3600L + m * 60L) * (*p == '-' ? -1 : 1);
    } else if (*p != 'Z' && *p != 'z') {
        return false;
    }
    const time_t secs = timegm(&tm) - offset;
    if (secs < 0)
        return false;
    *ns = std::uint64_t(secs) * 1000000000ull + fraction;
    return true;
}

bool importEvents(const std::string& path, EventSource source, std::vector<ImportedRecord>& out, ImportReport& report)
{
    // Read once, into one string: every event below is a view of it, copied only once it is
    // known to be at most kMaxEventBytes (the bound live sources have; a 100 MB value was
    // once copied six times on its way to the parser).
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::string text;
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
        text.resize(std::size_t(size));
        in.read(text.data(), size);
        text.resize(std::size_t(in.gcount()));
    }
    auto problem = [&](std::size_t lineNo, const std::string& why) {
        report.problems.push_back(path + ":" + std::to_string(lineNo) + ": " + why);
    };
    auto tooLarge = [](std::size_t bytes) {
        return "an event of " + std::to_string(bytes) + " bytes, larger than " + std::to_string(kMaxEventBytes);
    };
    auto isBlank = [](std::string_view v) { return v.find_first_not_of(" \t\r") == std::string_view::npos; };
    auto lineAt = [&text](std::size_t pos) {
        const std::size_t nl = text.find('\n', pos);
        return std::string_view(text).substr(pos, (nl == std::string::npos ? text.size() : nl) - pos);
    };

    // JSON lines when the first non-empty line is a whole document; else a sequence of
    // (pretty-printed) documents, like Tetragon's documentation samples.
    bool jsonLines = true;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::string_view line = lineAt(pos);
        pos += line.size() + 1;
        if (isBlank(line))
            continue;
        jsonLines = line.size() > kMaxEventBytes || json::accept(line.begin(), line.end());
        break;
    }
    auto handle = [&](const json& j, std::size_t lineNo) {
        ImportedRecord rec{};
        std::string why;
        if (convert(source, j, rec, &why)) {
            rec.fields = fieldsOf(source, j);
            out.push_back(std::move(rec));
            ++report.records;
        } else {
            problem(lineNo, why);
        }
    };
    if (jsonLines) {
        std::size_t lineNo = 0;
        for (std::size_t pos = 0; pos < text.size();) {
            const std::string_view view = lineAt(pos);
            pos += view.size() + 1;
            ++lineNo;
            if (isBlank(view))
                continue;
            if (view.size() > kMaxEventBytes) {
                problem(lineNo, tooLarge(view.size()));
                continue;
            }
            const std::string line(view);
            if (nestedTooDeep(line, kMaxDepth)) { // the parser recurses: 70,000 levels crash it
                problem(lineNo, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
                continue;
            }
            json j = json::parse(line, nullptr, false);
            if (j.is_discarded()) {
                problem(lineNo, "not valid JSON");
                continue;
            }
            handle(j, lineNo);
        }
        return true;
    }
    std::size_t pos = 0;
    std::size_t lineNo = 1, counted = 0; // newlines counted up to `counted`: linear, not quadratic
    while (pos < text.size()) {
        pos = text.find_first_not_of(" \t\r\n", pos);
        if (pos == std::string::npos)
            break;
        lineNo += std::size_t(std::count(text.begin() + long(counted), text.begin() + long(pos), '\n'));
        counted = pos;
        const std::size_t end = documentEnd(text, pos);
        if (end - pos > kMaxEventBytes) {
            problem(lineNo, tooLarge(end - pos));
            pos = end;
            continue;
        }
        const std::string document = text.substr(pos, end - pos);
        json j = nestedTooDeep(document, kMaxDepth) ? json(json::value_t::discarded) : json::parse(document, nullptr, false);
        if (j.is_discarded()) {
            problem(lineNo, "not valid JSON");
            const std::size_t next = text.find('\n', pos);
            pos = next == std::string::npos ? text.size() : next + 1;
            continue;
        }
        handle(j, lineNo);
        pos = end;
    }
    return true;
}

} // namespace ss::events
