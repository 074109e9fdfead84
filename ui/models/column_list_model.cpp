// SPDX-License-Identifier: GPL-2.0-or-later
#include "column_list_model.h"

namespace ss::ui {

ColumnListModel::ColumnListModel(std::vector<ColumnSpec> columns, QObject* parent)
    : QAbstractTableModel(parent), columns_(std::move(columns))
{
}

int ColumnListModel::addCustom(const QString& title, const QString& fields)
{
    const int row = int(columns_.size());
    beginInsertRows({}, row, row);
    columns_.push_back({title.toStdString(), COL_CUSTOM, fields.toStdString(), 0, true, true});
    endInsertRows();
    return row;
}

int ColumnListModel::incomplete() const
{
    for (size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i].format == COL_CUSTOM && columns_[i].fields.empty())
            return int(i);
    return -1;
}

int ColumnListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(columns_.size());
}

int ColumnListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumns;
}

QVariant ColumnListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(columns_.size()))
        return {};
    const ColumnSpec& c = columns_[size_t(index.row())];
    if (role == Qt::CheckStateRole && index.column() == Displayed)
        return c.visible ? Qt::Checked : Qt::Unchecked;
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case Title:
        return QString::fromStdString(c.title);
    case Type:
        return QString::fromUtf8(col_format_desc(c.format));
    case Fields:
        return QString::fromStdString(c.fields);
    default:
        return {};
    }
}

bool ColumnListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.row() >= int(columns_.size()))
        return false;
    ColumnSpec& c = columns_[size_t(index.row())];
    if (role == Qt::CheckStateRole && index.column() == Displayed)
        c.visible = value.value<Qt::CheckState>() == Qt::Checked;
    else if (role == Qt::EditRole && index.column() == Title && !value.toString().isEmpty())
        c.title = value.toString().toStdString();
    else if (role == Qt::EditRole && index.column() == Fields && c.format == COL_CUSTOM)
        c.fields = value.toString().trimmed().toStdString();
    else
        return false;
    emit dataChanged(index, index);
    return true;
}

QVariant ColumnListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"Displayed", "Title", "Type", "Fields"};
    return section >= 0 && section < kColumns ? tr(names[section]) : QVariant();
}

Qt::ItemFlags ColumnListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Displayed)
        f |= Qt::ItemIsUserCheckable;
    if (index.column() == Title ||
        (index.column() == Fields && columns_[size_t(index.row())].format == COL_CUSTOM))
        f |= Qt::ItemIsEditable;
    return f;
}

bool ColumnListModel::removeRows(int row, int count, const QModelIndex& parent)
{
    // The list keeps one column at least (epan needs one).
    if (parent.isValid() || row < 0 || count <= 0 || row + count > int(columns_.size()) ||
        count >= int(columns_.size()))
        return false;
    beginRemoveRows({}, row, row + count - 1);
    columns_.erase(columns_.begin() + row, columns_.begin() + row + count);
    endRemoveRows();
    return true;
}

bool ColumnListModel::moveRows(const QModelIndex& source, int row, int count, const QModelIndex& destination,
                               int destinationChild)
{
    if (source.isValid() || destination.isValid() || row < 0 || count <= 0 || row + count > int(columns_.size()) ||
        destinationChild < 0 || destinationChild > int(columns_.size()) ||
        (destinationChild >= row && destinationChild <= row + count))
        return false;
    if (!beginMoveRows({}, row, row + count - 1, {}, destinationChild))
        return false;
    std::vector<ColumnSpec> moving(columns_.begin() + row, columns_.begin() + row + count);
    columns_.erase(columns_.begin() + row, columns_.begin() + row + count);
    const int at = destinationChild > row ? destinationChild - count : destinationChild;
    columns_.insert(columns_.begin() + at, moving.begin(), moving.end());
    endMoveRows();
    return true;
}

} // namespace ss::ui
