// SPDX-License-Identifier: GPL-2.0-or-later
// Sorting the Conversations and Endpoints tables as Wireshark 4.0's TrafficDataFilterProxy
// sorts them, on the model's own rows.
#include "conversation_model.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace ss::ui {
namespace {

// An address by its type and bytes (the bytes of two types may be equal).
struct DistinctKey {
    address_type type;
    std::string_view bytes;
    bool operator==(const DistinctKey&) const = default;
};

struct DistinctHash {
    size_t operator()(const DistinctKey& k) const { return std::hash<std::string_view>()(k.bytes) ^ size_t(k.type); }
};

} // namespace

// One integer per address that sorts as Wireshark sorts the column: the address type in the
// high half; below it an IPv4 address as a number, any other address as the rank of its text
// (case-insensitive) among the table's distinct addresses — each distinct address is
// formatted once, however many rows hold it. Without names, a MAC address's text is
// fixed-width lowercase hex, so its bytes give the same rank.
std::vector<ConversationModel::AddressKeys> ConversationModel::addressKeys() const
{
    const int res = resolve_ ? 1 : 0;
    auto numeric = [&](const Address& a) -> std::optional<quint64> {
        if (a.type == AT_IPv4 && a.length == 4)
            return quint32(a.bytes[0]) << 24 | quint32(a.bytes[1]) << 16 | quint32(a.bytes[2]) << 8 | a.bytes[3];
        if (a.type == AT_ETHER && a.length == 6 && !res)
            return quint64(a.bytes[0]) << 40 | quint64(a.bytes[1]) << 32 | quint64(a.bytes[2]) << 24 |
                   quint64(a.bytes[3]) << 16 | quint64(a.bytes[4]) << 8 | a.bytes[5];
        if (a.type == AT_NONE)
            return 0;
        return std::nullopt;
    };
    // Pass 1: numbers now; other addresses get the index of their distinct entry.
    std::unordered_map<DistinctKey, quint32, DistinctHash> indexOf; // views into rows_' bytes
    std::vector<const Address*> distinct;
    std::vector<AddressKeys> keys(rows_.size());
    std::vector<bool> ranked(rows_.size() * 2, false);
    for (size_t i = 0; i < rows_.size(); ++i) {
        const Row& r = rows_[i];
        for (int side = 0; side < 2; ++side) {
            const Address& a = side ? r.b : r.a;
            quint64 low = 0;
            if (auto n = numeric(a)) {
                low = *n;
            } else {
                const DistinctKey key{a.type, {reinterpret_cast<const char*>(a.bytes.data()), size_t(a.length)}};
                auto [it, added] = indexOf.try_emplace(key, quint32(distinct.size()));
                if (added)
                    distinct.push_back(&a);
                low = it->second;
                ranked[i * 2 + size_t(side)] = true;
            }
            (side ? keys[i].b : keys[i].a) = quint64(a.type) << 48 | low;
        }
    }
    if (distinct.empty())
        return keys;
    // Pass 2: each distinct address formatted once, ranked by its text.
    std::vector<QString> text;
    text.reserve(distinct.size());
    for (const Address* a : distinct)
        text.push_back(formatAddress(*a, res));
    std::vector<quint32> byText(distinct.size());
    std::iota(byText.begin(), byText.end(), quint32(0));
    auto textCompare = [&](quint32 x, quint32 y) { return QString::compare(text[x], text[y], Qt::CaseInsensitive); };
    std::stable_sort(byText.begin(), byText.end(), [&](quint32 x, quint32 y) { return textCompare(x, y) < 0; });
    std::vector<quint32> rank(distinct.size());
    for (size_t i = 0; i < byText.size(); ++i)
        rank[byText[i]] = i > 0 && textCompare(byText[i - 1], byText[i]) == 0 ? rank[byText[i - 1]] : quint32(i);
    constexpr quint64 kLow = (quint64(1) << 48) - 1;
    for (size_t i = 0; i < keys.size(); ++i)
        for (int side = 0; side < 2; ++side)
            if (ranked[i * 2 + size_t(side)]) {
                quint64& k = side ? keys[i].b : keys[i].a;
                k = (k & ~kLow) | rank[k & kLow];
            }
    return keys;
}

