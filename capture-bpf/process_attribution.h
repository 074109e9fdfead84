// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
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
    explicit ProcessAttribution(int ownersMapFd) : ownersFd_(ownersMapFd) {}

    // Empty when the packet is not TCP/UDP over IP or its connection has no known owner;
    // else the owner's cgroup id goes to `cgroupId` (when given).
    std::vector<std::string> comments(const ss_packet_event& event, const std::uint8_t* data,
                                      std::uint64_t* cgroupId = nullptr);

    // The flow key of an Ethernet frame as seen from its local end (exposed for tests).
    static bool flowKey(const std::uint8_t* data, std::uint32_t length, bool ingress, ss_flow_key* key);

private:
    struct Process {
        std::string exe, args, parentExe, parentArgs;
        std::uint32_t ppid = 0;
        bool gone = false; // exited before it was looked up
    };
    const Process& process(std::uint32_t pid, const char* comm);

    int ownersFd_;
    std::map<std::uint32_t, Process> processes_;
};

} // namespace ss::bpf
