// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_tap.h"

#include "error.h"

namespace ss {

ConversationTap::ConversationTap(const std::string& table, const std::string& filter, Kind kind)
    : table_(table), filter_(filter), kind_(kind)
{
    const int protoId = proto_get_id_by_filter_name(table.c_str());
    register_ct_t* ct = protoId >= 0 ? get_conversation_by_proto_id(protoId) : nullptr;
    if (!ct)
        throw EngineError("register conversation tap", table, "no conversation table named \"" + table + "\"");
    typeName_ = proto_get_protocol_short_name(find_protocol_by_id(protoId));
    hidePorts_ = get_conversation_hide_ports(ct);
    hash_.user_data = this;
    GString* error = register_tap_listener(proto_get_protocol_filter_name(protoId), &hash_,
                                           filter.empty() ? nullptr : filter.c_str(), 0, nullptr,
                                           kind == Kind::Endpoints ? get_endpoint_packet_func(ct)
                                                                   : get_conversation_packet_func(ct),
                                           drawThunk, nullptr);
    if (error) {
        std::string message = error->str;
        g_string_free(error, TRUE);
        throw EngineError("register conversation tap", table, message);
    }
}

ConversationTap::~ConversationTap()
{
    remove_tap_listener(&hash_);
    clear();
}

void ConversationTap::clear()
{
    if (kind_ == Kind::Endpoints)
        reset_endpoint_table_data(&hash_);
    else
        reset_conversation_table_data(&hash_);
}

void ConversationTap::drawThunk(void* hash)
{
    auto* self = static_cast<ConversationTap*>(static_cast<conv_hash_t*>(hash)->user_data);
    if (self->draw_)
        self->draw_(*self);
}

} // namespace ss
