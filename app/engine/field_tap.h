// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "epan_includes.h"

namespace ss {

// A tap on every frame that passes an optional display filter, making epan build a chosen
// set of fields without a visible tree, and reading them back as text. The tap's own filter
// ("frame or f1 or f2 …", true of every frame) primes the fields. RAII over the registration;
// a subclass says what a frame means in onFrame. Unknown field names are skipped (a plugin
// that is not loaded), reading as empty.
class FieldTap {
public:
    // Throws EngineError("use display filter", filter, why) for a filter epan refuses.
    FieldTap(const std::vector<const char*>& fields, const std::string& filter, guint flags = TL_REQUIRES_PROTO_TREE);
    virtual ~FieldTap();
    FieldTap(const FieldTap&) = delete;
    FieldTap& operator=(const FieldTap&) = delete;

protected:
    virtual void onFrame(packet_info* pinfo, epan_dissect_t* edt) = 0;

    const field_info* first(epan_dissect_t* edt, const char* name) const;
    std::string text(epan_dissect_t* edt, const char* name) const; // the first occurrence's value
    std::vector<std::string> texts(epan_dissect_t* edt, const char* name) const;
    std::uint64_t number(epan_dissect_t* edt, const char* name) const; // 0x.. or decimal; 0 when absent
    static std::string text(const field_info* fi);
    static std::uint64_t number(const field_info* fi);

private:
    static tap_packet_status thunk(void* self, packet_info* pinfo, epan_dissect_t* edt, const void*, tap_flags_t);
    const std::vector<int>& ids(const char* name) const;

    std::map<std::string, std::vector<int>> ids_; // field name → every hf id of that name (none: unknown here)
};

} // namespace ss
