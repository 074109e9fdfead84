// SPDX-License-Identifier: GPL-2.0-or-later
#include "io_graph_model.h"

namespace ss::ui {
namespace {

const QColor kPalette[] = {QColor("#1f77b4"), QColor("#d62728"), QColor("#2ca02c"), QColor("#ff7f0e"),
                           QColor("#9467bd"), QColor("#8c564b"), QColor("#e377c2"), QColor("#17becf")};

} // namespace

IoGraphModel::IoGraphModel(QObject* parent) : QAbstractTableModel(parent)
{
    addGraph(tr("All Packets"), QString());
    addGraph(tr("TCP Errors"), QStringLiteral("tcp.analysis.flags"));
}

void IoGraphModel::addGraph(const QString& name, const QString& filter, IoGraphTap::Unit unit)
{
    beginInsertRows({}, int(graphs_.size()), int(graphs_.size()));
    Graph g;
    g.name = name;
    g.filter = filter;
    g.unit = unit;
    g.color = kPalette[graphs_.size() % (sizeof kPalette / sizeof kPalette[0])];
    graphs_.push_back(std::move(g));
    endInsertRows();
}

void IoGraphModel::removeGraph(int row)
{
    if (row < 0 || row >= int(graphs_.size()))
        return;
    beginRemoveRows({}, row, row);
    graphs_.erase(graphs_.begin() + row);
    endRemoveRows();
}

void IoGraphModel::setValues(int row, std::vector<std::uint64_t> values)
{
    if (row >= 0 && row < int(graphs_.size()))
        graphs_[size_t(row)].values = std::move(values);
}

QString IoGraphModel::unitName(IoGraphTap::Unit unit)
{
    switch (unit) {
    case IoGraphTap::Unit::Packets: return tr("Packets");
    case IoGraphTap::Unit::Bytes: return tr("Bytes");
    case IoGraphTap::Unit::Bits: return tr("Bits");
    }
    return {};
}

int IoGraphModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(graphs_.size());
}

int IoGraphModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IoGraphModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(graphs_.size()))
        return {};
    const Graph& g = graphs_[size_t(index.row())];
    switch (index.column()) {
    case EnabledColumn:
        if (role == Qt::CheckStateRole)
            return g.enabled ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::DecorationRole)
            return g.color;
        return {};
    case NameColumn: return role == Qt::DisplayRole || role == Qt::EditRole ? QVariant(g.name) : QVariant();
    case FilterColumn: return role == Qt::DisplayRole || role == Qt::EditRole ? QVariant(g.filter) : QVariant();
    case UnitColumn:
        if (role == Qt::DisplayRole)
            return unitName(g.unit);
        if (role == Qt::EditRole)
            return int(g.unit);
        return {};
    default: return {};
    }
}

bool IoGraphModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.row() >= int(graphs_.size()))
        return false;
    Graph& g = graphs_[size_t(index.row())];
    if (index.column() == EnabledColumn && role == Qt::CheckStateRole)
        g.enabled = value.toInt() == Qt::Checked;
    else if (index.column() == NameColumn && role == Qt::EditRole)
        g.name = value.toString();
    else if (index.column() == FilterColumn && role == Qt::EditRole)
        g.filter = value.toString().trimmed();
    else if (index.column() == UnitColumn && role == Qt::EditRole && value.toInt() >= 0 && value.toInt() <= 2)
        g.unit = IoGraphTap::Unit(value.toInt());
    else
        return false;
    emit dataChanged(index, index, {role});
    return true;
}

Qt::ItemFlags IoGraphModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.column() == EnabledColumn ? base | Qt::ItemIsUserCheckable : base | Qt::ItemIsEditable;
}

QVariant IoGraphModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const titles[] = {"Enabled", "Graph Name", "Display Filter", "Y Axis"};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace ss::ui
