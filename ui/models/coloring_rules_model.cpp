// SPDX-License-Identifier: GPL-2.0-or-later
#include "coloring_rules_model.h"

#include <QColor>

namespace ss::ui {
namespace {

QColor toQColor(const ColorRule::Rgb& c)
{
    return QColor::fromRgba64(c.red, c.green, c.blue);
}

} // namespace

void ColoringRulesModel::setColors(int row, const ColorRule::Rgb* foreground, const ColorRule::Rgb* background)
{
    if (row < 0 || row >= int(rows_.size()))
        return;
    if (foreground)
        rows_[size_t(row)].foreground = *foreground;
    if (background)
        rows_[size_t(row)].background = *background;
    emit dataChanged(index(row, 0), index(row, kColumns - 1), {Qt::ForegroundRole, Qt::BackgroundRole});
}

int ColoringRulesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumns;
}

QVariant ColoringRulesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return {};
    const ColorRule& rule = rows_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return QString::fromStdString(index.column() == Name ? rule.name : rule.filter);
    case Qt::CheckStateRole:
        if (index.column() == Name)
            return rule.disabled ? Qt::Unchecked : Qt::Checked;
        return {};
    case Qt::ForegroundRole:
        return toQColor(rule.foreground);
    case Qt::BackgroundRole:
        return toQColor(rule.background);
    default:
        return {};
    }
}

bool ColoringRulesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return false;
    ColorRule& rule = rows_[size_t(index.row())];
    if (role == Qt::CheckStateRole && index.column() == Name) {
        rule.disabled = value.value<Qt::CheckState>() != Qt::Checked;
    } else if (role == Qt::EditRole) {
        const std::string text = value.toString().trimmed().toStdString();
        if (index.column() == Name) {
            if (text.empty() || text.find('@') != std::string::npos) // '@' separates the file's fields
                return false;
            rule.name = text;
        } else {
            if (text.find('@') != std::string::npos)
                return false;
            rule.filter = text;
        }
    } else {
        return false;
    }
    emit dataChanged(index, index, {role, Qt::DisplayRole});
    return true;
}

QVariant ColoringRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Name ? tr("Name") : section == Filter ? tr("Filter") : QVariant();
}

Qt::ItemFlags ColoringRulesModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
    if (index.column() == Name)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

} // namespace ss::ui
