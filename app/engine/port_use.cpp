// SPDX-License-Identifier: GPL-2.0-or-later
#include "port_use.h"

#include <algorithm>

namespace ss::fast {

void PortUse::udp(std::uint16_t a, std::uint16_t b, std::uint32_t payloadCaptured)
{
    udp_->set(a);
    udp_->set(b);
    if (payloadCaptured == 0 || overflow_) {
        udpLone_->set(a);
        udpLone_->set(b);
        return;
    }
    const std::uint32_t pair = a < b ? std::uint32_t(a) << 16 | b : std::uint32_t(b) << 16 | a;
    if (lastValid_ && pair == last_) // a flow's datagrams mostly come in runs
        return;
    last_ = pair;
    lastValid_ = true;
    insert(pair);
}

void PortUse::insert(std::uint32_t pair)
{
    if ((setCount_ + 1) * 2 > set_.size()) {
        std::vector<std::uint64_t> old = std::move(set_);
        set_.assign(old.empty() ? 4096 : old.size() * 2, 0);
        setCount_ = 0;
        for (const std::uint64_t v : old)
            if (v)
                insert(std::uint32_t(v - 1));
    }
    const std::size_t mask = set_.size() - 1;
    for (std::size_t i = (std::uint64_t(pair) * 0x9e3779b97f4a7c15ull >> 20) & mask;; i = (i + 1) & mask) {
        if (set_[i] == std::uint64_t(pair) + 1)
            return;
        if (!set_[i]) {
            set_[i] = std::uint64_t(pair) + 1;
            if (++setCount_ > kMaxPairs)
                overflow();
            return;
        }
    }
}

void PortUse::overflow()
{
    overflow_ = true;
    std::vector<std::uint64_t>().swap(set_);
    setCount_ = 0;
    *udpLone_ = *udp_;
}

void PortUse::finish()
{
    pairs_.clear();
    if (overflow_)
        return;
    pairs_.reserve(setCount_);
    for (const std::uint64_t v : set_)
        if (v)
            pairs_.push_back(std::uint32_t(v - 1));
    std::sort(pairs_.begin(), pairs_.end());
}

void PortUse::merge(const PortUse& other)
{
    *tcp_ |= *other.tcp_;
    *udp_ |= *other.udp_;
    *udpLone_ |= *other.udpLone_;
    lastValid_ = false;
    if (other.overflow_ && !overflow_)
        overflow();
    if (overflow_) {
        *udpLone_ = *udp_;
        return;
    }
    for (const std::uint64_t v : other.set_)
        if (v && !overflow_)
            insert(std::uint32_t(v - 1));
}

} // namespace ss::fast
