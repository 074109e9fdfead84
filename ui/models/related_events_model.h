// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <vector>

#include "epan_includes.h"

namespace ss::ui {

// The "Related events" tab: for a packet, the records its ss.related.* links point at
// (alerts, process events, system calls, Cilium flows); for a record, the packets that
// link to it. Copied out of the dissection, like the detail tree.
class RelatedEventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { FrameColumn, KindColumn, EventColumn, ColumnCount };
    enum Role { FrameRole = Qt::UserRole + 1 };

    explicit RelatedEventsModel(QObject* parent = nullptr);

    // The links in `edt`'s tree (built visible); none when the packet has none.
    void setPacket(epan_dissect_t* edt);
    // The packets that link to a record (frame numbers), listed after what is there.
    void addPackets(const std::vector<std::uint32_t>& frames);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        std::uint32_t frame;
        QString kind;
        QString event;
    };
    std::vector<Row> rows_;
};

} // namespace ss::ui
