// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "field_tap.h"

namespace ss::timeline {

// Something worth a mark on a timeline lane.
struct Mark {
    enum class Kind { Alert, Exec, Exit, FailedSyscall, Verdict, Dropped };
    std::int64_t ns = 0;
    std::uint32_t frame = 0;
    Kind kind = Kind::Alert;
    int priority = 0; // alerts: Falco's priority, 0 (Emergency) … 7 (Debug); Tetragon 5 (Notice)
    std::string label;
};

// One lane: the packets (time and frame, time-ordered) and marks of a pod or a process.
struct Lane {
    std::string name;
    std::vector<std::int64_t> packetNs;
    std::vector<std::uint32_t> packetFrames;
    std::vector<Mark> marks; // time-ordered
    // Packets in [fromNs, toNs): two binary searches, so a view can count them per pixel.
    std::size_t packetsBetween(std::int64_t fromNs, std::int64_t toNs) const;
};

// A pod's lane (everything of the pod) and one lane per process inside it.
struct PodLanes {
    Lane pod;
    std::vector<Lane> processes;
};

// One pass that sorts every frame into lanes: by pod ("namespace/name" from the packet's or
// record's metadata; a Cilium flow's source pod, else its destination) and inside it by
// process ("name[pid]"); frames with no pod go to the lane "(no pod)". Packets count into
// the lanes' rate; alerts, exec/exit, failed syscalls and flow verdicts become marks.
class LaneTap : public FieldTap {
public:
    explicit LaneTap(const std::string& filter); // throws EngineError

    // The lanes, pods by name ("(no pod)" last), processes by name; times sorted.
    std::vector<PodLanes> lanes() const;
    std::int64_t firstNs() const { return first_; }
    std::int64_t lastNs() const { return last_; }

private:
    struct Pod {
        Lane lane;
        std::map<std::string, Lane> processes;
    };
    void onFrame(packet_info* pinfo, epan_dissect_t* edt) override;

    std::map<std::string, Pod> pods_;
    std::int64_t first_ = 0, last_ = 0;
    bool any_ = false;
};

// Falco's priority name → 0 (Emergency) … 7 (Debug); 5 (Notice) when unknown.
int falcoPriority(const std::string& name);

} // namespace ss::timeline
