// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "packet_capture.h"

namespace ss::bpf {

// Turns a captured packet into the metadata comments of docs/FORMAT.md §1 ("PID: …",
// "Cmd: …", …). The kernel names the owner as the packet passes (packet_capture.bpf.c:
// connection, socket creator, listener); a packet it had none for is looked up again in
// the owner map when it is written, 100 ms later, by (src, dst) for outgoing packets and
// (dst, src) for incoming ones, so both directions name the local process. What /proc
// says about a process is cached; a process that is gone keeps its kernel `comm` and the
// start of the command line the kernel read.
class ProcessAttribution {
public:
    // `cgroupComments`: more comments for the owner's cgroup (its container and pod);
    // nullopt while the cgroup is unknown (the owner's comments are then not kept).
    using CgroupComments = std::function<std::optional<std::vector<std::string>>(std::uint64_t cgroupId)>;
    explicit ProcessAttribution(int ownersMapFd, CgroupComments cgroupComments = {})
        : ownersFd_(ownersMapFd), cgroupComments_(std::move(cgroupComments))
    {
    }

    // Empty when the packet is not TCP/UDP over IP or its connection has no known owner.
    // Built once per owner (pid, thread, name, cgroup) and kept until forget().
    const std::vector<std::string>& comments(const ss_packet_event& event, const std::uint8_t* data);
    // Drops what was built (the pod metadata changed).
    void forget() { cache_.clear(); }

    // The flow key of an Ethernet frame as seen from its local end (exposed for tests).
    static bool flowKey(const std::uint8_t* data, std::uint32_t length, bool ingress, ss_flow_key* key);

private:
    struct Process {
        std::string exe, args, parentExe, parentArgs;
        std::uint32_t ppid = 0;
        bool gone = false; // exited before it was looked up
    };
    const Process& process(std::uint32_t pid, const char* comm);

    struct OwnerKey {
        std::uint32_t tgid, tid, uid;
        std::uint64_t cgroupId;
        std::array<char, 16> comm;
        auto operator<=>(const OwnerKey&) const = default;
    };

    int ownersFd_;
    CgroupComments cgroupComments_;
    std::map<std::uint32_t, Process> processes_;
    std::map<OwnerKey, std::vector<std::string>> cache_;
    std::vector<std::string> uncached_;
};

} // namespace ss::bpf
