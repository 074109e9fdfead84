// SPDX-License-Identifier: GPL-2.0-or-later
#include "tc_hook.h"

#include "error.h"

#include <bpf/libbpf.h>
#include <net/if.h>

#include <cerrno>
#include <cstring>

namespace ss::bpf {
namespace {

bpf_tc_hook hookFor(int ifindex, bpf_tc_attach_point point)
{
    bpf_tc_hook hook{};
    hook.sz = sizeof hook;
    hook.ifindex = ifindex;
    hook.attach_point = point;
    return hook;
}

bpf_tc_attach_point pointOf(TcAttachment::Direction d)
{
    return d == TcAttachment::Direction::Ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS;
}

} // namespace

ClsactQdisc::ClsactQdisc(int ifindex, const std::string& ifname) : ifindex_(ifindex), name_(ifname)
{
    bpf_tc_hook hook = hookFor(ifindex, BPF_TC_INGRESS);
    const int err = bpf_tc_hook_create(&hook);
    if (err && err != -EEXIST)
        throw EngineError("create clsact qdisc", ifname, std::strerror(-err));
}

TcAttachment::TcAttachment(const ClsactQdisc& qdisc, Direction direction, int programFd)
    : ifindex_(qdisc.ifindex()), direction_(direction)
{
    bpf_tc_hook hook = hookFor(ifindex_, pointOf(direction));
    bpf_tc_opts opts{};
    opts.sz = sizeof opts;
    opts.prog_fd = programFd;
    if (const int err = bpf_tc_attach(&hook, &opts))
        throw EngineError(std::string("attach TC ") + (direction == Direction::Ingress ? "ingress" : "egress"),
                          qdisc.name(), std::strerror(-err));
    handle_ = opts.handle;
    priority_ = opts.priority;
}

TcAttachment::~TcAttachment()
{
    bpf_tc_hook hook = hookFor(ifindex_, pointOf(direction_));
    bpf_tc_opts opts{};
    opts.sz = sizeof opts;
    opts.handle = handle_;
    opts.priority = priority_;
    bpf_tc_detach(&hook, &opts);
}

} // namespace ss::bpf
