// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_model.h"

#include "conversation_tap.h"
#include "fast_conversations.h"

#include <algorithm>
#include <cstring>

namespace ss::ui {
namespace {

QString takeWmem(char* text)
{
    QString s = QString::fromUtf8(text);
    wmem_free(nullptr, text);
    return s;
}

const char* const kTitles[] = {"Address A", "Port A", "Address B", "Port B", "Packets", "Bytes",
                               "Packets A → B", "Bytes A → B", "Packets B → A", "Bytes B → A",
                               "Rel Start", "Duration", "Bits/s A → B", "Bits/s B → A"};

const char* const kEndpointTitles[] = {"Address", "Port", "", "", "Packets", "Bytes", "Tx Packets", "Tx Bytes",
                                       "Rx Packets", "Rx Bytes", "", "", "", ""};

// While the resolved names are made: MAC, transport and network names on, the network
// names only from what the capture's DNS packets and the hosts files say (never a lookup
// on the wire), as Wireshark's "Name resolution" box shows them.
class ResolveEverything {
public:
    ResolveEverything() : saved_(gbl_resolv_flags)
    {
        gbl_resolv_flags.mac_name = TRUE;
        gbl_resolv_flags.transport_name = TRUE;
        gbl_resolv_flags.network_name = TRUE;
        gbl_resolv_flags.dns_pkt_addr_resolution = TRUE;
        gbl_resolv_flags.use_external_net_name_resolver = FALSE;
    }
    ~ResolveEverything() { gbl_resolv_flags = saved_; }
    ResolveEverything(const ResolveEverything&) = delete;
    ResolveEverything& operator=(const ResolveEverything&) = delete;

private:
    e_addr_resolve saved_;
};

} // namespace

ConversationModel::ConversationModel(bool hasPorts, QObject* parent, bool endpoints)
    : QAbstractTableModel(parent), hasPorts_(hasPorts), endpoints_(endpoints)
{
}

bool ConversationModel::unusedColumn(int column) const
{
    if (!hasPorts_ && (column == PortA || column == PortB))
        return true;
    return endpoints_ && (column == AddressB || column == PortB || column >= RelStart);
}

namespace {

template <typename AddressCopy>
void copyAddress(const address& from, AddressCopy& to)
{
    to.type = address_type(from.type);
    to.length = std::min(from.len, int(to.bytes.size()));
    if (from.data && to.length > 0)
        std::memcpy(to.bytes.data(), from.data, std::size_t(to.length));
}

} // namespace

class ConversationModel::Prepared {
public:
    std::vector<Row> rows;
    bool endpoints = false;
    FastTableTypes types{};
};

std::shared_ptr<ConversationModel::Prepared> ConversationModel::prepare(const fast::RowTable& table)
{
    auto prepared = std::make_shared<Prepared>();
    prepared->endpoints = table.request.endpoints;
    prepared->types = fastTableTypes(table.request.table);
    auto fill = [](Address& to, const fast::AddressBytes& bytes, int length) {
        to.type = length == 6 ? AT_ETHER : length == 16 ? AT_IPv6 : AT_IPv4;
        to.length = length;
        std::memcpy(to.bytes.data(), bytes.data(), std::size_t(length));
    };
    std::vector<Row>& rows = prepared->rows;
    if (table.request.endpoints) {
        rows.resize(table.endpoints.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            const fast::EndpointRow& e = table.endpoints[i];
            Row& r = rows[i];
            fill(r.a, e.address, e.addressBytes);
            r.portA = e.port;
            r.pktsAB = e.txFrames;
            r.bytesAB = e.txBytes;
            r.pktsBA = e.rxFrames;
            r.bytesBA = e.rxBytes;
            r.epanOrder = quint32(i);
        }
        return prepared;
    }
    rows.resize(table.conversations.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const fast::ConversationRow& c = table.conversations[i];
        Row& r = rows[i];
        fill(r.a, c.src, c.addressBytes);
        fill(r.b, c.dst, c.addressBytes);
        r.portA = c.srcPort;
        r.portB = c.dstPort;
        r.pktsAB = c.txFrames;
        r.bytesAB = c.txBytes;
        r.pktsBA = c.rxFrames;
        r.bytesBA = c.rxBytes;
        r.start = nstime_to_sec(&c.start);
        r.duration = nstime_to_sec(&c.stop) - nstime_to_sec(&c.start);
        r.epanOrder = quint32(i);
    }
    return prepared;
}

void ConversationModel::setRows(Prepared&& prepared)
{
    if (prepared.endpoints != endpoints_)
        return; // a table of the other kind: nothing of it fits these columns
    ctype_ = prepared.types.ctype;
    etype_ = prepared.types.etype;
    convInfo_ = prepared.types.convInfo;
    endpointInfo_ = prepared.types.endpointInfo;
    takeRows(std::move(prepared.rows));
}

void ConversationModel::takeRows(std::vector<Row>&& rows)
{
    beginResetModel();
    rows_ = std::move(rows);
    sortRows();
    endResetModel();
}

void ConversationModel::setRows(const ConversationTap& tap)
{
    std::vector<Row> rows;
    rows.reserve(tap.count());
    if (endpoints_) {
        for (guint i = 0; i < tap.count(); ++i) {
            const endpoint_item_t& e = tap.endpoint(i);
            Row r;
            copyAddress(e.myaddress, r.a);
            r.portA = e.port;
            r.pktsAB = e.tx_frames;
            r.bytesAB = e.tx_bytes;
            r.pktsBA = e.rx_frames;
            r.bytesBA = e.rx_bytes;
            r.epanOrder = i;
            etype_ = e.etype;
            endpointInfo_ = e.dissector_info;
            rows.push_back(std::move(r));
        }
    } else {
        for (guint i = 0; i < tap.count(); ++i) {
            const conv_item_t& c = tap.item(i);
            Row r;
            copyAddress(c.src_address, r.a);
            copyAddress(c.dst_address, r.b);
            r.portA = c.src_port;
            r.portB = c.dst_port;
            r.pktsAB = c.tx_frames;
            r.bytesAB = c.tx_bytes;
            r.pktsBA = c.rx_frames;
            r.bytesBA = c.rx_bytes;
            r.start = nstime_to_sec(&c.start_time);
            r.duration = nstime_to_sec(&c.stop_time) - nstime_to_sec(&c.start_time);
            r.epanOrder = i;
            ctype_ = c.ctype;
            convInfo_ = c.dissector_info;
            rows.push_back(std::move(r));
        }
    }
    takeRows(std::move(rows));
}

ConversationModel::Texts& ConversationModel::Row::text() const
{
    if (!texts)
        texts = std::make_unique<Texts>();
    return *texts;
}

QString ConversationModel::formatAddress(const Address& from, int res)
{
    address a;
    set_address(&a, from.type, from.length, from.bytes.data());
    std::optional<ResolveEverything> resolving;
    if (res)
        resolving.emplace();
    return takeWmem(get_conversation_address(nullptr, &a, res));
}

const QString& ConversationModel::addressText(const Row& r, bool b, int res) const
{
    std::optional<QString>& text = b ? r.text().addrB[res] : r.text().addrA[res];
    if (!text)
        text = formatAddress(b ? r.b : r.a, res);
    return *text;
}

const QString& ConversationModel::portText(const Row& r, bool b, int res) const
{
    std::optional<QString>& text = b ? r.text().portB[res] : r.text().portA[res];
    if (!text) {
        std::optional<ResolveEverything> resolving;
        if (res)
            resolving.emplace();
        if (endpoints_) {
            endpoint_item_t e{};
            e.etype = etype_;
            e.port = r.portA;
            text = takeWmem(get_endpoint_port(nullptr, &e, res));
        } else {
            text = takeWmem(get_conversation_port(nullptr, b ? r.portB : r.portA, ctype_, res));
        }
    }
    return *text;
}

const QString& ConversationModel::filterText(const Row& r, int direction) const
{
    std::optional<QString>& text = r.text().filters[direction];
    if (!text) {
        if (endpoints_) {
            endpoint_item_t e{};
            e.dissector_info = endpointInfo_;
            set_address(&e.myaddress, r.a.type, r.a.length, r.a.bytes.data());
            e.etype = etype_;
            e.port = r.portA;
            text = endpointInfo_ ? takeWmem(get_endpoint_filter(&e)) : QString();
        } else {
            static const conv_direction_e kDirections[3] = {CONV_DIR_A_TO_FROM_B, CONV_DIR_A_TO_B, CONV_DIR_A_FROM_B};
            conv_item_t c{};
            c.dissector_info = convInfo_;
            set_address(&c.src_address, r.a.type, r.a.length, r.a.bytes.data());
            set_address(&c.dst_address, r.b.type, r.b.length, r.b.bytes.data());
            c.src_port = r.portA;
            c.dst_port = r.portB;
            c.ctype = ctype_;
            text = convInfo_ ? takeWmem(get_conversation_filter(&c, kDirections[direction])) : QString();
        }
    }
    return *text;
}

void ConversationModel::setResolveNames(bool resolve)
{
    if (resolve == resolve_)
        return;
    resolve_ = resolve;
    if (rows_.empty())
        return;
    emit dataChanged(index(0, AddressA), index(int(rows_.size()) - 1, PortB));
    if (sortColumn_ == AddressA || sortColumn_ == AddressB)
        sort(sortColumn_, sortOrder_); // names sort otherwise than numbers
}

int ConversationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int ConversationModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<double> ConversationModel::bitsPerSecond(const Row& r, bool ba)
{
    if (r.duration <= 0)
        return std::nullopt;
    return double(ba ? r.bytesBA : r.bytesAB) * 8.0 / r.duration;
}

QVariant ConversationModel::value(const Row& r, int column) const
{
    const int res = resolve_ ? 1 : 0;
    auto bits = [&](bool ba) -> QVariant {
        const auto rate = bitsPerSecond(r, ba);
        return rate ? QVariant(qRound64(*rate)) : QVariant(QStringLiteral("N/A"));
    };
    switch (column) {
    case AddressA: return addressText(r, false, res);
    case PortA: return hasPorts_ ? portText(r, false, res) : QString();
    case AddressB: return addressText(r, true, res);
    case PortB: return hasPorts_ ? portText(r, true, res) : QString();
    case Packets: return r.pktsAB + r.pktsBA;
    case Bytes: return r.bytesAB + r.bytesBA;
    case PacketsAB: return r.pktsAB;
    case BytesAB: return r.bytesAB;
    case PacketsBA: return r.pktsBA;
    case BytesBA: return r.bytesBA;
    case RelStart: return QString::number(r.start, 'f', 6);
    case Duration: return QString::number(r.duration, 'f', 4);
    case BitsAB: return bits(false);
    case BitsBA: return bits(true);
    default: return {};
    }
}

QVariant ConversationModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return {};
    const Row& r = rows_[size_t(index.row())];
    if (unusedColumn(index.column()))
        return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        return value(r, index.column());
    case FilterRole:
        return filterText(r, 0);
    case Qt::TextAlignmentRole:
        return index.column() >= Packets ? QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter))
                                         : QVariant();
    default:
        return {};
    }
}

