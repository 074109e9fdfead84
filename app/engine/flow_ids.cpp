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
    auto* bytes = reinterpret_cast<std::uint8_t*>(k.data());
    const std::size_t n = std::size_t(e.addressBytes);
    const int c = std::memcmp(e.src, e.dst, n);
    *srcFirst = c < 0 || (c == 0 && e.srcPort <= e.dstPort);
    const std::uint8_t* a = *srcFirst ? e.src : e.dst;
    const std::uint8_t* b = *srcFirst ? e.dst : e.src;
    const std::uint16_t pa = *srcFirst ? e.srcPort : e.dstPort;
    const std::uint16_t pb = *srcFirst ? e.dstPort : e.srcPort;
    std::memcpy(bytes, a, n);
    std::memcpy(bytes + 16, b, n);
    std::memcpy(bytes + 32, &pa, 2);
    std::memcpy(bytes + 34, &pb, 2);
    bytes[36] = std::uint8_t(n);
    return k;
}

std::uint32_t FlowIds::tcp(const Endpoints& e, std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, bool quoted)
{
    using namespace tcp_flags;
    bool srcFirst = false;
    const Key key = keyOf(e, &srcFirst);
    bool fresh = false;
    TcpConversation* conv = &tcp_.at(key, &fresh);
    if (fresh)
        conv->stream = nextTcp_++;
    const int fwdIndex = direction(e) >= 0 ? 0 : 1;
    if ((flags & (Syn | Ack)) == Syn && conv->flow[fwdIndex].baseSet && seq != conv->flow[fwdIndex].base) {
        *conv = TcpConversation{}; // port reuse: a new conversation takes the 4-tuple
        conv->stream = nextTcp_++;
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
    bool srcFirst = false, fresh = false;
    std::uint32_t& stream = udp_.at(keyOf(e, &srcFirst), &fresh);
    if (fresh)
        stream = nextUdp_++;
    return stream;
}

} // namespace ss::fast
