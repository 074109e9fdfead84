// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "epan_includes.h"

namespace ss {
class ConversationTap;
namespace fast {
struct RowTable;
}
} // namespace ss

namespace ss::ui {

// One table of Statistics → Conversations (Ethernet, IPv4, IPv6, TCP, UDP), with
// Wireshark's columns. Rows are copied out of epan's conversation table when it is done, as
// numbers: addresses, ports and filters become text when a view or a copy first asks for
// them (a node's capture has tens of thousands of rows, mostly never on screen).
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
    enum Role { FilterRole = Qt::UserRole + 1 };

    explicit ConversationModel(bool hasPorts, QObject* parent = nullptr, bool endpoints = false);

    void setRows(const ConversationTap& tap);
    // One table of the statistics fast path's counts made into rows on any thread (no epan
    // call: the GUI thread only swaps them in), for a model of the same kind.
    class Prepared;
    static std::shared_ptr<Prepared> prepare(const fast::RowTable& table);
    void setRows(Prepared&& prepared);
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

    // Sorts the rows themselves (no proxy: a proxy asks for two indexes and two variants per
    // comparison). Address columns in Wireshark's order: by address type, IPv4 as a number,
    // other types by their text (case-insensitive); equal addresses by the other address,
    // then by this side's port — numbers need no text, so sorting a node's 50,000 IPv4 rows
    // formats nothing. Other columns by value. Ties keep epan's order, and new rows from
    // setRows come sorted the same way.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    struct Address {
        address_type type = AT_NONE;
        int length = 0;
        std::array<std::uint8_t, 16> bytes{};
    };
    // [0] numeric, [1] resolved; filters A↔B, A→B, B→A.
    struct Texts {
        std::optional<QString> addrA[2], addrB[2], portA[2], portB[2], filters[3];
    };
    struct Row {
        Address a, b;
        quint32 epanOrder = 0; // position in epan's table: the tie-break of every sort
        guint32 portA = 0, portB = 0;
        quint64 pktsAB = 0, bytesAB = 0, pktsBA = 0, bytesBA = 0;
        double start = 0, duration = 0;
        // Text made on first use (most rows never show): kept apart so a row stays small to
        // sort and to hold.
        mutable std::unique_ptr<Texts> texts;
        Texts& text() const;
    };
    QVariant value(const Row& r, int column) const;
    // A row's rate A → B (or B → A with `ba`) as shown and sorted; none without a duration ("N/A").
    static std::optional<double> bitsPerSecond(const Row& r, bool ba);
    static QString formatAddress(const Address& from, int res);
    // Sorting (conversation_model_sort.cpp).
    struct AddressKeys {
        quint64 a, b;
    };
    std::vector<AddressKeys> addressKeys() const;
    static quint64 columnKey(const Row& r, int column);
    void sortRows();
    const QString& addressText(const Row& r, bool b, int res) const;
    const QString& portText(const Row& r, bool b, int res) const;
    const QString& filterText(const Row& r, int direction) const;

    bool hasPorts_;
    bool endpoints_;
    bool resolve_ = false;
    int sortColumn_ = -1; // -1: epan's order
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
    std::vector<Row> rows_;
    void takeRows(std::vector<Row>&& rows);
    // What epan's functions need to make a row's text: the table's kind and its dissector's
    // filter callbacks (static in the dissector, or the fast path's: valid after the tap is gone).
    conversation_type ctype_ = CONVERSATION_NONE;
    endpoint_type etype_ = ENDPOINT_NONE;
    ct_dissector_info_t* convInfo_ = nullptr;
    et_dissector_info_t* endpointInfo_ = nullptr;
};

} // namespace ss::ui
