// SPDX-License-Identifier: GPL-2.0-or-later
#include "stale_programs.h"

#include "proc_pids.h"

#include "read_file.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>

namespace ss::bpf {
namespace {

constexpr const char* kPrefix = "stratoshark_";

struct Filter {
    int ifindex;
    bpf_tc_attach_point point;
    std::uint32_t handle, priority, progId;
    std::string name;
};

// The BPF filters on one clsact hook, from a netlink dump (RTM_GETTFILTER).
std::vector<Filter> bpfFilters(int ifindex, bpf_tc_attach_point point)
{
    std::vector<Filter> out;
    const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return out;
    struct {
        nlmsghdr header;
        tcmsg tc;
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = RTM_GETTFILTER;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = 1;
    request.tc.tcm_family = AF_UNSPEC;
    request.tc.tcm_ifindex = ifindex;
    request.tc.tcm_parent = TC_H_MAKE(TC_H_CLSACT, point == BPF_TC_INGRESS ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
    timeval timeout{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (send(fd, &request, sizeof request, 0) < 0) {
        close(fd);
        return out;
    }
    alignas(nlmsghdr) char buffer[32768];
    for (bool done = false; !done;) {
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        for (auto* h = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(h, std::uint32_t(n)); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                done = true;
                break;
            }
            if (h->nlmsg_type != RTM_NEWTFILTER)
                continue;
            const auto* tc = static_cast<const tcmsg*>(NLMSG_DATA(h));
            int length = int(h->nlmsg_len) - int(NLMSG_LENGTH(sizeof *tc));
            bool isBpf = false;
            std::uint32_t progId = 0;
            for (auto* a = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(NLMSG_DATA(h)) + NLMSG_ALIGN(sizeof *tc));
                 RTA_OK(a, length); a = RTA_NEXT(a, length)) {
                if (a->rta_type == TCA_KIND)
                    isBpf = std::strcmp(static_cast<const char*>(RTA_DATA(a)), "bpf") == 0;
                if (a->rta_type != TCA_OPTIONS)
                    continue;
                int inner = int(RTA_PAYLOAD(a));
                for (auto* o = static_cast<rtattr*>(RTA_DATA(a)); RTA_OK(o, inner); o = RTA_NEXT(o, inner))
                    if (o->rta_type == TCA_BPF_ID)
                        std::memcpy(&progId, RTA_DATA(o), 4);
            }
            if (isBpf && progId && tc->tcm_handle)
                out.push_back({ifindex, point, tc->tcm_handle, TC_H_MAJ(tc->tcm_info) >> 16, progId, {}});
        }
    }
    close(fd);
    return out;
}

// Program ids some live process other than us holds a descriptor of.
std::set<std::uint32_t> heldPrograms()
{
    std::set<std::uint32_t> held;
    const int self = int(getpid());
    forEachPid([&](int pid) {
        if (pid == self)
            return;
        const std::string base = "/proc/" + std::to_string(pid);
        const std::string fds = base + "/fd";
        DIR* dir = opendir(fds.c_str());
        for (dirent* f = dir ? readdir(dir) : nullptr; f; f = readdir(dir)) {
            char target[64];
            const ssize_t n = readlinkat(dirfd(dir), f->d_name, target, sizeof target - 1);
            if (n <= 0 || std::string_view(target, std::size_t(n)) != "anon_inode:bpf-prog")
                continue;
            const auto info = readSmallFile(base + "/fdinfo/" + f->d_name, 4096);
            const auto at = info ? info->find("prog_id:") : std::string::npos;
            if (at != std::string::npos)
                held.insert(std::uint32_t(std::strtoul(info->c_str() + at + 8, nullptr, 10)));
        }
        if (dir)
            closedir(dir);
    });
    return held;
}

std::string programName(std::uint32_t id)
{
    const int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0)
        return {};
    bpf_prog_info info{};
    std::uint32_t length = sizeof info;
    const bool ok = bpf_obj_get_info_by_fd(fd, &info, &length) == 0;
    close(fd);
    return ok ? std::string(info.name) : std::string();
}

} // namespace

std::vector<std::string> removeStalePrograms()
{
    std::vector<Filter> ours;
    struct if_nameindex* list = if_nameindex();
    for (const struct if_nameindex* i = list; i && i->if_index; ++i)
        for (const bpf_tc_attach_point point : {BPF_TC_INGRESS, BPF_TC_EGRESS})
            for (Filter& f : bpfFilters(int(i->if_index), point))
                if ((f.name = programName(f.progId)).rfind(kPrefix, 0) == 0)
                    ours.push_back(f);
    if (list)
        if_freenameindex(list);
    std::vector<std::string> removed;
    if (ours.empty())
        return removed;
    const std::set<std::uint32_t> held = heldPrograms();
    for (const Filter& f : ours) {
        if (held.count(f.progId))
            continue; // a helper that runs: its capture
        bpf_tc_hook hook{};
        hook.sz = sizeof hook;
        hook.ifindex = f.ifindex;
        hook.attach_point = f.point;
        bpf_tc_opts opts{};
        opts.sz = sizeof opts;
        opts.handle = f.handle;
        opts.priority = f.priority;
        char name[IF_NAMESIZE] = "?";
        if_indextoname(unsigned(f.ifindex), name);
        if (bpf_tc_detach(&hook, &opts) == 0)
            removed.push_back(std::string(f.point == BPF_TC_INGRESS ? "ingress" : "egress") + " program " +
                              f.name + " (id " + std::to_string(f.progId) + ") on " + name);
    }
    return removed;
}

} // namespace ss::bpf
