// SPDX-License-Identifier: GPL-2.0-or-later
#include "related_events_model.h"

#include "item_label.h"

namespace ss::ui {

RelatedEventsModel::RelatedEventsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RelatedEventsModel::setPacket(epan_dissect_t* edt)
{
    static const struct {
        const char* field;
        const char* kind;
    } kinds[] = {{"ss.related.alert", "Alert"},
                 {"ss.related.exec", "Process"},
                 {"ss.related.syscall", "System call"},
                 {"ss.related.verdict", "Cilium flow"}};
    beginResetModel();
    rows_.clear();
    for (const auto& k : kinds) {
        const int id = proto_registrar_get_id_byname(k.field);
        if (id < 0 || !edt || !edt->tree)
            continue;
        GPtrArray* found = proto_find_finfo(edt->tree, id);
        for (guint i = 0; found && i < found->len; ++i) {
            auto* fi = static_cast<field_info*>(g_ptr_array_index(found, i));
            // The label is "Alert in frame: 12 (what it is, 0.200 s after)": keep the part
            // in parentheses.
            const QString label = itemLabel(fi);
            const int open = label.indexOf(" (");
            QString event = open < 0 ? label : label.mid(open + 2);
            if (event.endsWith(')'))
                event.chop(1);
            rows_.push_back(Row{fvalue_get_uinteger(&fi->value), tr(k.kind), event});
        }
        if (found)
            g_ptr_array_free(found, TRUE);
    }
    endResetModel();
}

void RelatedEventsModel::addPackets(const std::vector<std::uint32_t>& frames)
{
    if (frames.empty())
        return;
    beginInsertRows({}, int(rows_.size()), int(rows_.size() + frames.size() - 1));
    for (const std::uint32_t f : frames)
        rows_.push_back(Row{f, tr("Packet"), tr("links to this record")});
    endInsertRows();
}

void RelatedEventsModel::clear()
{
    beginResetModel();
    rows_.clear();
    endResetModel();
}

int RelatedEventsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int RelatedEventsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RelatedEventsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return {};
    const Row& row = rows_[size_t(index.row())];
    if (role == FrameRole)
        return row.frame;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case FrameColumn: return row.frame;
    case KindColumn: return row.kind;
    case EventColumn: return row.event;
    default: return {};
    }
}

QVariant RelatedEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FrameColumn: return tr("Frame");
    case KindColumn: return tr("Kind");
    case EventColumn: return tr("Event");
    default: return {};
    }
}

} // namespace ss::ui
