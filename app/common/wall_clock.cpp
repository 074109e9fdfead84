// SPDX-License-Identifier: GPL-2.0-or-later
#include "wall_clock.h"

#include <ctime>

namespace ss {

std::uint64_t wallClockNs()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000ull + std::uint64_t(ts.tv_nsec);
}

} // namespace ss
