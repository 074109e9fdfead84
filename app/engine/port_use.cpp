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
    if (pair == last_) // a flow's datagrams mostly come in runs
        return;
    last_ = pair;
    pairs_.push_back(pair);
    if (pairs_.size() >= compactAt_)
        compact();
}

void PortUse::compact()
{
    std::sort(pairs_.begin(), pairs_.end());
    pairs_.erase(std::unique(pairs_.begin(), pairs_.end()), pairs_.end());
    if (pairs_.size() > kMaxPairs) {
        overflow_ = true;
        std::vector<std::uint32_t>().swap(pairs_);
        *udpLone_ = *udp_;
        return;
    }
    compactAt_ = std::max(kMaxPairs, 2 * pairs_.size());
}

void PortUse::finish()
{
    if (!overflow_)
        compact();
}

} // namespace ss::fast
