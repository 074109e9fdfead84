// SPDX-License-Identifier: GPL-2.0-or-later
#include "field_tap.h"

#include "error.h"

#include <cstdlib>

namespace ss {

FieldTap::FieldTap(const std::vector<const char*>& fields, const std::string& filter, guint flags)
{
    std::string primer = "frame";
    for (const char* name : fields) {
        // Several dissectors may register one name (TLS and its helpers register
        // tls.handshake.type more than once): keep every id, as display filters do.
        std::vector<int>& ids = ids_[name];
        const int hf = proto_registrar_get_id_byname(name);
        for (header_field_info* h = hf >= 0 ? proto_registrar_get_nth(guint(hf)) : nullptr; h; h = h->same_name_next)
            ids.push_back(h->id);
        if (!ids.empty())
            primer += std::string(" or ") + name;
    }
    const std::string tapFilter = filter.empty() ? primer : "(" + filter + ") and (" + primer + ")";
    GString* error = register_tap_listener("frame", this, tapFilter.c_str(), flags, nullptr, thunk, nullptr, nullptr);
    if (error) {
        const std::string why = error->str;
        g_string_free(error, TRUE);
        throw EngineError("use display filter", filter, why);
    }
}

FieldTap::~FieldTap()
{
    remove_tap_listener(this);
}

tap_packet_status FieldTap::thunk(void* self, packet_info* pinfo, epan_dissect_t* edt, const void*, tap_flags_t)
{
    static_cast<FieldTap*>(self)->onFrame(pinfo, edt);
    return TAP_PACKET_DONT_REDRAW;
}

const std::vector<int>& FieldTap::ids(const char* name) const
{
    static const std::vector<int> none;
    const auto it = ids_.find(name);
    return it == ids_.end() ? none : it->second;
}

const field_info* FieldTap::first(epan_dissect_t* edt, const char* name) const
{
    if (!edt->tree)
        return nullptr;
    const field_info* found = nullptr;
    for (const int hf : ids(name)) {
        GPtrArray* all = proto_get_finfo_ptr_array(edt->tree, hf);
        const auto* fi = all && all->len ? static_cast<const field_info*>(g_ptr_array_index(all, 0)) : nullptr;
        if (fi && (!found || fi->start < found->start || (fi->start == found->start && fi < found)))
            found = fi;
    }
    return found;
}

std::string FieldTap::text(const field_info* fi)
{
    if (!fi)
        return {};
    char* repr = fvalue_to_string_repr(nullptr, &fi->value, FTREPR_DISPLAY, BASE_NONE);
    std::string out = repr ? repr : "";
    wmem_free(nullptr, repr);
    return out;
}

std::string FieldTap::text(epan_dissect_t* edt, const char* name) const
{
    return text(first(edt, name));
}

std::vector<std::string> FieldTap::texts(epan_dissect_t* edt, const char* name) const
{
    std::vector<std::string> out;
    if (!edt->tree)
        return out;
    for (const int hf : ids(name)) {
        GPtrArray* all = proto_get_finfo_ptr_array(edt->tree, hf);
        for (guint i = 0; all && i < all->len; ++i)
            out.push_back(text(static_cast<const field_info*>(g_ptr_array_index(all, i))));
    }
    return out;
}

std::uint64_t FieldTap::number(const field_info* fi)
{
    const std::string s = text(fi);
    return s.empty() ? 0 : std::strtoull(s.c_str(), nullptr, 0);
}

std::uint64_t FieldTap::number(epan_dissect_t* edt, const char* name) const
{
    return number(first(edt, name));
}

} // namespace ss
