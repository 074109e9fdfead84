// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

#include <cstdint>
#include <set>
#include <vector>

#include "lane_tap.h"

namespace ss::ui {

class TimelineModel;

// The unified timeline: one lane per pod (expand it for one per process), a packet-rate strip
// drawn from per-pixel counts (two binary searches a pixel: never one item per packet, so a
// million packets draw as fast as a hundred), and marks for alerts (by priority colour),
// exec/exit, failed syscalls and flow verdicts (DROPPED in red). The wheel zooms around the
// mouse, dragging pans; a click on a mark (or on the strip) asks for that frame; the time
// cursor follows the packet list.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kLabelWidth = 220;
    static constexpr int kRowHeight = 30;
    static constexpr int kAxisHeight = 22;

    explicit TimelineView(QWidget* parent = nullptr);
    void setModel(TimelineModel* model);

    int rows() const { return int(rows_.size()); }
    QModelIndex laneAt(int row) const;
    void setExpanded(int podRow, bool expanded);
    bool isExpanded(int podRow) const { return expanded_.count(podRow) > 0; }

    void setRange(std::int64_t fromNs, std::int64_t toNs);
    std::int64_t rangeFrom() const { return from_; }
    std::int64_t rangeTo() const { return to_; }
    void zoom(double factor, std::int64_t aroundNs); // factor < 1 zooms in
    void showAll();

    void setTimeCursor(std::int64_t ns);
    std::int64_t timeCursor() const { return cursor_; }

    int xOf(std::int64_t ns) const;
    std::int64_t nsAt(double x) const;
    QPoint pointOf(int row, std::int64_t ns) const; // the middle of a lane at a time
    // Packets per pixel column of the plot, for lane `row` (what the strip draws).
    std::vector<std::size_t> counts(int row) const;
    const timeline::Mark* markAt(const QPoint& pos) const;
    std::uint32_t packetAt(const QPoint& pos) const; // 0 when none near

    static QColor markColor(const timeline::Mark& m);

signals:
    void frameRequested(std::uint32_t frame);
    void rangeChanged();

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    QSize sizeHint() const override { return {900, 400}; }

private:
    void rebuildRows();
    int rowAt(int y) const;
    void paintAxis(QPainter& p);
    void paintLane(QPainter& p, int row);
    const timeline::Lane* laneOf(int row) const;
    double plotWidth() const { return std::max(1, width() - kLabelWidth); }

    TimelineModel* model_ = nullptr;
    std::vector<QPersistentModelIndex> rows_;
    std::set<int> expanded_;
    std::int64_t from_ = 0, to_ = 1;
    std::int64_t cursor_ = -1;
    QPoint pressPos_;
    std::int64_t pressFrom_ = 0, pressTo_ = 0;
    bool dragging_ = false;
};

} // namespace ss::ui
