// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>

namespace ss::bpf {

// The clsact qdisc TC programs hang on, created if the interface has none. It is left in
// place afterwards: removing it would also remove every other TC program on the interface
// (a second capture, a CNI's), and an empty clsact qdisc costs nothing. Our own programs
// are detached one by one (TcAttachment). One per interface, outliving its attachments.
class ClsactQdisc {
public:
    ClsactQdisc(int ifindex, const std::string& ifname); // throws EngineError
    ~ClsactQdisc() = default;
    ClsactQdisc(const ClsactQdisc&) = delete;
    ClsactQdisc& operator=(const ClsactQdisc&) = delete;

    int ifindex() const { return ifindex_; }
    const std::string& name() const { return name_; }

private:
    int ifindex_;
    std::string name_;
};

// One program attached to one direction of an interface's clsact qdisc.
class TcAttachment {
public:
    enum class Direction { Ingress, Egress };

    TcAttachment(const ClsactQdisc& qdisc, Direction direction, int programFd); // throws EngineError
    ~TcAttachment();
    TcAttachment(const TcAttachment&) = delete;
    TcAttachment& operator=(const TcAttachment&) = delete;

private:
    int ifindex_;
    Direction direction_;
    unsigned handle_ = 0;
    unsigned priority_ = 0;
};

} // namespace ss::bpf
