// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <QString>

#include <vector>

#include "io_graph_tap.h"

namespace ss::ui {

// The graphs of Statistics → I/O Graph, as Wireshark lists them: enabled, name, display
// filter, colour, unit — editable in place. Values are filled in by the dialog's pass.
class IoGraphModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { EnabledColumn, NameColumn, FilterColumn, UnitColumn, ColumnCount };
    struct Graph {
        bool enabled = true;
        QString name;
        QString filter;
        IoGraphTap::Unit unit = IoGraphTap::Unit::Packets;
        QColor color;
        std::vector<std::uint64_t> values; // per interval, after a pass
    };

    explicit IoGraphModel(QObject* parent = nullptr); // Wireshark's two defaults
    void addGraph(const QString& name, const QString& filter, IoGraphTap::Unit unit = IoGraphTap::Unit::Packets);
    void removeGraph(int row);
    const std::vector<Graph>& graphs() const { return graphs_; }
    void setValues(int row, std::vector<std::uint64_t> values);
    static QString unitName(IoGraphTap::Unit unit);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<Graph> graphs_;
};

} // namespace ss::ui
