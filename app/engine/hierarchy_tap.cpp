// SPDX-License-Identifier: GPL-2.0-or-later
#include "hierarchy_tap.h"

#include "error.h"

#include <algorithm>

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
            found->firstFrame = pinfo->num;
        }
        found->frames++;
        found->bytes += pinfo->fd->pkt_len;
        level = found;
    }
    return TAP_PACKET_REDRAW;
}

namespace {

constexpr std::size_t kMaxDepth = 256; // epan's tree is far shallower

void serializeNodes(const std::vector<std::unique_ptr<HierarchyTap::Node>>& nodes, std::size_t depth, std::string& out)
{
    for (const auto& n : nodes) {
        out += std::to_string(depth) + ' ' + std::to_string(n->protocolId) + ' ' + std::to_string(n->firstFrame) + ' ' +
               std::to_string(n->frames) + ' ' + std::to_string(n->bytes) + ' ' + n->abbrev + '\n';
        serializeNodes(n->children, depth + 1, out);
    }
}

void mergeNodes(HierarchyTap::Node& into, HierarchyTap::Node& from)
{
    for (auto& src : from.children) {
        auto it = std::find_if(into.children.begin(), into.children.end(),
                               [&](const auto& c) { return c->protocolId == src->protocolId; });
        if (it == into.children.end()) {
            into.children.push_back(std::move(src));
            continue;
        }
        HierarchyTap::Node& dst = **it;
        dst.frames += src->frames;
        dst.bytes += src->bytes;
        dst.firstFrame = std::min(dst.firstFrame, src->firstFrame);
        mergeNodes(dst, *src);
    }
    std::stable_sort(into.children.begin(), into.children.end(),
                     [](const auto& a, const auto& b) { return a->firstFrame < b->firstFrame; });
}

} // namespace

std::string HierarchyTap::serialize() const
{
    std::string out;
    serializeNodes(root_.children, 0, out);
    return out;
}

bool HierarchyTap::merge(std::string_view text)
{
    Node parsed;
    std::vector<Node*> path{&parsed}; // path[d]: the parent of a node at depth d
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        if (nl == std::string_view::npos)
            return false;
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        std::size_t depth = 0;
        auto node = std::make_unique<Node>();
        if (!readNumber(line, depth, ' ') || !readNumber(line, node->protocolId, ' ') ||
            !readNumber(line, node->firstFrame, ' ') || !readNumber(line, node->frames, ' ') ||
            !readNumber(line, node->bytes, ' ') || line.empty() || depth >= path.size() || depth >= kMaxDepth)
            return false;
        node->abbrev = std::string(line);
        path.resize(depth + 1);
        Node* added = node.get();
        path[depth]->children.push_back(std::move(node));
        path.push_back(added);
    }
    mergeNodes(root_, parsed);
    return true;
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
