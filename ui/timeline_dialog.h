// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <cstdint>

class QLabel;

namespace ss::ui {

class CaptureSession;
class TimelineModel;
class TimelineView;

// View → Timeline: the lanes of the open capture (one tap pass, in slices) in a
// TimelineView, with a legend. Frames asked for by a click go to the packet list; the main
// window moves the time cursor as packets are selected.
class TimelineDialog : public QDialog {
    Q_OBJECT
public:
    explicit TimelineDialog(CaptureSession& session, QWidget* parent = nullptr);

    void recompute();
    bool computing() const { return computing_; }
    TimelineModel* model() const { return model_; }
    TimelineView* view() const { return view_; }
    // Moves the cursor to frame `frame`'s time.
    void followFrame(std::uint32_t frame);

signals:
    void computed();
    void frameRequested(std::uint32_t frame);

private:
    CaptureSession& session_;
    TimelineModel* model_;
    TimelineView* view_;
    QLabel* hint_;
    bool computing_ = false;
};

} // namespace ss::ui
