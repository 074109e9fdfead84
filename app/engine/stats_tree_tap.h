// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <string>

#include "epan_includes.h"

struct _stats_tree;

namespace ss {

// One of epan's registered statistics trees ("http", "http_req", "dns", "ptype", "plen", ...:
// the trees dissectors and the stats_tree plugin register) listening while packets are
// dissected. Registration and removal are RAII; the counting is epan's own, so the numbers
// are the ones Wireshark's Statistics menu and `tshark -z NAME,tree` show.
class StatsTreeTap {
public:
    // `name` is the tree's abbreviation; `filter` an optional display filter limiting the
    // packets counted. Throws EngineError for an unknown tree or a bad filter.
    StatsTreeTap(const std::string& name, const std::string& filter);
    ~StatsTreeTap();
    StatsTreeTap(const StatsTreeTap&) = delete;
    StatsTreeTap& operator=(const StatsTreeTap&) = delete;

    // Called by epan when taps are drawn (draw_tap_listeners).
    void onDraw(std::function<void(const StatsTreeTap&)> draw) { draw_ = std::move(draw); }

    // The tree as plain text (tshark's layout), in the tree's default order.
    std::string text() const;
    // epan's tree, for the GUI's table: root, columns and node values.
    const _stats_tree* tree() const { return tree_; }

    // True when `name` is the abbreviation of a registered tree.
    static bool exists(const std::string& name);

private:
    static void drawThunk(void* tree);

    _stats_tree* tree_ = nullptr;
    std::function<void(const StatsTreeTap&)> draw_;
};

} // namespace ss
