// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_model.h"

#include "conversation_tap.h"

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

void ConversationModel::setRows(const ConversationTap& tap)
{
    const ResolveEverything resolving; // for the [1] (resolved) strings; [0] ask for none
    beginResetModel();
    rows_.clear();
    if (endpoints_) {
        for (guint i = 0; i < tap.count(); ++i) {
            endpoint_item_t e = tap.endpoint(i);
            Row r;
            for (int res = 0; res < 2; ++res) {
                r.addrA[res] = takeWmem(get_conversation_address(nullptr, &e.myaddress, res));
                if (hasPorts_)
                    r.portA[res] = takeWmem(get_endpoint_port(nullptr, &e, res));
            }
            r.pktsAB = e.tx_frames;
            r.bytesAB = e.tx_bytes;
            r.pktsBA = e.rx_frames;
            r.bytesBA = e.rx_bytes;
            const QString filter = takeWmem(get_endpoint_filter(&e));
            for (auto& f : r.filters)
                f = filter;
            rows_.push_back(std::move(r));
        }
        endResetModel();
        return;
    }
    for (guint i = 0; i < tap.count(); ++i) {
        conv_item_t c = tap.item(i);
        Row r;
        for (int res = 0; res < 2; ++res) {
            r.addrA[res] = takeWmem(get_conversation_address(nullptr, &c.src_address, res));
            r.addrB[res] = takeWmem(get_conversation_address(nullptr, &c.dst_address, res));
            if (hasPorts_) {
                r.portA[res] = takeWmem(get_conversation_port(nullptr, c.src_port, c.ctype, res));
                r.portB[res] = takeWmem(get_conversation_port(nullptr, c.dst_port, c.ctype, res));
            }
        }
        r.pktsAB = c.tx_frames;
        r.bytesAB = c.tx_bytes;
        r.pktsBA = c.rx_frames;
        r.bytesBA = c.rx_bytes;
        r.start = nstime_to_sec(&c.start_time);
        r.duration = nstime_to_sec(&c.stop_time) - nstime_to_sec(&c.start_time);
        const conv_direction_e dirs[3] = {CONV_DIR_A_TO_FROM_B, CONV_DIR_A_TO_B, CONV_DIR_A_FROM_B};
        for (int d = 0; d < 3; ++d)
            r.filters[d] = takeWmem(get_conversation_filter(&c, dirs[d]));
        rows_.push_back(std::move(r));
    }
    endResetModel();
}

void ConversationModel::setResolveNames(bool resolve)
{
    if (resolve == resolve_)
        return;
    resolve_ = resolve;
    if (!rows_.empty())
        emit dataChanged(index(0, AddressA), index(int(rows_.size()) - 1, PortB));
}

int ConversationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int ConversationModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConversationModel::value(const Row& r, int column) const
{
    const int res = resolve_ ? 1 : 0;
    auto bits = [&](quint64 bytes) -> QVariant {
        if (r.duration <= 0)
            return QStringLiteral("N/A");
        return qRound64(double(bytes) * 8.0 / r.duration);
    };
    switch (column) {
    case AddressA: return r.addrA[res];
    case PortA: return r.portA[res];
    case AddressB: return r.addrB[res];
    case PortB: return r.portB[res];
    case Packets: return r.pktsAB + r.pktsBA;
    case Bytes: return r.bytesAB + r.bytesBA;
    case PacketsAB: return r.pktsAB;
    case BytesAB: return r.bytesAB;
    case PacketsBA: return r.pktsBA;
    case BytesBA: return r.bytesBA;
    case RelStart: return QString::number(r.start, 'f', 6);
    case Duration: return QString::number(r.duration, 'f', 4);
    case BitsAB: return bits(r.bytesAB);
    case BitsBA: return bits(r.bytesBA);
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
    case SortRole:
        if (index.column() == RelStart)
            return r.start;
        if (index.column() == Duration)
            return r.duration;
        return value(r, index.column());
    case FilterRole:
        return r.filters[0];
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
    return rows_[size_t(row)].filters[direction];
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
