// SPDX-License-Identifier: GPL-2.0-or-later
#include "expert_tap.h"

#include "error.h"

namespace ss {

ExpertTap::ExpertTap(const std::string& filter)
{
    GString* error = register_tap_listener("expert", this, filter.empty() ? nullptr : filter.c_str(), 0, resetThunk,
                                           packetThunk, drawThunk, nullptr);
    if (error) {
        std::string message = error->str;
        g_string_free(error, TRUE);
        throw EngineError("register expert tap", filter, message);
    }
}

ExpertTap::~ExpertTap()
{
    remove_tap_listener(this);
}

ExpertTap::Level ExpertTap::levelOf(int severity)
{
    switch (severity) {
    case PI_ERROR: return Error;
    case PI_WARN: return Warning;
    case PI_NOTE: return Note;
    case PI_CHAT: return Chat;
    default: return Comment;
    }
}

const char* ExpertTap::levelName(Level level)
{
    static const char* const kNames[kLevels] = {"Comment", "Chat", "Note", "Warning", "Error"};
    return kNames[level];
}

std::string ExpertTap::groupName(int group)
{
    char* name = val_to_str_wmem(nullptr, static_cast<guint32>(group), expert_group_vals, "Unknown (%d)");
    std::string out = name;
    wmem_free(nullptr, name);
    return out;
}

tap_packet_status ExpertTap::packetThunk(void* self, packet_info* pinfo, epan_dissect_t*, const void* data,
                                         tap_flags_t)
{
    const auto* info = static_cast<const expert_info_t*>(data);
    if (!info || !info->protocol || !info->summary)
        return TAP_PACKET_DONT_REDRAW;
    auto* tap = static_cast<ExpertTap*>(self);
    const Level l = levelOf(info->severity);
    std::string key = std::string(info->protocol) + '\0' + info->summary;
    auto [it, added] = tap->index_[l].try_emplace(std::move(key), tap->entries_[l].size());
    if (added)
        tap->entries_[l].push_back(Entry{info->group, info->protocol, info->summary, info->hf_index, {}});
    tap->entries_[l][it->second].frames.push_back(pinfo->num);
    return TAP_PACKET_REDRAW;
}

void ExpertTap::resetThunk(void* self)
{
    auto* tap = static_cast<ExpertTap*>(self);
    for (int l = 0; l < kLevels; ++l) {
        tap->entries_[l].clear();
        tap->index_[l].clear();
    }
}

void ExpertTap::drawThunk(void* self)
{
    auto* tap = static_cast<ExpertTap*>(self);
    if (tap->draw_)
        tap->draw_(*tap);
}

} // namespace ss
