// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>

#include <vector>

namespace ss::ui {

// A table whose rows are a std::vector<Row> the dialogs edit: rows added, removed and
// moved with the model's signals right (what QAbstractItemModelTester checks). Subclasses
// give the columns and data.
template <class Row>
class VectorTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    const std::vector<Row>& rows() const { return rows_; }
    void setRows(std::vector<Row> rows)
    {
        beginResetModel();
        rows_ = std::move(rows);
        endResetModel();
    }
    // `row` before `at` (at the end when out of range); its row.
    int insertRow(const Row& row, int at = -1)
    {
        if (at < 0 || at > int(rows_.size()))
            at = int(rows_.size());
        beginInsertRows({}, at, at);
        rows_.insert(rows_.begin() + at, row);
        endInsertRows();
        return at;
    }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(rows_.size()); }
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override
    {
        if (parent.isValid() || row < 0 || count <= 0 || row + count > int(rows_.size()) ||
            int(rows_.size()) - count < minimumRows())
            return false;
        beginRemoveRows({}, row, row + count - 1);
        rows_.erase(rows_.begin() + row, rows_.begin() + row + count);
        endRemoveRows();
        return true;
    }
    bool moveRows(const QModelIndex& source, int row, int count, const QModelIndex& destination,
                  int destinationChild) override
    {
        if (source.isValid() || destination.isValid() || row < 0 || count <= 0 || row + count > int(rows_.size()) ||
            destinationChild < 0 || destinationChild > int(rows_.size()) ||
            (destinationChild >= row && destinationChild <= row + count))
            return false;
        if (!beginMoveRows({}, row, row + count - 1, {}, destinationChild))
            return false;
        std::vector<Row> moving(rows_.begin() + row, rows_.begin() + row + count);
        rows_.erase(rows_.begin() + row, rows_.begin() + row + count);
        const int at = destinationChild > row ? destinationChild - count : destinationChild;
        rows_.insert(rows_.begin() + at, moving.begin(), moving.end());
        endMoveRows();
        return true;
    }

protected:
    virtual int minimumRows() const { return 0; }
    std::vector<Row> rows_;
};

} // namespace ss::ui
