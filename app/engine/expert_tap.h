// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <array>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "epan_includes.h"
#include "mergeable_tap.h"

namespace ss {

// epan's expert information while packets are dissected: every expert item grouped as
// Wireshark's Analyze → Expert Information groups them (severity, then protocol and summary,
// in the order first seen), with the frames that carry each.
class ExpertTap : public MergeableTap {
public:
    enum Level { Comment, Chat, Note, Warning, Error, kLevels };
    struct Entry {
        int group = 0;
        std::string protocol;
        std::string summary;
        int hfIndex = -1;
        std::vector<guint32> frames; // one per occurrence, in dissection order
        std::size_t seenOrder = 0;   // its place among the entries first seen in its first frame
    };

    // `filter`: an optional display filter limiting the packets looked at. Throws EngineError.
    explicit ExpertTap(const std::string& filter = {});
    ~ExpertTap() override;
    ExpertTap(const ExpertTap&) = delete;
    ExpertTap& operator=(const ExpertTap&) = delete;

    void onDraw(std::function<void(const ExpertTap&)> draw) { draw_ = std::move(draw); }

    const std::vector<Entry>& entries(Level level) const { return entries_[level]; }

    // Every entry with its frames, for a process that read other frames of the same file.
    std::string serialize() const override;
    // Adds another process's entries: occurrences joined, each level in the order of first
    // occurrence (first frame, then the order seen within it) as one process would hold them.
    bool merge(std::string_view text) override;
    static Level levelOf(int severity);                    // PI_NOTE → Note
    static const char* levelName(Level level);             // "Note"
    static std::string groupName(int group);               // PI_SEQUENCE → "Sequence"

private:
    static tap_packet_status packetThunk(void* self, packet_info*, epan_dissect_t*, const void* data, tap_flags_t);
    static void resetThunk(void* self);
    static void drawThunk(void* self);

    std::array<std::vector<Entry>, kLevels> entries_;
    std::array<std::unordered_map<std::string, size_t>, kLevels> index_; // protocol NUL summary → entry
    std::function<void(const ExpertTap&)> draw_;
};

} // namespace ss
