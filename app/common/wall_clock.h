// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>

namespace ss {

// Now, as nanoseconds since the epoch (CLOCK_REALTIME): the time packets and records carry.
std::uint64_t wallClockNs();

} // namespace ss
