// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_view.h"

#include "models/timeline_model.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace ss::ui {
namespace {

constexpr std::int64_t kMinSpanNs = 1000; // zoom stops at a microsecond across the plot

// A tick step of 1, 2 or 5 × 10^k nanoseconds that gives about `ticks` ticks over `span`.
std::int64_t tickStep(std::int64_t span, int ticks)
{
    const double raw = double(span) / std::max(1, ticks);
    double step = std::pow(10.0, std::floor(std::log10(std::max(raw, 1.0))));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (step * m >= raw) {
            step *= m;
            break;
        }
    return std::max<std::int64_t>(1, std::int64_t(step));
}

QString secondsText(std::int64_t ns, std::int64_t step)
{
    const int decimals = step >= 1000000000 ? 0 : step >= 100000000 ? 1 : step >= 10000000 ? 2 : step >= 1000000 ? 3 : 6;
    return QString::number(double(ns) / 1e9, 'f', decimals) + " s";
}

} // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent)
{
    setObjectName("timelineView");
    setMouseTracking(false);
    setMinimumHeight(kAxisHeight + 2 * kRowHeight);
}

void TimelineView::setModel(TimelineModel* model)
{
    model_ = model;
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        expanded_.clear();
        rebuildRows();
        showAll();
    });
    rebuildRows();
    showAll();
}

void TimelineView::rebuildRows()
{
    rows_.clear();
    if (!model_)
        return;
    for (int pod = 0; pod < model_->rowCount(); ++pod) {
        const QModelIndex podIndex = model_->index(pod, 0);
        rows_.emplace_back(podIndex);
        if (expanded_.count(pod))
            for (int proc = 0; proc < model_->rowCount(podIndex); ++proc)
                rows_.emplace_back(model_->index(proc, 0, podIndex));
    }
    setMinimumHeight(kAxisHeight + std::max(2, int(rows_.size())) * kRowHeight);
    update();
}

QModelIndex TimelineView::laneAt(int row) const
{
    return row >= 0 && row < int(rows_.size()) ? QModelIndex(rows_[size_t(row)]) : QModelIndex();
}

const timeline::Lane* TimelineView::laneOf(int row) const
{
    return model_ ? model_->lane(laneAt(row)) : nullptr;
}

void TimelineView::setExpanded(int podRow, bool expanded)
{
    if (expanded)
        expanded_.insert(podRow);
    else
        expanded_.erase(podRow);
    rebuildRows();
}

void TimelineView::setRange(std::int64_t fromNs, std::int64_t toNs)
{
    if (toNs - fromNs < kMinSpanNs) {
        const std::int64_t mid = fromNs / 2 + toNs / 2;
        fromNs = mid - kMinSpanNs / 2;
        toNs = fromNs + kMinSpanNs;
    }
    from_ = fromNs;
    to_ = toNs;
    emit rangeChanged();
    update();
}

void TimelineView::showAll()
{
    if (!model_)
        return;
    const std::int64_t span = std::max<std::int64_t>(model_->lastNs() - model_->firstNs(), kMinSpanNs);
    setRange(model_->firstNs() - span / 50, model_->lastNs() + span / 50 + 1);
}

void TimelineView::zoom(double factor, std::int64_t aroundNs)
{
    // Offsets from `aroundNs`, not absolute times: a double holds epoch nanoseconds only to
    // 256 ns.
    setRange(aroundNs - std::int64_t(std::llround(double(aroundNs - from_) * factor)),
             aroundNs + std::int64_t(std::llround(double(to_ - aroundNs) * factor)));
}

void TimelineView::setTimeCursor(std::int64_t ns)
{
    cursor_ = ns;
    // Keep the cursor in view: re-centre when it falls outside.
    if (ns >= 0 && (ns < from_ || ns > to_)) {
        const std::int64_t span = to_ - from_;
        setRange(ns - span / 2, ns - span / 2 + span);
    }
    update();
}

int TimelineView::xOf(std::int64_t ns) const
{
    // An event far outside the view (zoomed in on a long file) is far off the widget: clamp
    // before the conversion, which is undefined past int's range (UBSan found it).
    const double x = std::floor(double(ns - from_) * plotWidth() / double(to_ - from_));
    return kLabelWidth + int(std::clamp(x, -1e6, 1e6));
}

std::int64_t TimelineView::nsAt(double x) const
{
    return from_ + std::int64_t(std::floor((x - kLabelWidth) * double(to_ - from_) / plotWidth()));
}

QPoint TimelineView::pointOf(int row, std::int64_t ns) const
{
    return {xOf(ns), kAxisHeight + row * kRowHeight + kRowHeight / 2};
}

