// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <string>

#include "epan_includes.h"

namespace ss {

// A listener on one of epan's conversation tables ("eth", "ip", "ipv6", "tcp", "udp", ...)
// while packets are dissected. Registration and removal are RAII; the rows are epan's
// conv_item_t values, exactly what Wireshark's Statistics → Conversations shows, or with
// Kind::Endpoints its endpoint_item_t values (Statistics → Endpoints).
class ConversationTap {
public:
    enum class Kind { Conversations, Endpoints };
    // `table` is a protocol filter name; `filter` an optional display filter limiting the
    // packets counted. Throws EngineError for an unknown table or a bad filter.
    ConversationTap(const std::string& table, const std::string& filter, Kind kind = Kind::Conversations);
    ~ConversationTap();
    ConversationTap(const ConversationTap&) = delete;
    ConversationTap& operator=(const ConversationTap&) = delete;

    // Called by epan when taps are drawn (draw_tap_listeners).
    void onDraw(std::function<void(const ConversationTap&)> draw) { draw_ = std::move(draw); }

    const std::string& typeName() const { return typeName_; } // "TCP", "IPv4", "Ethernet"
    const std::string& filter() const { return filter_; }
    bool hidePorts() const { return hidePorts_; }
    guint count() const { return hash_.conv_array ? hash_.conv_array->len : 0; }
    const conv_item_t& item(guint i) const { return g_array_index(hash_.conv_array, conv_item_t, i); }
    const endpoint_item_t& endpoint(guint i) const { return g_array_index(hash_.conv_array, endpoint_item_t, i); }
    Kind kind() const { return kind_; }
    const std::string& table() const { return table_; } // as asked: "tcp", "ip", ...

    // For the statistics fast path (fast_conversations.h), which fills the same table
    // without dissecting; clear() empties it again when epan has to do the pass after all.
    conv_hash_t* hash() { return &hash_; }
    void clear();

private:
    static void drawThunk(void* hash);

    conv_hash_t hash_{};
    std::string table_;
    std::string typeName_;
    std::string filter_;
    bool hidePorts_ = false;
    Kind kind_ = Kind::Conversations;
    std::function<void(const ConversationTap&)> draw_;
};

} // namespace ss
