// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_dialog.h"

#include "capture_session.h"
#include "error.h"
#include "lane_tap.h"
#include "models/timeline_model.h"
#include "timeline_view.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <memory>

namespace ss::ui {

TimelineDialog::TimelineDialog(CaptureSession& session, QWidget* parent) : QDialog(parent), session_(session)
{
    setWindowTitle(tr("Timeline · %1").arg(session.path()));
    setObjectName("timelineDialog");
    resize(1100, 480);
    model_ = new TimelineModel(this);
    view_ = new TimelineView(this);
    view_->setModel(model_);
    connect(view_, &TimelineView::frameRequested, this, &TimelineDialog::frameRequested);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(view_);
    scroll->setWidgetResizable(true);
    auto* legend = new QLabel(
        tr("<span style='color:#b00020'>▲</span> alert (colour by priority) &nbsp; "
           "<span style='color:#43a047'>●</span> exec &nbsp; <span style='color:#757575'>●</span> exit &nbsp; "
           "<span style='color:#ff7043'>■</span> failed syscall &nbsp; <span style='color:#1e88e5'>|</span> flow "
           "&nbsp; <span style='color:#d50000'>✕</span> dropped &nbsp; <span style='color:#5c8dd6'>▮</span> packets "
           "&nbsp;&nbsp; wheel: zoom · drag: pan · click: select · click a pod: its processes"),
        this);
    hint_ = new QLabel(this);
    auto* all = new QPushButton(tr("Show All"), this);
    connect(all, &QPushButton::clicked, view_, &TimelineView::showAll);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(hint_, 1);
    bottom->addWidget(all);
    bottom->addWidget(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(legend);
    layout->addWidget(scroll, 1);
    layout->addLayout(bottom);
}

void TimelineDialog::recompute()
{
    if (computing_)
        return;
    std::shared_ptr<timeline::LaneTap> tap;
    try {
        tap = std::make_shared<timeline::LaneTap>(std::string());
    } catch (const EngineError& e) {
        hint_->setText(QString::fromStdString(e.what()));
        emit computed();
        return;
    }
    computing_ = true;
    hint_->setText(tr("Computing…"));
    session_.runTapPass(true, [this, tap](bool completed) {
        computing_ = false;
        if (completed) {
            model_->setLanes(tap->lanes(), tap->firstNs(), tap->lastNs());
            hint_->setText(tr("%n lane(s)", nullptr, model_->rowCount()));
        } else {
            hint_->setText(tr("Cancelled"));
        }
        emit computed();
    });
}

void TimelineDialog::followFrame(std::uint32_t frame)
{
    const RandomAccessCapture* capture = session_.capture();
    if (!capture || frame == 0 || frame > capture->index().size())
        return;
    view_->setTimeCursor(capture->index()[frame - 1].timestampNs);
}

} // namespace ss::ui
