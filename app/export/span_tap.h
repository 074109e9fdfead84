// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <map>
#include <string>

#include "epan_includes.h"
#include "span_builder.h"

namespace ss::otlp {

// An epan tap on every dissected frame that passes `filter` (a display filter; empty: all),
// turning the fields spans need into PacketFacts for a SpanBuilder. The tap's filter primes
// those fields, so epan builds them without a visible tree. RAII over the registration.
class SpanTap {
public:
    // Throws EngineError("use display filter", filter, why) for a filter epan refuses.
    SpanTap(SpanBuilder& builder, const std::string& filter);
    ~SpanTap();
    SpanTap(const SpanTap&) = delete;
    SpanTap& operator=(const SpanTap&) = delete;

private:
    static tap_packet_status onPacket(void* self, packet_info* pinfo, epan_dissect_t* edt, const void*, tap_flags_t);
    PacketFacts facts(packet_info* pinfo, epan_dissect_t* edt) const;

    SpanBuilder& builder_;
    std::map<std::string, int> ids_; // field name → hf id
};

} // namespace ss::otlp
