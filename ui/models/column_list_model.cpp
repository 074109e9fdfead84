// SPDX-License-Identifier: GPL-2.0-or-later
#include "column_list_model.h"

namespace ss::ui {

ColumnListModel::ColumnListModel(std::vector<ColumnSpec> columns, QObject* parent)
    : VectorTableModel(parent)
{
    rows_ = std::move(columns);
}

int ColumnListModel::addCustom(const QString& title, const QString& fields)
{
    return insertRow({title.toStdString(), COL_CUSTOM, fields.toStdString(), 0, true, true});
}

int ColumnListModel::incomplete() const
{
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].format == COL_CUSTOM && rows_[i].fields.empty())
            return int(i);
    return -1;
}

int ColumnListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumns;
}

QVariant ColumnListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return {};
    const ColumnSpec& c = rows_[size_t(index.row())];
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
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return false;
    ColumnSpec& c = rows_[size_t(index.row())];
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
        (index.column() == Fields && rows_[size_t(index.row())].format == COL_CUSTOM))
        f |= Qt::ItemIsEditable;
    return f;
}

} // namespace ss::ui
