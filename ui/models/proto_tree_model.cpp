// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto_tree_model.h"

#include <algorithm>

#include "item_label.h"

#include <QBrush>
#include <QColor>

namespace ss::ui {

ProtoTreeModel::ProtoTreeModel(QObject* parent) : QAbstractItemModel(parent), root_(std::make_unique<Node>()) {}

ProtoTreeModel::~ProtoTreeModel() = default;

void ProtoTreeModel::copyChildren(proto_node* from, Node* to, epan_dissect_t* edt,
                                  const std::vector<tvbuff_t*>& sources)
{
    for (proto_node* child = from->first_child; child; child = child->next) {
        field_info* fi = PNODE_FINFO(child);
        if (!fi || proto_item_is_hidden(child))
            continue;
        auto node = std::make_unique<Node>();
        node->label = itemLabel(fi);
        if (FI_GET_FLAG(fi, FI_GENERATED)) // what epan computed, not what the bytes say
            node->label = QLatin1Char('[') + node->label + QLatin1Char(']');
        if (fi->hfinfo) {
            node->fieldName = QString::fromUtf8(fi->hfinfo->abbrev);
            if (fi->hfinfo->type == FT_FRAMENUM)
                node->linkedFrame = fvalue_get_uinteger(&fi->value);
        }
        if (char* filter = proto_construct_match_selected_string(fi, edt)) {
            node->filter = QString::fromUtf8(filter);
            wmem_free(nullptr, filter);
        }
        if (fi->length > 0)
            if (auto it = std::find(sources.begin(), sources.end(), fi->ds_tvb); it != sources.end()) {
                node->start = fi->start;
                node->length = fi->length;
                node->source = int(it - sources.begin());
            }
        node->severity = int(FI_GET_FLAG(fi, PI_SEVERITY_MASK));
        node->parent = to;
        node->row = int(to->children.size());
        copyChildren(child, node.get(), edt, sources);
        to->children.push_back(std::move(node));
    }
}

void ProtoTreeModel::setPacket(epan_dissect_t* edt, const guint8* bytes, std::uint32_t length)
{
    beginResetModel();
    root_ = std::make_unique<Node>();
    bytes_ = QByteArray(reinterpret_cast<const char*>(bytes), int(length));
    sources_.clear();
    std::vector<tvbuff_t*> tvbs;
    for (GSList* l = edt ? edt->pi.data_src : nullptr; l; l = l->next) {
        const auto* src = static_cast<const data_source*>(l->data);
        tvbuff_t* tvb = get_data_source_tvb(src);
        char* name = get_data_source_name(src);
        const guint n = tvb_captured_length(tvb);
        QByteArray data(int(n), Qt::Uninitialized);
        if (n)
            tvb_memcpy(tvb, data.data(), 0, n);
        sources_.push_back({QString::fromUtf8(name), std::move(data)});
        wmem_free(nullptr, name);
        tvbs.push_back(tvb);
    }
    if (sources_.empty()) // no dissection: the frame's bytes alone
        sources_.push_back({tr("Frame (%1 bytes)").arg(length), bytes_});
    if (edt && edt->tree)
        copyChildren(edt->tree, root_.get(), edt, tvbs);
    endResetModel();
}

QString ProtoTreeModel::valueOf(const QString& label)
{
    QString text = label;
    if (text.startsWith('[') && text.endsWith(']'))
        text = text.mid(1, text.size() - 2);
    return text.contains(QStringLiteral(": ")) ? text.section(QStringLiteral(": "), 1) : text;
}

void ProtoTreeModel::clear()
{
    beginResetModel();
    root_ = std::make_unique<Node>();
    bytes_.clear();
    sources_.clear();
    endResetModel();
}

QModelIndex ProtoTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column != 0 || row < 0)
        return {};
    const Node* p = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : root_.get();
    if (row >= int(p->children.size()))
        return {};
    return createIndex(row, 0, p->children[size_t(row)].get());
}

QModelIndex ProtoTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* node = static_cast<const Node*>(child.internalPointer());
    return indexOf(node->parent);
}

QModelIndex ProtoTreeModel::indexOf(const Node* node) const
{
    if (!node || node == root_.get())
        return {};
    return createIndex(node->row, 0, const_cast<Node*>(node));
}

int ProtoTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    const Node* p = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : root_.get();
    return int(p->children.size());
}

int ProtoTreeModel::columnCount(const QModelIndex&) const
{
    return 1;
}

QVariant ProtoTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node* node = static_cast<const Node*>(index.internalPointer());
    switch (role) {
    case Qt::DisplayRole:
        return node->label;
    case FilterRole:
        return node->filter;
    case FieldNameRole:
        return node->fieldName;
    case ByteStartRole:
        return node->start;
    case ByteLengthRole:
        return node->length;
    case DataSourceRole:
        return node->source;
    case SeverityRole:
        return node->severity;
    case LinkedFrameRole:
        return node->linkedFrame;
    case Qt::BackgroundRole:
        // Wireshark's expert colours: error red, warning yellow, note cyan, chat blue.
        switch (node->severity) {
        case PI_ERROR: return QBrush(QColor(0xff, 0x5c, 0x5c));
        case PI_WARN: return QBrush(QColor(0xf7, 0xf4, 0x88));
        case PI_NOTE: return QBrush(QColor(0xa0, 0xff, 0xff));
        case PI_CHAT: return QBrush(QColor(0x80, 0xb7, 0xff));
        default: return {};
        }
    case Qt::ForegroundRole:
        return node->severity ? QVariant(QBrush(Qt::black)) : QVariant();
    default:
        return {};
    }
}

QModelIndex ProtoTreeModel::indexForByte(int offset, int source) const
{
    const Node* best = nullptr;
    const Node* level = root_.get();
    bool descended = true;
    while (descended) {
        descended = false;
        // Prefer the last (innermost-layer) child that covers the byte.
        for (auto it = level->children.rbegin(); it != level->children.rend(); ++it) {
            const Node* c = it->get();
            if (c->source == source && offset >= c->start && offset < c->start + c->length) {
                best = c;
                level = c;
                descended = true;
                break;
            }
        }
    }
    return indexOf(best);
}

} // namespace ss::ui