namespace {

// A double as an unsigned integer of the same order.
quint64 orderedBits(double d)
{
    const auto bits = std::bit_cast<quint64>(d);
    return bits >> 63 ? ~bits : bits | quint64(1) << 63;
}

} // namespace

quint64 ConversationModel::columnKey(const Row& r, int column)
{
    switch (column) {
    case PortA: return r.portA;
    case PortB: return r.portB;
    case Packets: return r.pktsAB + r.pktsBA;
    case Bytes: return r.bytesAB + r.bytesBA;
    case PacketsAB: return r.pktsAB;
    case BytesAB: return r.bytesAB;
    case PacketsBA: return r.pktsBA;
    case BytesBA: return r.bytesBA;
    case RelStart: return orderedBits(r.start);
    case Duration: return orderedBits(r.duration);
    case BitsAB:
    case BitsBA: // "N/A" (no duration) below every rate
        return orderedBits(bitsPerSecond(r, column == BitsBA).value_or(-1.0));
    default: return 0;
    }
}

// Each row's keys are laid out together first (a 32-byte record: the comparisons stay in
// cache), sorted, then each row is moved once. An address column compares this side's
// address, then (conversations) the other side's, then this side's port. Ties keep epan's
// order, in either direction.
void ConversationModel::sortRows()
{
    const int column = sortColumn_;
    if (column < 0 && std::is_sorted(rows_.begin(), rows_.end(),
                                      [](const Row& x, const Row& y) { return x.epanOrder < y.epanOrder; }))
        return;
    struct Record {
        quint64 key[3];
        quint32 epanOrder, row;
    };
    std::vector<Record> records(rows_.size());
    const bool byAddress = column == AddressA || column == AddressB;
    const std::vector<AddressKeys> keys = byAddress ? addressKeys() : std::vector<AddressKeys>{};
    const bool b = column == AddressB;
    for (size_t i = 0; i < rows_.size(); ++i) {
        const Row& r = rows_[i];
        Record& rec = records[i];
        rec = {{0, 0, 0}, r.epanOrder, quint32(i)};
        if (byAddress) {
            rec.key[0] = b ? keys[i].b : keys[i].a;
            rec.key[1] = endpoints_ ? 0 : (b ? keys[i].a : keys[i].b);
            rec.key[2] = hasPorts_ ? (b ? r.portB : r.portA) : 0;
        } else if (column >= 0) {
            rec.key[0] = columnKey(r, column);
        }
    }
    const bool descending = sortOrder_ == Qt::DescendingOrder;
    std::sort(records.begin(), records.end(), [descending](const Record& x, const Record& y) {
        for (int k = 0; k < 3; ++k)
            if (x.key[k] != y.key[k])
                return descending ? y.key[k] < x.key[k] : x.key[k] < y.key[k];
        return x.epanOrder < y.epanOrder;
    });
    std::vector<Row> sorted;
    sorted.reserve(rows_.size());
    for (const Record& rec : records)
        sorted.push_back(std::move(rows_[rec.row]));
    rows_.swap(sorted);
}

void ConversationModel::sort(int column, Qt::SortOrder order)
{
    if (column >= ColumnCount)
        return;
    sortColumn_ = column;
    sortOrder_ = order;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<quint32> orderOfRow;
    for (const QModelIndex& index : before)
        orderOfRow.push_back(rows_[size_t(index.row())].epanOrder);
    sortRows();
    if (!before.isEmpty()) {
        std::vector<int> rowOfOrder(rows_.size());
        for (size_t i = 0; i < rows_.size(); ++i)
            rowOfOrder[rows_[i].epanOrder] = int(i);
        QModelIndexList after;
        for (qsizetype i = 0; i < before.size(); ++i)
            after << index(rowOfOrder[orderOfRow[size_t(i)]], before[i].column());
        changePersistentIndexList(before, after);
    }
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace ss::ui