int TimelineView::rowAt(int y) const
{
    if (y < kAxisHeight)
        return -1;
    const int row = (y - kAxisHeight) / kRowHeight;
    return row < int(rows_.size()) ? row : -1;
}

std::vector<std::size_t> TimelineView::counts(int row) const
{
    const timeline::Lane* lane = laneOf(row);
    const int columns = int(plotWidth());
    std::vector<std::size_t> out(size_t(columns), 0);
    if (!lane)
        return out;
    for (int c = 0; c < columns; ++c)
        out[size_t(c)] = lane->packetsBetween(nsAt(kLabelWidth + c), nsAt(kLabelWidth + c + 1));
    return out;
}

const timeline::Mark* TimelineView::markAt(const QPoint& pos) const
{
    const timeline::Lane* lane = laneOf(rowAt(pos.y()));
    if (!lane || pos.x() < kLabelWidth)
        return nullptr;
    const std::int64_t lo = nsAt(pos.x() - 4), hi = nsAt(pos.x() + 5), at = nsAt(pos.x());
    auto it = std::lower_bound(lane->marks.begin(), lane->marks.end(), lo,
                               [](const timeline::Mark& m, std::int64_t v) { return m.ns < v; });
    const timeline::Mark* best = nullptr;
    for (; it != lane->marks.end() && it->ns < hi; ++it)
        if (!best || std::llabs(it->ns - at) < std::llabs(best->ns - at))
            best = &*it;
    return best;
}

std::uint32_t TimelineView::packetAt(const QPoint& pos) const
{
    const timeline::Lane* lane = laneOf(rowAt(pos.y()));
    if (!lane || pos.x() < kLabelWidth || lane->packetNs.empty())
        return 0;
    const std::int64_t at = nsAt(pos.x());
    const auto it = std::lower_bound(lane->packetNs.begin(), lane->packetNs.end(), at);
    std::size_t best = it == lane->packetNs.end() ? lane->packetNs.size() - 1 : std::size_t(it - lane->packetNs.begin());
    if (best > 0 && std::llabs(lane->packetNs[best - 1] - at) < std::llabs(lane->packetNs[best] - at))
        --best;
    return std::abs(xOf(lane->packetNs[best]) - pos.x()) <= 3 ? lane->packetFrames[best] : 0;
}

QColor TimelineView::markColor(const timeline::Mark& m)
{
    using K = timeline::Mark::Kind;
    switch (m.kind) {
    case K::Alert: {
        static const QColor byPriority[] = {QColor("#8e0000"), QColor("#b00020"), QColor("#b00020"), QColor("#e53935"),
                                            QColor("#fb8c00"), QColor("#fdd835"), QColor("#90a4ae"), QColor("#90a4ae")};
        return byPriority[std::clamp(m.priority, 0, 7)];
    }
    case K::Exec: return QColor("#43a047");
    case K::Exit: return QColor("#757575");
    case K::FailedSyscall: return QColor("#ff7043");
    case K::Verdict: return QColor("#1e88e5");
    case K::Dropped: return QColor("#d50000");
    }
    return Qt::black;
}

void TimelineView::paintAxis(QPainter& p)
{
    p.fillRect(0, 0, width(), kAxisHeight, palette().window());
    p.setPen(palette().color(QPalette::WindowText));
    const std::int64_t origin = model_ ? model_->firstNs() : 0;
    const std::int64_t step = tickStep(to_ - from_, std::max(2, int(plotWidth()) / 110));
    // Ticks at multiples of `step` since the first frame (Wireshark's relative time).
    std::int64_t t = from_ - origin;
    t = (t >= 0 ? t / step : (t - step + 1) / step) * step;
    for (; origin + t <= to_; t += step) {
        const int x = xOf(origin + t);
        if (x < kLabelWidth)
            continue;
        p.drawLine(x, kAxisHeight - 5, x, kAxisHeight);
        p.drawText(x + 3, kAxisHeight - 7, secondsText(t, step));
    }
}

