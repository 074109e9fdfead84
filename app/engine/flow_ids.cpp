// SPDX-License-Identifier: GPL-2.0-or-later
#include "flow_ids.h"

#include <cstring>

#include "frame_headers.h"

namespace ss::fast {

int FlowIds::direction(const Endpoints& e)
{
    const int c = std::memcmp(e.src, e.dst, std::size_t(e.addressBytes));
    if (c != 0)
        return c;
    return e.srcPort > e.dstPort ? 1 : -1;
}

FlowIds::Key FlowIds::keyOf(const Endpoints& e, bool* srcFirst)
{
    Key k{};
    const std::size_t n = std::size_t(e.addressBytes);
    const int c = std::memcmp(e.src, e.dst, n);
    *srcFirst = c < 0 || (c == 0 && e.srcPort <= e.dstPort);
    const std::uint8_t* a = *srcFirst ? e.src : e.dst;
    const std::uint8_t* b = *srcFirst ? e.dst : e.src;
    const std::uint16_t pa = *srcFirst ? e.srcPort : e.dstPort;
    const std::uint16_t pb = *srcFirst ? e.dstPort : e.srcPort;
    std::memcpy(k.data(), a, n);
    std::memcpy(k.data() + 16, b, n);
    k[32] = std::uint8_t(pa >> 8);
    k[33] = std::uint8_t(pa);
    k[34] = std::uint8_t(pb >> 8);
    k[35] = std::uint8_t(pb);
    k[36] = std::uint8_t(n);
    return k;
}

std::uint32_t FlowIds::tcp(const Endpoints& e, std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, bool quoted)
{
    using namespace tcp_flags;
    bool srcFirst = false;
    const Key key = keyOf(e, &srcFirst);
    auto [it, fresh] = tcp_.try_emplace(key);
    if (fresh)
        it->second.stream = nextTcp_++;
    const int fwdIndex = direction(e) >= 0 ? 0 : 1;
    TcpConversation* conv = &it->second;
    if ((flags & (Syn | Ack)) == Syn && conv->flow[fwdIndex].baseSet && seq != conv->flow[fwdIndex].base) {
        it->second = TcpConversation{}; // port reuse: a new conversation takes the 4-tuple
        it->second.stream = nextTcp_++;
        conv = &it->second;
    }
    Direction& fwd = conv->flow[fwdIndex];
    Direction& rev = conv->flow[1 - fwdIndex];
    if ((flags & (Syn | Ack)) == (Syn | Ack) && fwd.baseSet && seq != fwd.base)
        fwd.base = seq;
    if (!quoted) {
        if (!fwd.baseSet) {
            fwd.base = (flags & Syn) ? seq : seq - 1;
            fwd.baseSet = true;
        }
        if (!rev.baseSet && (flags & Ack)) {
            rev.base = ack - 1;
            rev.baseSet = true;
        }
    }
    return conv->stream;
}

std::uint32_t FlowIds::udp(const Endpoints& e)
{
    bool srcFirst = false;
    auto [it, fresh] = udp_.try_emplace(keyOf(e, &srcFirst));
    if (fresh)
        it->second = nextUdp_++;
    return it->second;
}

} // namespace ss::fast