QVariant ConversationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < ColumnCount)
        return QString::fromUtf8(endpoints_ ? kEndpointTitles[section] : kTitles[section]);
    return {};
}

QString ConversationModel::filterFor(int row, int direction) const
{
    if (row < 0 || row >= int(rows_.size()) || direction < 0 || direction > 2)
        return {};
    return filterText(rows_[size_t(row)], endpoints_ ? 0 : direction);
}

QString ConversationModel::toCsv() const
{
    QStringList lines;
    QStringList head;
    for (int c = 0; c < ColumnCount; ++c)
        if (!unusedColumn(c))
            head << QStringLiteral("\"%1\"").arg(QString::fromUtf8(endpoints_ ? kEndpointTitles[c] : kTitles[c]));
    lines << head.join(',');
    for (const Row& r : rows_) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            if (!unusedColumn(c))
                cells << QStringLiteral("\"%1\"").arg(value(r, c).toString());
        lines << cells.join(',');
    }
    return lines.join('\n') + '\n';
}

QString ConversationModel::toYaml() const
{
    QString out;
    for (const Row& r : rows_) {
        out += "-\n";
        for (int c = 0; c < ColumnCount; ++c)
            if (!unusedColumn(c))
                out += QStringLiteral("  - %1\n").arg(value(r, c).toString());
    }
    return out;
}

} // namespace ss::ui
