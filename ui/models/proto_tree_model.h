// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

#include "epan_includes.h"

namespace ss::ui {

// The detail tree of one packet: a copy of epan's proto tree taken while the dissection
// was alive (labels, filter names, byte ranges, expert severity), so the model never
// points into epan memory that the next dissection reuses.
class ProtoTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role {
        FilterRole = Qt::UserRole + 1, // "ip.src == 10.0.0.1": what Apply as Filter uses
        FieldNameRole,                 // "ip.src"
        ByteStartRole,
        ByteLengthRole,
        SeverityRole,                  // PI_* severity, 0 when none
        LinkedFrameRole,               // a frame link's target (FT_FRAMENUM), 0 when none
        DataSourceRole,                // which of dataSources() ByteStart/Length are in, -1 none
    };
    // The packet's data sources as Wireshark's bytes pane tabs them: the frame first, then
    // what dissectors made (reassembled TCP, decompressed, decrypted …), with epan's names
    // ("Frame (74 bytes)", "Reassembled TCP (1234 bytes)").
    struct DataSource {
        QString name;
        QByteArray bytes;
    };

    explicit ProtoTreeModel(QObject* parent = nullptr);
    ~ProtoTreeModel() override;

    // Replaces the tree with the one in `edt` (tree built visible) over `bytes`.
    void setPacket(epan_dissect_t* edt, const guint8* bytes, std::uint32_t length);
    void clear();
    const QByteArray& bytes() const { return bytes_; }
    const std::vector<DataSource>& dataSources() const { return sources_; }

    // The value part of an item's label ("Stream index: 1" and "[Stream index: 1]" → "1").
    static QString valueOf(const QString& label);

    // The deepest item whose bytes cover `offset` of data source `source` (for a click in
    // the bytes view).
    QModelIndex indexForByte(int offset, int source = 0) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    struct Node {
        QString label;
        QString fieldName;
        QString filter;
        int start = -1;
        int length = 0;
        int source = -1;
        int severity = 0;
        std::uint32_t linkedFrame = 0;
        Node* parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    static void copyChildren(proto_node* from, Node* to, epan_dissect_t* edt, const std::vector<tvbuff_t*>& sources);
    QModelIndex indexOf(const Node* node) const;

    std::unique_ptr<Node> root_;
    QByteArray bytes_;
    std::vector<DataSource> sources_;
};

} // namespace ss::ui
