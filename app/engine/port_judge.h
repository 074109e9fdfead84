// SPDX-License-Identifier: GPL-2.0-or-later
// What epan would hand the TCP and UDP ports a header scan met (port_use.h) to, judged
// against a list of protocols the caller cannot let through: those that find packets inside
// the payload (tunnels: their inner conversations count too, and their two directions are
// two outer flows) and those that set up conversations for other flows (SIP/SDP, FTP, ...).
// The statistics fast path refuses exactly these; the parallel reader refuses a few more
// protocols whose state crosses flows and passes them as `alsoRefused`.
//
// A UDP datagram is judged as packet-udp.c dispatches it: ports changed by Decode As first
// (lower, then higher), then the lower port, then the higher; the first dissector that
// accepts ends it. Only dissectors read to accept every non-empty datagram end the walk
// (DNS, mDNS, LLMNR, NTP, syslog); after any other the next port is judged too. TCP ports
// are judged one by one (the server port of the SYN, either one, goes first). Needs epan.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "port_use.h"

namespace ss {

// Empty when no port of `use` can reach a refused dissector; else which port and why.
std::string refusedPort(const fast::PortUse& use, std::span<const std::string_view> alsoRefused = {});

} // namespace ss
