// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <string>

#include "epan_includes.h"

namespace ss {

// Follows one stream (tcp, udp, tls, http, ...) through epan's follow API.
// The payload is epan's follow_record_t list (newest first), plus both endpoints.
class FollowTap {
public:
    // `protocol` is the follower's filter name ("tcp", "udp", "tls", "http"...).
    // `streamFilter` is what selects the stream: build it with indexFilter().
    FollowTap(const std::string& protocol, const std::string& streamFilter);
    ~FollowTap();
    FollowTap(const FollowTap&) = delete;
    FollowTap& operator=(const FollowTap&) = delete;

    // The display filter that selects stream `index` (sub-stream for http2/quic).
    static std::string indexFilter(const std::string& protocol, guint index, guint subStream);
    // The filter selecting a conversation given by its two endpoints.
    static std::string addressFilter(const std::string& protocol, address* a, address* b, int portA, int portB);
    // True when the protocol numbers sub-streams (http2, quic).
    static bool hasSubStreams(const std::string& protocol) { return protocol == "http2" || protocol == "quic"; }

    void onDraw(std::function<void(const FollowTap&)> draw) { draw_ = std::move(draw); }

    const std::string& protocol() const { return protocol_; }
    const follow_info_t& info() const { return *info_; }

private:
    static void drawThunk(void* info);

    std::string protocol_;
    follow_info_t* info_;
    std::function<void(const FollowTap&)> draw_;
};

} // namespace ss
