// SPDX-License-Identifier: GPL-2.0-or-later
// The TCP and UDP ports a scan of the headers met, kept so that the caller can ask epan,
// once the scan is over, which dissectors those packets would reach. TCP ports are kept one
// by one (epan tries the server port seen on the SYN first, which may be either of the two).
// UDP datagrams with a payload are kept as distinct (lower, higher) port pairs, because
// epan's UDP dissector tries the lower port first and the higher one only when the lower
// port's dissector refuses the datagram (packet-udp.c, decode_udp_ports): a DNS query from
// port 37008 is DNS, not TZSP. No epan here: it runs beside epan's start.
#pragma once

#include <bitset>
#include <cstdint>
#include <memory>
#include <vector>

namespace ss::fast {

class PortUse {
public:
    void tcp(std::uint16_t a, std::uint16_t b)
    {
        tcp_->set(a);
        tcp_->set(b);
    }
    // A datagram between ports a and b, with `payloadCaptured` bytes after the UDP header.
    void udp(std::uint16_t a, std::uint16_t b, std::uint32_t payloadCaptured);
    // Lists the distinct pairs, sorted: call once at the end of the scan.
    void finish();
    // Adds what another scan (of other frames of the same file) met, before finish().
    void merge(const PortUse& other);

    const std::bitset<65536>& tcpPorts() const { return *tcp_; }
    // The UDP ports judged one by one: those of datagrams without captured payload (no
    // dissector can find anything in those, but they are judged all the same), and every
    // UDP port seen once there were more than kMaxPairs distinct pairs (`pairsOverflow`).
    const std::bitset<65536>& udpLonePorts() const { return *udpLone_; }
    // Distinct UDP port pairs (lower << 16 | higher), sorted; made by finish().
    static constexpr std::size_t kMaxPairs = 1u << 20;
    const std::vector<std::uint32_t>& udpPairs() const { return pairs_; }
    bool pairsOverflow() const { return overflow_; }

private:
    void insert(std::uint32_t pair);
    void overflow();

    std::unique_ptr<std::bitset<65536>> tcp_ = std::make_unique<std::bitset<65536>>();
    std::unique_ptr<std::bitset<65536>> udp_ = std::make_unique<std::bitset<65536>>();
    std::unique_ptr<std::bitset<65536>> udpLone_ = std::make_unique<std::bitset<65536>>();
    // The distinct pairs while counting: open addressing, a pair kept as pair + 1 (0: empty).
    std::vector<std::uint64_t> set_;
    std::size_t setCount_ = 0;
    std::vector<std::uint32_t> pairs_;
    std::uint32_t last_ = 0xffffffffu;
    bool lastValid_ = false;
    bool overflow_ = false;
};

} // namespace ss::fast
