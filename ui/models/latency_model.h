// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractItemModel>

#include <vector>

#include "latency_tap.h"

namespace ss::ui {

// Statistics → Request Latency: one row per slow transaction (kind, what, total and its
// breakdown, the cause), its TCP stalls as child rows, one per connection event.
class LatencyModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { KindColumn, WhatColumn, TotalColumn, ClientColumn, RttColumn, ServerColumn, TransferColumn,
                  CauseColumn, ColumnCount };
    enum Role {
        FrameRole = Qt::UserRole + 1, // the transaction's first frame, or the event's
        FilterRole,                   // shows every packet of the transaction
        NanosecondsRole,              // the time columns as numbers (sorting, tests)
    };

    explicit LatencyModel(QObject* parent = nullptr);
    void setTransactions(std::vector<latency::Transaction> transactions);
    const std::vector<latency::Transaction>& transactions() const { return transactions_; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct EventRow {
        QString text;
        std::uint32_t frame;
    };
    QVariant transactionData(const latency::Transaction& t, int column, int role) const;

    std::vector<latency::Transaction> transactions_;
    std::vector<std::vector<EventRow>> events_; // per transaction
};

} // namespace ss::ui
