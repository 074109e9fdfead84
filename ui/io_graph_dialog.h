// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QLabel;
class QTableView;

namespace ss::ui {

class CaptureSession;
class IoGraphModel;

// The plot of an I/O graph: one line per enabled graph over the intervals, each pixel
// column the largest value of the intervals it covers; a click asks for that interval's time.
class IoGraphPlot : public QWidget {
    Q_OBJECT
public:
    IoGraphPlot(const IoGraphModel& model, QWidget* parent = nullptr);
    void setInterval(std::int64_t ns) { intervalNs_ = ns; }
    std::size_t intervals() const;     // across enabled graphs
    std::uint64_t maxValue() const;    // what the Y axis reaches
    int intervalAt(int x) const;       // -1 outside the plot
    QPoint pointOf(int interval) const; // x of an interval's middle, y of the plot's middle

signals:
    void intervalClicked(int interval);

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    QSize sizeHint() const override { return {800, 320}; }

private:
    QRect plotRect() const;
    const IoGraphModel& model_;
    std::int64_t intervalNs_ = 1000000000;
};

// Statistics → I/O Graph: Wireshark's graphs ("All Packets", "TCP Errors", and any the user
// adds with a display filter and a unit) per interval since the first packet, computed by one
// tap pass; clicking the plot goes to the first packet of that interval.
class IoGraphDialog : public QDialog {
    Q_OBJECT
public:
    explicit IoGraphDialog(CaptureSession& session, QWidget* parent = nullptr);

    void recompute();
    bool computing() const { return computing_; }
    IoGraphModel* model() const { return model_; }
    IoGraphPlot* plot() const { return plot_; }
    void setIntervalIndex(int index); // of the interval choices: 1 ms … 1 min
    std::int64_t intervalNs() const;
    QString hint() const;

signals:
    void computed();
    void timeRequested(std::int64_t ns); // go to the first packet at or after

private:
    CaptureSession& session_;
    IoGraphModel* model_;
    IoGraphPlot* plot_;
    QTableView* table_;
    QComboBox* interval_;
    QLabel* hint_;
    bool computing_ = false;
    bool again_ = false; // a change arrived while computing
};

} // namespace ss::ui
