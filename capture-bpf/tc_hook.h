// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>

namespace ss::bpf {

// The clsact qdisc TC programs hang on. Created if the interface has none, and then
// removed again by the destructor: a classic TC filter would otherwise outlive the helper
// (notes §4). One per interface, outliving its attachments.
class ClsactQdisc {
public:
    ClsactQdisc(int ifindex, const std::string& ifname); // throws EngineError
    ~ClsactQdisc();
    ClsactQdisc(const ClsactQdisc&) = delete;
    ClsactQdisc& operator=(const ClsactQdisc&) = delete;

    int ifindex() const { return ifindex_; }
    const std::string& name() const { return name_; }

private:
    int ifindex_;
    std::string name_;
    bool created_ = false;
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
