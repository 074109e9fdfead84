// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "epan_includes.h"
#include "field_tap.h"

namespace ss::timeline {

// One line of the joined chronology.
struct Entry {
    std::uint64_t timeNs = 0;
    std::string kind;    // "Falco", "Tetragon", "Syscall", "Cilium", "DNS", "TCP", "UDP"
    std::string pod;     // "namespace/name", empty when unknown
    std::string process; // "name[pid]"
    std::uint32_t pid = 0, ppid = 0; // records: the process and its parent, when known
    std::string summary; // what happened, in words
    std::uint32_t frame = 0;
    std::string filter;  // shows the packets or record behind the entry
    // Connections and flows: their endpoints and bytes each way; DNS: the name and addresses.
    std::string client, server;
    std::uint64_t sent = 0, received = 0;
    std::string name;
    std::vector<std::string> addresses;
    std::string parent; // Tetragon: the parent binary
};

// An epan tap on every frame (passing an optional display filter) that joins packets,
// syscalls, process events, alerts and flow verdicts into one time-ordered list: records as
// they are (a successful syscall and a FORWARDED flow are left out: there are too many of
// them to read), DNS answers as "name → addresses", and packet runs summarised into TCP
// connections and UDP flows with the bytes each way. Pods of addresses are learnt from the
// packets' own k8s.* metadata.
class TimelineTap : public FieldTap {
public:
    explicit TimelineTap(const std::string& filter); // throws EngineError

    // The chronology, oldest first (finishes the connections still open).
    std::vector<Entry> entries() const;

private:
    struct Flow {
        std::size_t entry = 0; // index of its Entry
        std::string client, server;
        std::uint16_t clientPort = 0, serverPort = 0;
        std::uint64_t sent = 0, received = 0, packets = 0;
        std::uint64_t lastNs = 0;
        bool syn = false, reset = false;
        std::uint32_t firstFrame = 0, lastFrame = 0;
    };
    void onFrame(packet_info* pinfo, epan_dissect_t* edt) override;
    void record(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t timeNs);
    void traffic(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t timeNs);
    std::string field(epan_dissect_t* edt, const char* name) const { return text(edt, name); }
    std::vector<Entry> entries_;
    std::map<std::string, Flow> flows_; // "TCP 3" (tcp.stream) or "UDP a:p b:q"
    std::map<std::string, std::string> podOf_; // address → namespace/name
};

// "15 MB", "2.3 kB", "512 bytes" (decimal units, as Wireshark's statistics print sizes).
std::string humanBytes(std::uint64_t bytes);

} // namespace ss::timeline
