// SPDX-License-Identifier: GPL-2.0-or-later
#include "latency_model.h"

namespace ss::ui {

LatencyModel::LatencyModel(QObject* parent) : QAbstractItemModel(parent) {}

void LatencyModel::setTransactions(std::vector<latency::Transaction> transactions)
{
    beginResetModel();
    transactions_ = std::move(transactions);
    events_.clear();
    for (const auto& t : transactions_) {
        std::vector<EventRow> rows;
        for (const auto& c : t.connections)
            for (const auto& e : c.events)
                rows.push_back(EventRow{QString::fromStdString(c.relation + " (" + c.client + " → " + c.server + "): " +
                                                               latency::describe(e)),
                                        e.firstFrame});
        events_.push_back(std::move(rows));
    }
    endResetModel();
}

// Top-level rows have internal id 0; an event row carries its transaction's row + 1.
QModelIndex LatencyModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < int(transactions_.size()) ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= int(events_.size()) ||
        row >= int(events_[size_t(parent.row())].size()))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex LatencyModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int LatencyModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(transactions_.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= int(events_.size()))
        return 0;
    return int(events_[size_t(parent.row())].size());
}

int LatencyModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant LatencyModel::transactionData(const latency::Transaction& t, int column, int role) const
{
    auto duration = [role](std::int64_t ns) -> QVariant {
        if (role == NanosecondsRole)
            return qlonglong(ns);
        return ns < 0 ? QString() : QString::fromStdString(latency::humanDuration(ns));
    };
    if (role == FrameRole)
        return t.firstFrame;
    if (role == FilterRole)
        return QString::fromStdString(t.filter);
    switch (column) {
    case KindColumn: return role == Qt::DisplayRole ? QString::fromStdString(t.kind) : QVariant();
    case WhatColumn: return role == Qt::DisplayRole ? QString::fromStdString(t.what) : QVariant();
    case TotalColumn: return duration(std::int64_t(t.totalNs()));
    case ClientColumn: return duration(t.clientSendNs);
    case RttColumn: return duration(t.rttNs);
    case ServerColumn: return duration(t.serverNs);
    case TransferColumn: return duration(t.transferNs);
    case CauseColumn: return role == Qt::DisplayRole ? QString::fromStdString(t.cause) : QVariant();
    default: return {};
    }
}

QVariant LatencyModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (role == Qt::TextAlignmentRole && index.column() >= TotalColumn && index.column() <= TransferColumn)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole && role != FrameRole && role != FilterRole && role != NanosecondsRole)
        return {};
    if (index.internalId() == 0) {
        if (index.row() >= int(transactions_.size()))
            return {};
        return transactionData(transactions_[size_t(index.row())], index.column(), role);
    }
    const auto parentRow = size_t(index.internalId() - 1);
    if (parentRow >= events_.size() || index.row() >= int(events_[parentRow].size()))
        return {};
    const EventRow& e = events_[parentRow][size_t(index.row())];
    if (role == FrameRole)
        return e.frame;
    if (role == FilterRole)
        return QString::fromStdString(transactions_[parentRow].filter);
    return role == Qt::DisplayRole && index.column() == WhatColumn ? QVariant(e.text) : QVariant();
}

QVariant LatencyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const titles[] = {"Kind", "Request", "Total", "Client send", "RTT", "Server",
                                         "Transfer", "Cause"};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace ss::ui
