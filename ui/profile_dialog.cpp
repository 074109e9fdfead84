// SPDX-License-Identifier: GPL-2.0-or-later
#include "profile_dialog.h"

#include "error.h"
#include "profiles.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace ss::ui {
namespace {

constexpr int kGlobalRole = Qt::UserRole + 1;

} // namespace

ProfileDialog::ProfileDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName("ProfileDialog");
    setWindowTitle(tr("Configuration Profiles"));
    list_ = new QListWidget(this);
    list_->setObjectName("profileList");
    path_ = new QLabel(this);
    path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_ = new QLabel(this);
    message_->setObjectName("profileMessage");
    message_->setWordWrap(true);

    auto* create = new QPushButton(tr("New…"), this);
    copy_ = new QPushButton(tr("Copy…"), this);
    rename_ = new QPushButton(tr("Rename…"), this);
    delete_ = new QPushButton(tr("Delete"), this);
    auto askName = [this](const QString& title, const QString& initial) {
        return QInputDialog::getText(this, title, tr("Profile name:"), QLineEdit::Normal, initial);
    };
    connect(create, &QPushButton::clicked, this, [=, this] {
        if (const QString n = askName(tr("New Profile"), {}); !n.isEmpty())
            createProfile(n);
    });
    connect(copy_, &QPushButton::clicked, this, [=, this] {
        const QString from = selectedProfile();
        if (const QString n = askName(tr("Copy Profile"), from + tr(" (copy)")); !n.isEmpty())
            createProfile(n, from);
    });
    connect(rename_, &QPushButton::clicked, this, [=, this] {
        const QString from = selectedProfile();
        if (const QString n = askName(tr("Rename Profile"), from); !n.isEmpty() && n != from)
            renameProfile(from, n);
    });
    connect(delete_, &QPushButton::clicked, this, [this] { deleteProfile(selectedProfile()); });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::currentRowChanged, this, &ProfileDialog::selectionChanged);
    connect(list_, &QListWidget::itemDoubleClicked, this, &QDialog::accept);

    auto* side = new QVBoxLayout;
    for (QPushButton* b : {create, copy_, rename_, delete_})
        side->addWidget(b);
    side->addStretch();
    auto* row = new QHBoxLayout;
    row->addWidget(list_, 1);
    row->addLayout(side);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(path_);
    layout->addWidget(message_);
    layout->addWidget(buttons);
    refresh();
    select(QString::fromStdString(profiles::current()));
    resize(520, 380);
}

void ProfileDialog::refresh()
{
    const QString keep = selectedProfile();
    const QString inUse = QString::fromStdString(profiles::current());
    list_->clear();
    for (const profiles::Profile& p : profiles::list()) {
        const QString name = QString::fromStdString(p.name);
        auto* item = new QListWidgetItem(p.global ? tr("%1 (global)").arg(name) : name, list_);
        item->setData(Qt::UserRole, name);
        item->setData(kGlobalRole, p.global);
        QFont font = item->font();
        font.setBold(name == inUse); // Wireshark marks the profile in use
        font.setItalic(p.global);
        item->setFont(font);
    }
    select(keep.isEmpty() ? inUse : keep);
}

QString ProfileDialog::selectedProfile() const
{
    const QListWidgetItem* item = list_->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void ProfileDialog::select(const QString& name)
{
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(Qt::UserRole).toString() == name)
            list_->setCurrentRow(i);
}

void ProfileDialog::selectionChanged()
{
    const QListWidgetItem* item = list_->currentItem();
    const QString name = selectedProfile();
    const bool personal = item && !item->data(kGlobalRole).toBool() && name != profiles::kDefault;
    copy_->setEnabled(item != nullptr);
    rename_->setEnabled(personal);
    delete_->setEnabled(personal && name.toStdString() != profiles::current());
    path_->setText(item ? QString::fromStdString(profiles::folder(name.toStdString())) : QString());
}

bool ProfileDialog::attempt(const std::function<void()>& action)
{
    try {
        action();
        message_->clear();
        return true;
    } catch (const EngineError& e) {
        message_->setText(QString::fromStdString(e.step() + " \"" + e.object() + "\": " + e.what()));
        return false;
    }
}

bool ProfileDialog::createProfile(const QString& name, const QString& copyFrom)
{
    if (!attempt([&] { profiles::create(name.toStdString(), copyFrom.toStdString()); }))
        return false;
    refresh();
    select(name);
    return true;
}

bool ProfileDialog::renameProfile(const QString& from, const QString& to)
{
    if (from.toStdString() == profiles::current()) {
        message_->setText(tr("The profile in use cannot be renamed; switch to another first."));
        return false;
    }
    if (!attempt([&] { profiles::rename(from.toStdString(), to.toStdString()); }))
        return false;
    refresh();
    select(to);
    return true;
}

bool ProfileDialog::deleteProfile(const QString& name)
{
    if (!attempt([&] { profiles::remove(name.toStdString()); }))
        return false;
    refresh();
    return true;
}

QString ProfileDialog::message() const
{
    return message_->text();
}

} // namespace ss::ui
