// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "columns.h"
#include "vector_table_model.h"

namespace ss::ui {

// The packet list's columns as Preferences → Columns edits them: shown (checkable), title,
// type, fields of a custom column. The dialog writes them back with setColumnSpecs.
class ColumnListModel : public VectorTableModel<ColumnSpec> {
    Q_OBJECT
public:
    enum Column { Displayed, Title, Type, Fields, kColumns };

    explicit ColumnListModel(std::vector<ColumnSpec> columns, QObject* parent = nullptr);

    const std::vector<ColumnSpec>& columns() const { return rows_; }
    int addCustom(const QString& title, const QString& fields); // at the end; its row
    // A custom column without fields: the first such row, or -1.
    int incomplete() const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
protected:
    int minimumRows() const override { return 1; } // epan needs a column
};

} // namespace ss::ui
