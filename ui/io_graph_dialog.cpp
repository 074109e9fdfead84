// SPDX-License-Identifier: GPL-2.0-or-later
#include "io_graph_dialog.h"

#include "capture_session.h"
#include "error.h"
#include "models/io_graph_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace ss::ui {
namespace {

const struct {
    const char* label;
    std::int64_t ns;
} kIntervals[] = {{"1 ms", 1000000},       {"10 ms", 10000000},     {"100 ms", 100000000},
                  {"1 sec", 1000000000},   {"10 sec", 10000000000}, {"1 min", 60000000000}};
constexpr int kDefaultInterval = 3; // 1 sec, as Wireshark opens it

} // namespace

IoGraphPlot::IoGraphPlot(const IoGraphModel& model, QWidget* parent) : QWidget(parent), model_(model)
{
    setObjectName("ioGraphPlot");
    setMinimumHeight(200);
}

QRect IoGraphPlot::plotRect() const
{
    return rect().adjusted(70, 10, -12, -32);
}

std::size_t IoGraphPlot::intervals() const
{
    std::size_t n = 0;
    for (const auto& g : model_.graphs())
        if (g.enabled)
            n = std::max(n, g.values.size());
    return n;
}

std::uint64_t IoGraphPlot::maxValue() const
{
    std::uint64_t most = 0;
    for (const auto& g : model_.graphs())
        if (g.enabled && !g.values.empty())
            most = std::max(most, *std::max_element(g.values.begin(), g.values.end()));
    return most;
}

int IoGraphPlot::intervalAt(int x) const
{
    const QRect r = plotRect();
    const std::size_t n = intervals();
    if (n == 0 || x < r.left() || x > r.right())
        return -1;
    return std::min(int(n) - 1, int(double(x - r.left()) * double(n) / double(r.width())));
}

QPoint IoGraphPlot::pointOf(int interval) const
{
    const QRect r = plotRect();
    const std::size_t n = std::max<std::size_t>(1, intervals());
    return {r.left() + int((double(interval) + 0.5) * double(r.width()) / double(n)), r.center().y()};
}

void IoGraphPlot::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect r = plotRect();
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r);
    const std::size_t n = intervals();
    const std::uint64_t top = std::max<std::uint64_t>(1, maxValue());
    p.setPen(palette().color(QPalette::Text));
    // Y ticks: 0, half, top; X ticks: about every 100 px, labelled in seconds.
    for (const std::uint64_t v : {std::uint64_t(0), top / 2, top}) {
        const int y = r.bottom() - int(double(v) / double(top) * r.height());
        p.drawText(QRect(0, y - 8, r.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter, QString::number(v));
    }
    if (n > 0) {
        const int ticks = std::max(1, r.width() / 100);
        for (int t = 0; t <= ticks; ++t) {
            const double at = double(n) * t / ticks;
            const int x = r.left() + int(double(r.width()) * t / ticks);
            p.drawLine(x, r.bottom(), x, r.bottom() + 4);
            p.drawText(x - 40, r.bottom() + 6, 80, 20, Qt::AlignHCenter | Qt::AlignTop,
                       QString::number(at * double(intervalNs_) / 1e9, 'g', 4) + " s");
        }
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const auto& g : model_.graphs()) {
        if (!g.enabled || g.values.empty())
            continue;
        // One point per pixel column (the largest value it covers), or per interval when
        // there are fewer intervals than pixels.
        QPolygonF line;
        const int columns = int(std::min<std::size_t>(n, std::size_t(r.width())));
        for (int c = 0; c < columns; ++c) {
            const std::size_t from = std::size_t(double(c) * double(n) / columns);
            const std::size_t to = std::max(from + 1, std::size_t(double(c + 1) * double(n) / columns));
            std::uint64_t v = 0;
            for (std::size_t i = from; i < to && i < g.values.size(); ++i)
                v = std::max(v, g.values[i]);
            const double x = r.left() + (c + 0.5) * double(r.width()) / columns;
            line << QPointF(x, r.bottom() - double(v) / double(top) * r.height());
        }
        p.setPen(QPen(g.color, 1.5));
        p.drawPolyline(line);
    }
}

