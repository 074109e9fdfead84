// SPDX-License-Identifier: GPL-2.0-or-later
#include "stats_tree_tap.h"

#include "error.h"

namespace ss {

bool StatsTreeTap::exists(const std::string& name)
{
    return stats_tree_get_cfg_by_abbr(name.c_str()) != nullptr;
}

StatsTreeTap::StatsTreeTap(const std::string& name, const std::string& filter)
{
    stats_tree_cfg* cfg = stats_tree_get_cfg_by_abbr(name.c_str());
    if (!cfg)
        throw EngineError("register statistics tree", name, "no statistics tree named \"" + name + "\"");
    // The tree's presentation slot (for user interfaces, unused by epan) leads back here.
    tree_ = stats_tree_new(cfg, reinterpret_cast<tree_pres*>(this), filter.empty() ? nullptr : filter.c_str());
    GString* error = register_tap_listener(cfg->tapname, tree_, tree_->filter, cfg->flags, stats_tree_reset,
                                           stats_tree_packet, drawThunk, nullptr);
    if (error) {
        std::string message = error->str;
        g_string_free(error, TRUE);
        stats_tree_free(tree_);
        tree_ = nullptr;
        throw EngineError("register statistics tree", name, message);
    }
    if (cfg->init)
        cfg->init(tree_);
}

StatsTreeTap::~StatsTreeTap()
{
    if (!tree_)
        return;
    remove_tap_listener(tree_);
    stats_tree_free(tree_);
}

std::string StatsTreeTap::text() const
{
    GString* s = stats_tree_format_as_str(tree_, ST_FORMAT_PLAIN, stats_tree_get_default_sort_col(tree_),
                                          stats_tree_is_default_sort_DESC(tree_));
    std::string out(s->str, s->len);
    g_string_free(s, TRUE);
    return out;
}

void StatsTreeTap::drawThunk(void* tree)
{
    auto* self = reinterpret_cast<StatsTreeTap*>(static_cast<stats_tree*>(tree)->pr);
    if (self->draw_)
        self->draw_(*self);
}

} // namespace ss
