// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_model.h"

namespace ss::ui {

TimelineModel::TimelineModel(QObject* parent) : QAbstractItemModel(parent) {}

void TimelineModel::setLanes(std::vector<timeline::PodLanes> lanes, std::int64_t firstNs, std::int64_t lastNs)
{
    beginResetModel();
    pods_ = std::move(lanes);
    first_ = firstNs;
    last_ = lastNs;
    endResetModel();
}

// A pod row has internal id 0; a process row carries its pod's row + 1.
QModelIndex TimelineModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < int(pods_.size()) ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= int(pods_.size()) ||
        row >= int(pods_[size_t(parent.row())].processes.size()))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex TimelineModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(pods_.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= int(pods_.size()))
        return 0;
    return int(pods_[size_t(parent.row())].processes.size());
}

int TimelineModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

const timeline::Lane* TimelineModel::lane(const QModelIndex& index) const
{
    if (!index.isValid())
        return nullptr;
    if (index.internalId() == 0)
        return index.row() < int(pods_.size()) ? &pods_[size_t(index.row())].pod : nullptr;
    const auto pod = size_t(index.internalId() - 1);
    if (pod >= pods_.size() || index.row() >= int(pods_[pod].processes.size()))
        return nullptr;
    return &pods_[pod].processes[size_t(index.row())];
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    const timeline::Lane* l = lane(index);
    if (!l || role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn: return QString::fromStdString(l->name);
    case PacketsColumn: return qulonglong(l->packetNs.size());
    case MarksColumn: return qulonglong(l->marks.size());
    default: return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const titles[] = {"Lane", "Packets", "Marks"};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace ss::ui
