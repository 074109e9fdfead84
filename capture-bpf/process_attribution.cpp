// SPDX-License-Identifier: GPL-2.0-or-later
#include "process_attribution.h"

#include "read_file.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iterator>

namespace ss::bpf {
namespace {

std::uint16_t be16(const std::uint8_t* p)
{
    return std::uint16_t(p[0] << 8 | p[1]);
}

// A process can exit while its file is read: then whatever was read, or nothing.
std::string readProc(std::uint32_t pid, const char* what)
{
    return readSmallFile("/proc/" + std::to_string(pid) + "/" + what).value_or(std::string());
}

std::string exePath(std::uint32_t pid)
{
    char buf[4096];
    const ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, std::size_t(n)) : std::string();
}

std::string commandLine(std::uint32_t pid)
{
    std::string args = readProc(pid, "cmdline");
    while (!args.empty() && args.back() == '\0')
        args.pop_back();
    for (char& c : args)
        if (c == '\0')
            c = ' ';
    return args;
}

std::uint32_t parentPid(std::uint32_t pid)
{
    const std::string status = readProc(pid, "status");
    const auto at = status.find("\nPPid:");
    return at == std::string::npos ? 0 : std::uint32_t(std::strtoul(status.c_str() + at + 6, nullptr, 10));
}

} // namespace

bool ProcessAttribution::flowKey(const std::uint8_t* d, std::uint32_t length, bool ingress, ss_flow_key* key)
{
    std::memset(key, 0, sizeof *key);
    if (length < 14)
        return false;
    std::uint32_t offset = 14;
    std::uint16_t type = be16(d + 12);
    if (type == 0x8100 && length >= 18) { // one VLAN tag
        type = be16(d + 16);
        offset = 18;
    }
    const std::uint8_t* src = nullptr;
    const std::uint8_t* dst = nullptr;
    std::size_t addrLen = 0;
    std::uint32_t l4 = 0;
    if (type == 0x0800 && length >= offset + 20) {
        const std::uint32_t ihl = (d[offset] & 0x0f) * 4u;
        key->family = 2;
        key->protocol = d[offset + 9];
        src = d + offset + 12;
        dst = d + offset + 16;
        addrLen = 4;
        l4 = offset + ihl;
    } else if (type == 0x86dd && length >= offset + 40) {
        key->family = 10;
        key->protocol = d[offset + 6]; // extension headers are not followed
        src = d + offset + 8;
        dst = d + offset + 24;
        addrLen = 16;
        l4 = offset + 40;
    } else {
        return false;
    }
    if ((key->protocol != 6 && key->protocol != 17) || length < l4 + 4)
        return false;
    const std::uint16_t sport = be16(d + l4), dport = be16(d + l4 + 2);
    std::memcpy(key->local_addr, ingress ? dst : src, addrLen);
    std::memcpy(key->remote_addr, ingress ? src : dst, addrLen);
    key->local_port = ingress ? dport : sport;
    key->remote_port = ingress ? sport : dport;
    return true;
}

const ProcessAttribution::Process& ProcessAttribution::process(std::uint32_t pid, const char* comm)
{
    auto it = processes_.find(pid);
    if (it != processes_.end())
        return it->second;
    Process p;
    p.exe = exePath(pid);
    if (p.exe.empty()) {
        p.exe = comm; // already gone: the kernel's name is what is left
        p.gone = true;
    }
    p.args = commandLine(pid);
    p.ppid = parentPid(pid);
    if (p.ppid) {
        p.parentExe = exePath(p.ppid);
        p.parentArgs = commandLine(p.ppid);
    }
    if (processes_.size() > 4096)
        processes_.clear();
    return processes_.emplace(pid, std::move(p)).first->second;
}

const std::vector<std::string>& ProcessAttribution::comments(const ss_packet_event& event, const std::uint8_t* data)
{
    static const std::vector<std::string> kNone;
    ss_owner owner{};
    ss_flow_key key;
    bool haveKey = false;
    if (event.owner_source != SS_OWNER_NONE) {
        owner.id = event.owner; // found by the kernel as the packet passed
    } else {
        haveKey = flowKey(data, event.caplen, event.direction == SS_DIR_INGRESS, &key);
        if (!haveKey || bpf_map_lookup_elem(ownersFd_, &key, &owner) != 0)
            return kNone; // and not recorded since (the process sent or received after the packet)
    }
    OwnerKey cacheKey{owner.id.tgid, owner.id.tid, owner.id.uid, owner.id.cgroup_id, {}};
    std::memcpy(cacheKey.comm.data(), owner.id.comm, sizeof owner.id.comm);
    if (const auto it = cache_.find(cacheKey); it != cache_.end())
        return it->second;

    char comm[sizeof owner.id.comm + 1] = {};
    std::memcpy(comm, owner.id.comm, sizeof owner.id.comm);
    const Process& p = process(owner.id.tgid, comm);
    std::string args = p.args;
    if (args.empty() && !owner.args_len && !haveKey)
        haveKey = flowKey(data, event.caplen, event.direction == SS_DIR_INGRESS, &key);
    ss_owner recorded{};
    if (args.empty() && haveKey && !owner.args_len && bpf_map_lookup_elem(ownersFd_, &key, &recorded) == 0 &&
        recorded.id.tgid == owner.id.tgid)
        owner = recorded; // gone already: what the kernel read of its command line
    std::string exe = p.exe;
    if (args.empty() && owner.args_len) {
        args.assign(owner.args, std::min<std::size_t>(owner.args_len, sizeof owner.args));
        if (p.gone && args[0] == '/')
            exe = args.c_str(); // the program as it was started: its first argument
        while (!args.empty() && args.back() == '\0')
            args.pop_back();
        for (char& c : args)
            if (c == '\0')
                c = ' ';
    }
    std::string proc = "PID: " + std::to_string(owner.id.tgid) + "\nCmd: " + exe;
    if (!args.empty())
        proc += "\nArgs: " + args;
    std::vector<std::string> out{proc,
                                 "ThreadId: " + std::to_string(owner.id.tid) + "\nThreadName: " + comm +
                                     "\nUserId: " + std::to_string(owner.id.uid) +
                                     "\nCgroupId: " + std::to_string(owner.id.cgroup_id)};
    if (p.ppid) {
        std::string parent = "ParentPID: " + std::to_string(p.ppid);
        if (!p.parentExe.empty())
            parent += "\nParentCmd: " + p.parentExe;
        if (!p.parentArgs.empty())
            parent += "\nParentArgs: " + p.parentArgs;
        out.push_back(parent);
    }
    bool keep = true;
    if (cgroupComments_) {
        auto more = cgroupComments_(owner.id.cgroup_id);
        keep = more.has_value();
        for (std::string& c : more.value_or(std::vector<std::string>{}))
            out.push_back(std::move(c));
    }
    if (!keep) { // asked again for the next packet
        uncached_ = std::move(out);
        return uncached_;
    }
    if (cache_.size() > 4096)
        cache_.clear();
    return cache_.emplace(cacheKey, std::move(out)).first->second;
}

} // namespace ss::bpf
