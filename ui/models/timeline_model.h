// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractItemModel>

#include <vector>

#include "lane_tap.h"

namespace ss::ui {

// The timeline's lanes as a tree: pods, and under each its processes; columns name,
// packets, marks. The timeline view draws the lanes this model lists.
class TimelineModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, PacketsColumn, MarksColumn, ColumnCount };

    explicit TimelineModel(QObject* parent = nullptr);
    void setLanes(std::vector<timeline::PodLanes> lanes, std::int64_t firstNs, std::int64_t lastNs);
    const timeline::Lane* lane(const QModelIndex& index) const;
    std::int64_t firstNs() const { return first_; }
    std::int64_t lastNs() const { return last_; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<timeline::PodLanes> pods_;
    std::int64_t first_ = 0, last_ = 0;
};

} // namespace ss::ui
