// SPDX-License-Identifier: GPL-2.0-or-later
#include "follow_tap.h"

#include "error.h"

namespace ss {
namespace {

struct FollowerSearch {
    int protoId;
    register_follow_t* found;
};

gboolean matchFollower(const void*, void* value, void* userData)
{
    auto* search = static_cast<FollowerSearch*>(userData);
    auto* follower = static_cast<register_follow_t*>(value);
    if (get_follow_proto_id(follower) != search->protoId)
        return FALSE;
    search->found = follower;
    return TRUE;
}

register_follow_t* findFollower(const std::string& protocol)
{
    FollowerSearch search{proto_get_id_by_filter_name(protocol.c_str()), nullptr};
    if (search.protoId >= 0)
        follow_iterate_followers(matchFollower, &search);
    register_follow_t* follower = search.found;
    if (!follower)
        throw EngineError("follow stream", protocol, "no stream follower for protocol \"" + protocol + "\"");
    return follower;
}

std::string takeFilter(gchar* filter, const std::string& protocol)
{
    if (!filter)
        throw EngineError("follow stream", protocol, "Error creating filter for this stream.");
    std::string text = filter;
    g_free(filter);
    return text;
}

} // namespace

std::string FollowTap::indexFilter(const std::string& protocol, guint index, guint subStream)
{
    return takeFilter(get_follow_index_func(findFollower(protocol))(index, subStream), protocol);
}

std::string FollowTap::addressFilter(const std::string& protocol, address* a, address* b, int portA, int portB)
{
    return takeFilter(get_follow_address_func(findFollower(protocol))(a, b, portA, portB), protocol);
}

FollowTap::FollowTap(const std::string& protocol, const std::string& streamFilter)
    : protocol_(protocol), info_(g_new0(follow_info_t, 1))
{
    register_follow_t* follower = findFollower(protocol);
    info_->gui_data = this;
    info_->substream_id = SUBSTREAM_UNUSED;
    info_->filter_out_filter = g_strdup(streamFilter.c_str());
    GString* error = register_tap_listener(get_follow_tap_string(follower), info_, info_->filter_out_filter, 0,
                                           nullptr, get_follow_tap_handler(follower), drawThunk, nullptr);
    if (error) {
        std::string message = error->str;
        g_string_free(error, TRUE);
        follow_info_free(info_);
        throw EngineError("follow stream", protocol, "Error registering tap listener: " + message);
    }
}

FollowTap::~FollowTap()
{
    remove_tap_listener(info_);
    follow_info_free(info_);
}

void FollowTap::drawThunk(void* info)
{
    auto* self = static_cast<FollowTap*>(static_cast<follow_info_t*>(info)->gui_data);
    if (self->draw_)
        self->draw_(*self);
}

} // namespace ss
