// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

#include "random_access.h"

namespace ss::ui {

// Which packets File → Export Specified Packets writes, as Wireshark's packet range box
// chooses them: all, the selected one, the marked ones, first to last marked, or a range
// ("1-10,15,20-"); of the captured or of the displayed packets (time references count as
// displayed, as in Wireshark); optionally without the ignored ones.
struct PacketRange {
    enum class Scope { All, Selected, Marked, FirstToLastMarked, Range };
    Scope scope = Scope::All;
    QString range;
    bool displayedOnly = true;
    bool removeIgnored = false;
};

struct PacketRangeInput {
    std::size_t total = 0;                        // frames in the file
    const std::vector<std::uint32_t>* displayed;  // ascending
    std::uint32_t selected = 0;                   // 0: none
    std::function<bool(std::uint32_t, RandomAccessCapture::Flag)> flag;
};

// The frames `range` selects, ascending. A range text that does not parse gives an empty
// list with `error` set (naming the bad part).
std::vector<std::uint32_t> selectFrames(const PacketRange& range, const PacketRangeInput& input, QString* error);

} // namespace ss::ui
