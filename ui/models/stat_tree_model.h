// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <cstdint>
#include <memory>
#include <vector>

namespace ss::ui {

// A read-only tree of statistics rows (Expert Information, Protocol Hierarchy, epan's
// statistics trees): each row a list of values under fixed headers, optionally a frame
// number it stands for. Filled once a tap pass is over; it owns copies, never epan's data.
class StatTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    struct Node {
        QVector<QVariant> values;
        std::uint32_t frame = 0; // a packet this row stands for, 0 for none
        QString filter;          // a display filter that shows what the row counts
        std::vector<std::unique_ptr<Node>> children;
        Node* parent = nullptr;
        int row = 0;
        Node* add(QVector<QVariant> rowValues);
    };
    enum Roles { SortRole = Qt::UserRole + 1, FrameRole, FilterRole };

    explicit StatTreeModel(QStringList headers, QObject* parent = nullptr);
    ~StatTreeModel() override;

    // Replaces the whole tree (and the headers, when given).
    void setRoot(std::unique_ptr<Node> root, const QStringList& headers = {});

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const Node* nodeOf(const QModelIndex& index) const;

    QStringList headers_;
    std::unique_ptr<Node> root_;
};

} // namespace ss::ui
