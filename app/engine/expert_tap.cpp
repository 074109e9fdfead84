// SPDX-License-Identifier: GPL-2.0-or-later
#include "expert_tap.h"

#include "error.h"

#include <algorithm>
#include <tuple>

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
        tap->entries_[l].push_back(
            Entry{info->group, info->protocol, info->summary, info->hf_index, {}, tap->entries_[l].size()});
    tap->entries_[l][it->second].frames.push_back(pinfo->num);
    return TAP_PACKET_REDRAW;
}

namespace {

constexpr std::size_t kMaxText = 1u << 20; // a protocol name or summary: epan's are far shorter

} // namespace

// Per entry: "LEVEL GROUP HF FRAMES PROTOCOL-BYTES SUMMARY-BYTES SEEN\n", the protocol and
// the summary (any bytes), then each frame number followed by a space, then "\n".
std::string ExpertTap::serialize() const
{
    std::string out;
    for (int l = 0; l < kLevels; ++l)
        for (const Entry& e : entries_[l]) {
            out += std::to_string(l) + ' ' + std::to_string(e.group) + ' ' + std::to_string(e.hfIndex) + ' ' +
                   std::to_string(e.frames.size()) + ' ' + std::to_string(e.protocol.size()) + ' ' +
                   std::to_string(e.summary.size()) + ' ' + std::to_string(e.seenOrder) + '\n';
            out += e.protocol;
            out += e.summary;
            for (const guint32 f : e.frames)
                out += std::to_string(f) + ' ';
            out += '\n';
        }
    return out;
}

bool ExpertTap::merge(std::string_view text)
{
    std::array<std::vector<Entry>, kLevels> parsed;
    while (!text.empty()) {
        int l = 0;
        Entry e;
        std::size_t frames = 0, protocolBytes = 0, summaryBytes = 0;
        if (!readNumber(text, l, ' ') || l < 0 || l >= kLevels || !readNumber(text, e.group, ' ') ||
            !readNumber(text, e.hfIndex, ' ') || !readNumber(text, frames, ' ') || !readNumber(text, protocolBytes, ' ') ||
            !readNumber(text, summaryBytes, ' ') || !readNumber(text, e.seenOrder, '\n') || frames == 0 ||
            frames > text.size() || protocolBytes > kMaxText || summaryBytes > kMaxText ||
            protocolBytes + summaryBytes > text.size())
            return false;
        e.protocol = std::string(text.substr(0, protocolBytes));
        e.summary = std::string(text.substr(protocolBytes, summaryBytes));
        text.remove_prefix(protocolBytes + summaryBytes);
        e.frames.resize(frames);
        for (guint32& f : e.frames)
            if (!readNumber(text, f, ' '))
                return false;
        if (text.empty() || text.front() != '\n')
            return false;
        text.remove_prefix(1);
        parsed[std::size_t(l)].push_back(std::move(e));
    }
    for (int l = 0; l < kLevels; ++l) {
        for (Entry& e : parsed[l]) {
            std::string key = e.protocol + '\0' + e.summary;
            auto [it, added] = index_[l].try_emplace(std::move(key), entries_[l].size());
            if (added) {
                entries_[l].push_back(std::move(e));
                continue;
            }
            Entry& into = entries_[l][it->second];
            if (e.frames.front() < into.frames.front()) { // the other process saw it first
                into.seenOrder = e.seenOrder;
                into.group = e.group;
                into.hfIndex = e.hfIndex;
            }
            into.frames.insert(into.frames.end(), e.frames.begin(), e.frames.end());
            std::sort(into.frames.begin(), into.frames.end());
        }
        // First frame, then the order within it: one frame's entries all come from one
        // process (its flow's), so their seen orders compare.
        std::stable_sort(entries_[l].begin(), entries_[l].end(), [](const Entry& a, const Entry& b) {
            return std::tie(a.frames.front(), a.seenOrder) < std::tie(b.frames.front(), b.seenOrder);
        });
        index_[l].clear();
        for (std::size_t i = 0; i < entries_[l].size(); ++i)
            index_[l].emplace(entries_[l][i].protocol + '\0' + entries_[l][i].summary, i);
    }
    return true;
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
