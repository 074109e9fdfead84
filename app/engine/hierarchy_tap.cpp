// SPDX-License-Identifier: GPL-2.0-or-later
#include "hierarchy_tap.h"

#include "error.h"

namespace ss {

HierarchyTap::HierarchyTap(const std::string& filter) : filter_(filter)
{
    GString* error = register_tap_listener("frame", this, filter.empty() ? nullptr : filter.c_str(),
                                           TL_REQUIRES_PROTO_TREE, resetThunk, packetThunk, drawThunk, nullptr);
    if (error) {
        std::string message = error->str;
        g_string_free(error, TRUE);
        throw EngineError("register protocol hierarchy tap", filter, message);
    }
}

HierarchyTap::~HierarchyTap()
{
    remove_tap_listener(this);
}

tap_packet_status HierarchyTap::packetThunk(void* self, packet_info* pinfo, epan_dissect_t* edt, const void*,
                                            tap_flags_t)
{
    if (!edt || !edt->tree || !edt->tree->first_child)
        return TAP_PACKET_DONT_REDRAW;
    Node* level = &static_cast<HierarchyTap*>(self)->root_;
    // Each top-level item of the tree is one layer below the previous one.
    for (proto_node* node = edt->tree->first_child; node; node = node->next) {
        const header_field_info* hf = PNODE_FINFO(node)->hfinfo;
        Node* found = nullptr;
        for (auto& child : level->children)
            if (child->protocolId == hf->id) {
                found = child.get();
                break;
            }
        if (!found) {
            level->children.push_back(std::make_unique<Node>());
            found = level->children.back().get();
            found->protocolId = hf->id;
            found->abbrev = hf->abbrev;
        }
        found->frames++;
        found->bytes += pinfo->fd->pkt_len;
        level = found;
    }
    return TAP_PACKET_REDRAW;
}

void HierarchyTap::resetThunk(void* self)
{
    static_cast<HierarchyTap*>(self)->root_.children.clear();
}

void HierarchyTap::drawThunk(void* self)
{
    auto* tap = static_cast<HierarchyTap*>(self);
    if (tap->draw_)
        tap->draw_(*tap);
}

} // namespace ss
