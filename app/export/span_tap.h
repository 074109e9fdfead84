// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>

#include "epan_includes.h"
#include "field_tap.h"
#include "span_builder.h"

namespace ss::otlp {

// An epan tap on every dissected frame that passes `filter` (a display filter; empty: all),
// turning the fields spans need into PacketFacts for a SpanBuilder (FieldTap primes them).
class SpanTap : public FieldTap {
public:
    // Throws EngineError("use display filter", filter, why) for a filter epan refuses.
    SpanTap(SpanBuilder& builder, const std::string& filter);

private:
    void onFrame(packet_info* pinfo, epan_dissect_t* edt) override;
    PacketFacts facts(packet_info* pinfo, epan_dissect_t* edt) const;

    SpanBuilder& builder_;
};

} // namespace ss::otlp