void TimelineView::paintLane(QPainter& p, int row)
{
    const timeline::Lane* lane = laneOf(row);
    if (!lane)
        return;
    const int top = kAxisHeight + row * kRowHeight;
    const bool pod = !laneAt(row).parent().isValid();
    if (row % 2)
        p.fillRect(0, top, width(), kRowHeight, palette().alternateBase());
    p.setPen(palette().color(QPalette::Text));
    const int podRow = pod ? laneAt(row).row() : -1;
    const bool hasChildren = pod && model_->rowCount(laneAt(row)) > 0;
    const QString label = pod ? QString(hasChildren ? (isExpanded(podRow) ? "▾ " : "▸ ") : "  ") +
                                    QString::fromStdString(lane->name)
                              : QStringLiteral("      ") + QString::fromStdString(lane->name);
    p.drawText(QRect(4, top, kLabelWidth - 8, kRowHeight), Qt::AlignVCenter | Qt::AlignLeft,
               p.fontMetrics().elidedText(label, Qt::ElideMiddle, kLabelWidth - 8));
    // The packet-rate strip: one bar per pixel column, scaled to the busiest visible column.
    const std::vector<std::size_t> perColumn = counts(row);
    const std::size_t most = perColumn.empty() ? 0 : *std::max_element(perColumn.begin(), perColumn.end());
    const int stripHeight = kRowHeight - 12;
    if (most > 0) {
        const QColor bar = pod ? QColor("#5c8dd6") : QColor("#8fb3e8");
        for (std::size_t c = 0; c < perColumn.size(); ++c) {
            if (!perColumn[c])
                continue;
            const int h = std::max(1, int(std::lround(double(stripHeight) * double(perColumn[c]) / double(most))));
            p.fillRect(kLabelWidth + int(c), top + kRowHeight - 2 - h, 1, h, bar);
        }
    }
    // Marks: at most one of each kind per pixel column.
    auto first = std::lower_bound(lane->marks.begin(), lane->marks.end(), from_,
                                  [](const timeline::Mark& m, std::int64_t v) { return m.ns < v; });
    int lastX[6] = {-1, -1, -1, -1, -1, -1};
    p.setRenderHint(QPainter::Antialiasing, true);
    for (auto it = first; it != lane->marks.end() && it->ns <= to_; ++it) {
        const int x = xOf(it->ns);
        const int kind = int(it->kind);
        if (lastX[kind] == x)
            continue;
        lastX[kind] = x;
        const QColor color = markColor(*it);
        const int y = top + 8;
        p.setPen(QPen(color.darker(130), 1));
        p.setBrush(color);
        using K = timeline::Mark::Kind;
        switch (it->kind) {
        case K::Alert: {
            QPainterPath tri;
            tri.moveTo(x, y - 6);
            tri.lineTo(x + 6, y + 5);
            tri.lineTo(x - 6, y + 5);
            tri.closeSubpath();
            p.drawPath(tri);
            break;
        }
        case K::Exec:
        case K::Exit: p.drawEllipse(QPoint(x, y), 4, 4); break;
        case K::FailedSyscall: p.drawRect(x - 3, y - 3, 6, 6); break;
        case K::Verdict: p.drawLine(x, y - 5, x, y + 5); break;
        case K::Dropped:
            p.setPen(QPen(color, 2));
            p.drawLine(x - 4, y - 4, x + 4, y + 4);
            p.drawLine(x - 4, y + 4, x + 4, y - 4);
            break;
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setBrush(Qt::NoBrush);
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    paintAxis(p);
    for (int row = 0; row < rows(); ++row)
        paintLane(p, row);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(kLabelWidth - 1, 0, kLabelWidth - 1, height());
    if (cursor_ >= from_ && cursor_ <= to_) {
        p.setPen(QPen(QColor("#c62828"), 1));
        p.drawLine(xOf(cursor_), 0, xOf(cursor_), height());
    }
}

void TimelineView::mousePressEvent(QMouseEvent* e)
{
    pressPos_ = e->pos();
    pressFrom_ = from_;
    pressTo_ = to_;
    dragging_ = false;
}

void TimelineView::mouseMoveEvent(QMouseEvent* e)
{
    if (!(e->buttons() & Qt::LeftButton))
        return;
    const int dx = e->pos().x() - pressPos_.x();
    if (!dragging_ && std::abs(dx) < 4)
        return;
    dragging_ = true;
    const std::int64_t shift = std::int64_t(double(dx) * double(pressTo_ - pressFrom_) / plotWidth());
    setRange(pressFrom_ - shift, pressTo_ - shift);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* e)
{
    if (dragging_) {
        dragging_ = false;
        return;
    }
    const int row = rowAt(e->pos().y());
    if (row < 0)
        return;
    if (e->pos().x() < kLabelWidth) {
        const QModelIndex lane = laneAt(row);
        if (!lane.parent().isValid())
            setExpanded(lane.row(), !isExpanded(lane.row()));
        return;
    }
    if (const timeline::Mark* m = markAt(e->pos()))
        emit frameRequested(m->frame);
    else if (const std::uint32_t frame = packetAt(e->pos()))
        emit frameRequested(frame);
}

void TimelineView::wheelEvent(QWheelEvent* e)
{
    const double steps = e->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    zoom(std::pow(1.25, -steps), nsAt(e->position().x()));
    e->accept();
}

} // namespace ss::ui
