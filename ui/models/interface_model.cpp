// SPDX-License-Identifier: GPL-2.0-or-later
#include "interface_model.h"

#include <QBrush>

#include <algorithm>

namespace ss::ui {

InterfaceModel::InterfaceModel(QObject* parent) : QAbstractTableModel(parent) {}

int InterfaceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int InterfaceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString InterfaceModel::sparkline(const Row& row) const
{
    static const QChar kBars[] = {QChar(0x2581), QChar(0x2582), QChar(0x2583), QChar(0x2584),
                                  QChar(0x2585), QChar(0x2586), QChar(0x2587), QChar(0x2588)};
    const double top = row.rates.empty() ? 0 : *std::max_element(row.rates.begin(), row.rates.end());
    QString line;
    for (const double r : row.rates)
        line += top > 0 ? kBars[std::min(7, int(7.0 * r / top + 0.5))] : QChar(0x2581);
    const double now = row.rates.empty() ? 0 : row.rates.back();
    return line + QStringLiteral("  %1/s").arg(qRound64(now));
}

QVariant InterfaceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return {};
    const Row& row = rows_[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Name)
            return showTargets_ ? row.target + "/" + row.name : row.name;
        if (index.column() == Traffic)
            return sparkline(row);
        return row.up ? tr("up") : tr("down");
    case Qt::CheckStateRole:
        return index.column() == Name ? QVariant(row.checked ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::ForegroundRole:
        return row.up ? QVariant() : QVariant(QBrush(Qt::gray));
    case TargetRole: return row.target;
    case InterfaceRole: return row.name;
    case RateRole: return row.rates.empty() ? 0.0 : row.rates.back();
    default: return {};
    }
}

QVariant InterfaceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Interface");
    case Traffic: return tr("Traffic");
    case Status: return tr("Status");
    default: return {};
    }
}

Qt::ItemFlags InterfaceModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Name)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool InterfaceModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole || index.column() != Name)
        return false;
    rows_[std::size_t(index.row())].checked = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

void InterfaceModel::update(const QString& target, const QVector<HelperProbe::Interface>& list, const QString& error)
{
    errors_[target] = error;
    // Rows of this target that are gone leave; known ones get a new rate; new ones come last.
    for (int i = int(rows_.size()) - 1; i >= 0; --i) {
        const Row& row = rows_[std::size_t(i)];
        const bool present = std::any_of(list.begin(), list.end(), [&](const HelperProbe::Interface& x) {
            return x.capturable && x.name == row.name;
        });
        if (row.target == target && !present) {
            beginRemoveRows({}, i, i);
            rows_.erase(rows_.begin() + i);
            endRemoveRows();
        }
    }
    for (const HelperProbe::Interface& i : list) {
        if (!i.capturable)
            continue;
        const int at = rowOf(target, i.name);
        if (at < 0) {
            beginInsertRows({}, int(rows_.size()), int(rows_.size()));
            rows_.push_back({target, i.name, i.up, false, i.packets, true, {}});
            endInsertRows();
            continue;
        }
        Row& row = rows_[std::size_t(at)];
        row.up = i.up;
        row.rates.push_back(row.counted && i.packets >= row.lastPackets ? double(i.packets - row.lastPackets) : 0.0);
        if (row.rates.size() > 20)
            row.rates.pop_front();
        row.lastPackets = i.packets;
        row.counted = true;
        emit dataChanged(index(at, 0), index(at, ColumnCount - 1), {Qt::DisplayRole, Qt::ForegroundRole});
    }
}

void InterfaceModel::setShowTargets(bool show)
{
    if (show == showTargets_)
        return;
    showTargets_ = show;
    if (!rows_.empty())
        emit dataChanged(index(0, Name), index(int(rows_.size()) - 1, Name), {Qt::DisplayRole});
}

void InterfaceModel::check(const QString& target, const QString& interface, bool on)
{
    const int at = rowOf(target, interface);
    if (at >= 0)
        setData(index(at, Name), on ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

std::vector<std::string> InterfaceModel::checked(const QString& target) const
{
    std::vector<std::string> out;
    for (const Row& row : rows_)
        if (row.target == target && row.checked)
            out.push_back(row.name.toStdString());
    return out;
}

std::set<QString> InterfaceModel::checkedTargets() const
{
    std::set<QString> out;
    for (const Row& row : rows_)
        if (row.checked)
            out.insert(row.target);
    return out;
}

QString InterfaceModel::errorOf(const QString& target) const
{
    const auto it = errors_.find(target);
    return it == errors_.end() ? QString() : it->second;
}

int InterfaceModel::rowOf(const QString& target, const QString& interface) const
{
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].target == target && rows_[i].name == interface)
            return int(i);
    return -1;
}

} // namespace ss::ui
