// SPDX-License-Identifier: GPL-2.0-or-later
#include "meta_fields.h"

#include "ss_records.h"

#include <cstring>
#include <sstream>

namespace ss::bpf {
namespace {

std::string field(const events::EventFields& f, const char* key)
{
    const auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}

std::uint32_t le(const std::uint8_t* p, std::size_t bytes)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        v |= std::uint32_t(p[i]) << (8 * i);
    return v;
}

} // namespace

std::vector<MetaFields> metaOfEvent(const events::EventFields& f)
{
    MetaFields one{field(f, "proc_pid"), field(f, "proc_name"), field(f, "container_id"), field(f, "pod_name"),
                   field(f, "namespace")};
    std::vector<MetaFields> out{one};
    MetaFields other;
    other.pod = field(f, "dst_pod_name");
    other.ns = field(f, "dst_namespace");
    if (!other.empty())
        out.push_back(other);
    return out;
}

MetaFields metaOfComments(const std::vector<std::string>& comments)
{
    MetaFields m;
    for (const std::string& comment : comments) {
        std::istringstream lines(comment);
        std::string line;
        while (std::getline(lines, line)) {
            const auto colon = line.find(": ");
            if (colon == std::string::npos)
                continue;
            const std::string key = line.substr(0, colon), value = line.substr(colon + 2);
            if (key == "PID")
                m.pid = value;
            else if (key == "ThreadName")
                m.name = value;
            else if (key == "ContainerId")
                m.containerId = value;
            else if (key == "PodName")
                m.pod = value;
            else if (key == "PodNamespace")
                m.ns = value;
        }
    }
    return m;
}

std::vector<MetaFields> metaOfRecord(const std::uint8_t* data, std::size_t length)
{
    if (length < SS_RECORD_HEADER_LEN || le(data, 4) != SS_RECORD_MAGIC)
        return {};
    const std::size_t end = std::min<std::size_t>(length, SS_RECORD_HEADER_LEN + le(data + 8, 4));
    MetaFields m, source, destination;
    for (std::size_t at = SS_RECORD_HEADER_LEN; at + SS_TLV_HEADER_LEN <= end;) {
        const std::uint32_t tag = le(data + at, 2), size = le(data + at + 2, 2);
        at += SS_TLV_HEADER_LEN;
        if (at + size > end)
            break;
        const std::string text(reinterpret_cast<const char*>(data + at), size);
        switch (tag) {
        case SS_TAG_PID: m.pid = size == 4 ? std::to_string(le(data + at, 4)) : std::string(); break;
        case SS_TAG_COMM: m.name = text; break;
        case SS_TAG_CONTAINER_ID: m.containerId = text; break;
        case SS_TAG_POD: m.pod = text; break;
        case SS_TAG_NAMESPACE: m.ns = text; break;
        case SS_TAG_FL_SRC_POD: source.pod = text; break;
        case SS_TAG_FL_SRC_NAMESPACE: source.ns = text; break;
        case SS_TAG_FL_DST_POD: destination.pod = text; break;
        case SS_TAG_FL_DST_NAMESPACE: destination.ns = text; break;
        default: break;
        }
        at += size;
    }
    std::vector<MetaFields> out;
    for (const MetaFields* f : {&m, &source, &destination})
        if (!f->empty())
            out.push_back(*f);
    return out;
}

bool keepNamed(const EbpfFilter& filter, const std::vector<MetaFields>& metas)
{
    bool named = false;
    for (const MetaFields& m : metas) {
        if (m.empty())
            continue;
        named = true;
        if (filter.matches(m))
            return true;
    }
    return !named;
}

} // namespace ss::bpf
