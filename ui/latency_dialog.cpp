// SPDX-License-Identifier: GPL-2.0-or-later
#include "latency_dialog.h"

#include "capture_session.h"
#include "error.h"
#include "latency_tap.h"
#include "models/latency_model.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace ss::ui {

LatencyDialog::LatencyDialog(CaptureSession& session, QWidget* parent) : QDialog(parent), session_(session)
{
    setWindowTitle(tr("Request Latency · %1").arg(session.path()));
    setObjectName("latencyDialog");
    resize(1000, 520);
    model_ = new LatencyModel(this);
    view_ = new QTreeView(this);
    view_->setModel(model_);
    view_->setUniformRowHeights(true);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
        if (const std::uint32_t frame = index.data(LatencyModel::FrameRole).toUInt())
            emit frameRequested(frame);
    });
    connect(view_, &QWidget::customContextMenuRequested, this, &LatencyDialog::contextMenu);
    threshold_ = new QLineEdit(QStringLiteral("1s"), this);
    threshold_->setToolTip(tr("Show transactions that took at least this long: 1s, 500ms, 2.5s, 0 for all"));
    connect(threshold_, &QLineEdit::returnPressed, this, &LatencyDialog::recompute);
    auto* apply = new QPushButton(tr("Apply"), this);
    connect(apply, &QPushButton::clicked, this, &LatencyDialog::recompute);
    limitToFilter_ = new QCheckBox(tr("Limit to display filter"), this);
    connect(limitToFilter_, &QCheckBox::toggled, this, &LatencyDialog::recompute);
    hint_ = new QLabel(this);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Slower than:"), this));
    top->addWidget(threshold_);
    top->addWidget(apply);
    top->addWidget(limitToFilter_);
    top->addStretch(1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(view_);
    layout->addWidget(hint_);
    layout->addWidget(buttons);
}

void LatencyDialog::setThreshold(const QString& text)
{
    threshold_->setText(text);
}

void LatencyDialog::recompute()
{
    if (computing_)
        return;
    std::uint64_t minNs = 0;
    if (!latency::parseDuration(threshold_->text().trimmed().toStdString(), &minNs)) {
        hint_->setText(tr("\"%1\" is not a duration (1s, 500ms, 2.5s)").arg(threshold_->text()));
        emit computed();
        return;
    }
    const std::string filter = limitToFilter_->isChecked() ? session_.appliedFilter().toStdString() : std::string();
    std::shared_ptr<latency::LatencyTap> tap;
    try {
        tap = std::make_shared<latency::LatencyTap>(filter);
    } catch (const EngineError& e) {
        hint_->setText(QString::fromStdString(e.what()));
        emit computed();
        return;
    }
    computing_ = true;
    hint_->setText(tr("Computing…"));
    session_.runTapPass(true, [this, tap, minNs](bool completed) {
        computing_ = false;
        if (!completed) {
            hint_->setText(tr("Cancelled"));
            emit computed();
            return;
        }
        std::map<std::string, std::size_t> totals;
        model_->setTransactions(tap->slow(minNs, &totals));
        view_->expandAll();
        for (int c = 0; c < model_->columnCount(); ++c)
            view_->resizeColumnToContents(c);
        QStringList counts;
        for (const auto& [kind, n] : totals)
            counts << QStringLiteral("%1 %2").arg(n).arg(QString::fromStdString(kind));
        hint_->setText(tr("%1 of %2 at least %3")
                           .arg(model_->rowCount())
                           .arg(counts.isEmpty() ? tr("no HTTP, DNS or TLS transactions") : counts.join(", "))
                           .arg(QString::fromStdString(latency::humanDuration(std::int64_t(minNs)))));
        emit computed();
    });
}

void LatencyDialog::contextMenu(const QPoint& pos)
{
    const QModelIndex index = view_->indexAt(pos);
    if (!index.isValid())
        return;
    const QString filter = index.data(LatencyModel::FilterRole).toString();
    const std::uint32_t frame = index.data(LatencyModel::FrameRole).toUInt();
    QMenu menu;
    if (frame)
        menu.addAction(tr("Go to Packet %1").arg(frame), this, [this, frame] { emit frameRequested(frame); });
    if (!filter.isEmpty()) {
        menu.addAction(tr("Apply as Filter: %1").arg(filter), this, [this, filter] { emit filterRequested(filter, true); });
        menu.addAction(tr("Prepare as Filter: %1").arg(filter), this, [this, filter] { emit filterRequested(filter, false); });
    }
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

} // namespace ss::ui
