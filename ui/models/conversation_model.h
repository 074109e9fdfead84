// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace ss {
class ConversationTap;
}

namespace ss::ui {

// One table of Statistics → Conversations (Ethernet, IPv4, IPv6, TCP, UDP), with
// Wireshark's columns. Rows are copied out of epan's conversation table when it is done.
// With endpoints (Statistics → Endpoints) a row is one endpoint: address A and port A, its
// packets and bytes, A → B read as transmitted and B → A as received; the B, time and rate
// columns are empty.
class ConversationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        AddressA, PortA, AddressB, PortB, Packets, Bytes, PacketsAB, BytesAB, PacketsBA, BytesBA,
        RelStart, Duration, BitsAB, BitsBA, ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, FilterRole };

    explicit ConversationModel(bool hasPorts, QObject* parent = nullptr, bool endpoints = false);

    void setRows(const ConversationTap& tap);
    void setResolveNames(bool resolve);
    bool hasPorts() const { return hasPorts_; }
    bool endpoints() const { return endpoints_; }
    // Columns that mean nothing in this table (endpoints: B, times, rates; no ports: ports).
    bool unusedColumn(int column) const;

    // Text of the whole table as CSV or YAML (Copy menu).
    QString toCsv() const;
    QString toYaml() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Filter for the row's conversation: direction 0 A↔B, 1 A→B, 2 B→A.
    QString filterFor(int row, int direction) const;

private:
    struct Row {
        QString addrA[2], addrB[2]; // [0] numeric, [1] resolved
        QString portA[2], portB[2];
        quint64 pktsAB = 0, bytesAB = 0, pktsBA = 0, bytesBA = 0;
        double start = 0, duration = 0;
        QString filters[3];
    };
    QVariant value(const Row& r, int column) const;

    bool hasPorts_;
    bool endpoints_;
    bool resolve_ = false;
    std::vector<Row> rows_;
};

} // namespace ss::ui
