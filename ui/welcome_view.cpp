// SPDX-License-Identifier: GPL-2.0-or-later
#include "welcome_view.h"

#include "capture_targets.h"
#include "helper_probe.h"
#include "models/interface_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace ss::ui {

WelcomeView::WelcomeView(QWidget* parent) : QWidget(parent)
{
    setObjectName("welcome");
    probe_ = new HelperProbe(this);
    model_ = new InterfaceModel(this);
    table_ = new QTableView(this);
    table_->setObjectName("welcomeInterfaces");
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(probe_, &HelperProbe::interfaces, model_, &InterfaceModel::update);
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit captureRequested(index.data(InterfaceModel::TargetRole).toString(),
                              index.data(InterfaceModel::InterfaceRole).toString());
    });
    auto* title = new QLabel(tr("<h2>Welcome to Stratoshark</h2>"
                                "<p>Open a capture file (Ctrl+O), or capture: double-click an interface, "
                                "or Capture → Options… (Ctrl+K) for filters and remote nodes.</p>"),
                             this);
    title->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(new QLabel(tr("<b>Capture</b>"), this));
    layout->addWidget(table_, 1);
    reload();
}

void WelcomeView::reload()
{
    const auto targets = capture::loadTargets();
    model_->setShowTargets(targets.size() > 1);
    probe_->setTargets(targets);
}

void WelcomeView::setActive(bool active)
{
    probe_->setTargets(active ? capture::loadTargets() : std::vector<capture::CaptureTarget>{});
}

} // namespace ss::ui