void IoGraphPlot::mouseReleaseEvent(QMouseEvent* e)
{
    const int interval = intervalAt(e->pos().x());
    if (interval >= 0)
        emit intervalClicked(interval);
}

IoGraphDialog::IoGraphDialog(CaptureSession& session, QWidget* parent) : QDialog(parent), session_(session)
{
    setWindowTitle(tr("I/O Graphs · %1").arg(session.path()));
    setObjectName("ioGraphDialog");
    resize(900, 600);
    model_ = new IoGraphModel(this);
    plot_ = new IoGraphPlot(*model_, this);
    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setMaximumHeight(160);
    interval_ = new QComboBox(this);
    for (const auto& i : kIntervals)
        interval_->addItem(tr(i.label));
    interval_->setCurrentIndex(kDefaultInterval);
    connect(interval_, &QComboBox::currentIndexChanged, this, &IoGraphDialog::recompute);
    connect(model_, &QAbstractItemModel::dataChanged, this, &IoGraphDialog::recompute);
    connect(plot_, &IoGraphPlot::intervalClicked, this, [this](int interval) {
        const RandomAccessCapture* capture = session_.capture();
        if (capture && capture->index().size() > 0)
            emit timeRequested(capture->index()[0].timestampNs + std::int64_t(interval) * intervalNs());
    });
    auto* add = new QPushButton(tr("+"), this);
    add->setToolTip(tr("Add a graph; type its display filter in the table"));
    connect(add, &QPushButton::clicked, this, [this] {
        model_->addGraph(tr("Graph %1").arg(model_->rowCount() + 1), QString());
        recompute();
    });
    auto* remove = new QPushButton(tr("−"), this);
    connect(remove, &QPushButton::clicked, this, [this] {
        model_->removeGraph(table_->currentIndex().row());
        recompute();
    });
    hint_ = new QLabel(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(add);
    controls->addWidget(remove);
    controls->addStretch(1);
    controls->addWidget(new QLabel(tr("Interval:"), this));
    controls->addWidget(interval_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(plot_, 1);
    layout->addWidget(table_);
    layout->addLayout(controls);
    layout->addWidget(hint_);
    layout->addWidget(buttons);
}

void IoGraphDialog::setIntervalIndex(int index)
{
    interval_->setCurrentIndex(index);
}

std::int64_t IoGraphDialog::intervalNs() const
{
    return kIntervals[std::clamp(interval_->currentIndex(), 0, int(std::size(kIntervals)) - 1)].ns;
}

QString IoGraphDialog::hint() const
{
    return hint_->text();
}

void IoGraphDialog::recompute()
{
    if (computing_) {
        again_ = true;
        return;
    }
    const RandomAccessCapture* capture = session_.capture();
    if (!capture || capture->index().size() == 0)
        return;
    const std::int64_t start = capture->index()[0].timestampNs;
    auto taps = std::make_shared<std::vector<std::pair<int, std::unique_ptr<IoGraphTap>>>>();
    QStringList problems;
    for (int row = 0; row < model_->rowCount(); ++row) {
        const auto& g = model_->graphs()[size_t(row)];
        model_->setValues(row, {});
        if (!g.enabled)
            continue;
        try {
            taps->emplace_back(row, std::make_unique<IoGraphTap>(g.filter.toStdString(), g.unit, start, intervalNs()));
        } catch (const EngineError& e) {
            problems << tr("%1: %2").arg(g.name, QString::fromStdString(e.what()));
        }
    }
    plot_->setInterval(intervalNs());
    computing_ = true;
    hint_->setText(tr("Computing…"));
    session_.runTapPass(true, [this, taps, problems](bool completed) {
        computing_ = false;
        QStringList notes = problems;
        if (completed) {
            for (auto& [row, tap] : *taps) {
                if (tap->outside())
                    notes << tr("%1: %n frame(s) past %2 intervals left out", nullptr, int(tap->outside()))
                                 .arg(model_->graphs()[size_t(row)].name)
                                 .arg(IoGraphTap::kMaxIntervals);
                model_->setValues(row, tap->values());
            }
        } else {
            notes << tr("Cancelled");
        }
        taps->clear(); // unregister before the next pass
        hint_->setText(notes.join("; "));
        plot_->update();
        emit computed();
        if (again_) {
            again_ = false;
            recompute();
        }
    });
}

} // namespace ss::ui
