// SPDX-License-Identifier: GPL-2.0-or-later
// MainWindow's configuration: profiles (Edit → Configuration Profiles, the status bar's
// profile button), View → Coloring Rules and Edit → Preferences.
#include "main_window.h"

#include "capture_session.h"
#include "color_rules.h"
#include "coloring_rules_dialog.h"
#include "epan_runtime.h"
#include "error.h"
#include "models/packet_list_model.h"
#include "packet_columns.h"
#include "preferences_dialog.h"
#include "profile_dialog.h"
#include "profiles.h"
#include "display_filter_edit.h"

#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QToolButton>

namespace ss::ui {

void MainWindow::buildProfileButton()
{
    profileButton_ = new QToolButton(this);
    profileButton_->setObjectName("profileButton");
    profileButton_->setAutoRaise(true);
    profileButton_->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(profileButton_);
    connect(menu, &QMenu::aboutToShow, this, [this, menu] { // Wireshark's status bar switch
        menu->clear();
        const QString inUse = QString::fromStdString(profiles::current());
        for (const profiles::Profile& p : profiles::list()) {
            const QString name = QString::fromStdString(p.name);
            QAction* a = menu->addAction(p.global ? tr("%1 (global)").arg(name) : name, this,
                                         [this, name] { useProfile(name); });
            a->setCheckable(true);
            a->setChecked(name == inUse);
        }
        menu->addSeparator();
        menu->addAction(tr("Manage Profiles…"), this, [this] { showProfiles(); });
    });
    profileButton_->setMenu(menu);
    statusBar()->addPermanentWidget(profileButton_);
    profileButton_->setText(tr("Profile: %1").arg(QString::fromStdString(profiles::current())));
}

bool MainWindow::useProfile(const QString& name)
{
    try {
        runtime_.useProfile(name.toStdString());
    } catch (const EngineError& e) {
        showError(tr("Configuration Profiles"), QString::fromStdString(e.object() + ": " + e.what()));
        return false;
    }
    const std::string problem = colorrules::load();
    if (!problem.empty())
        statusBar()->showMessage(tr("Coloring rules: %1").arg(QString::fromStdString(problem)), kStatusMs);
    columns_->reload();
    QSettings().setValue("profile/last", QString::fromStdString(profiles::current()));
    profileButton_->setText(tr("Profile: %1").arg(QString::fromStdString(profiles::current())));
    // The new preferences may dissect differently: dissect again, as Wireshark does.
    if (!reload())
        packetModel_->refresh();
    emit profileChanged(QString::fromStdString(profiles::current()));
    return true;
}

ProfileDialog* MainWindow::showProfiles()
{
    auto* dialog = new ProfileDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!dialog->selectedProfile().isEmpty())
            useProfile(dialog->selectedProfile());
    });
    dialog->show();
    return dialog;
}

ColoringRulesDialog* MainWindow::showColoringRules()
{
    auto* dialog = new ColoringRulesDialog(filterEdit_->text(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ColoringRulesDialog::rulesChanged, packetModel_, &PacketListModel::refresh);
    dialog->show();
    return dialog;
}

PreferencesDialog* MainWindow::showPreferences(int page)
{
    auto* dialog = new PreferencesDialog(runtime_.prefs(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->showPage(PreferencesDialog::Page(page));
    connect(dialog, &PreferencesDialog::applied, this, [this] {
        columns_->changed(); // shows the column list and saves the profile's preferences
        if (!reload()) // dissect again with the new values, as Wireshark does
            packetModel_->refresh();
    });
    dialog->show();
    return dialog;
}

} // namespace ss::ui
