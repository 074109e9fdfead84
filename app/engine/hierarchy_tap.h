// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "epan_includes.h"
#include "mergeable_tap.h"

namespace ss {

// Protocol hierarchy statistics (Wireshark's Statistics → Protocol Hierarchy, tshark's
// `-z io,phs`): every packet's top-level protocol layers, as a tree of protocol paths with
// the frames and bytes that reached each. Children keep the order they were first seen in.
class HierarchyTap : public MergeableTap {
public:
    struct Node {
        int protocolId = -1;
        std::string abbrev; // "eth", "ip", "tcp"
        guint64 frames = 0;
        guint64 bytes = 0;
        guint32 firstFrame = 0; // the frame that first reached this node
        std::vector<std::unique_ptr<Node>> children;
    };

    // `filter`: an optional display filter limiting the packets counted. Throws EngineError.
    explicit HierarchyTap(const std::string& filter = {});
    ~HierarchyTap() override;
    HierarchyTap(const HierarchyTap&) = delete;
    HierarchyTap& operator=(const HierarchyTap&) = delete;

    void onDraw(std::function<void(const HierarchyTap&)> draw) { draw_ = std::move(draw); }

    const std::string& filter() const { return filter_; }
    const std::vector<std::unique_ptr<Node>>& roots() const { return root_.children; }

    // The counts as text, one node a line, depth first — for a process that read other
    // frames of the same file (dissection in parallel) to merge().
    std::string serialize() const override;
    // Adds the counts another process's tap (same filter, same epan) serialized: frames and
    // bytes summed, each level's children in the order of their first frame — what one
    // process counting every frame would hold. False, nothing changed, on malformed text.
    bool merge(std::string_view text) override;

private:
    static tap_packet_status packetThunk(void* self, packet_info*, epan_dissect_t*, const void*, tap_flags_t);
    static void resetThunk(void* self);
    static void drawThunk(void* self);

    std::string filter_;
    Node root_;
    std::function<void(const HierarchyTap&)> draw_;
};

} // namespace ss
