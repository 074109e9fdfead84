// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>
#include <vector>

#include "packet_capturer.h"

namespace ss::bpf {

// Whether TC hands this device's packets over with an Ethernet header (Ethernet, veth,
// bridges, loopback): the only framing the capture writes (LINKTYPE_ETHERNET) and parses.
bool ethernetFramed(const std::string& name);

// Whether the device is a loopback (IFF_LOOPBACK).
bool isLoopback(const std::string& name);

// The interfaces that are up and Ethernet-framed, in index order: what a capture without
// -i takes, at its start and again as interfaces come up. `skipped` gets the names of up
// interfaces with another framing.
std::vector<PacketCapturer::Interface> upInterfaces(std::vector<std::string>* skipped = nullptr);

} // namespace ss::bpf
