// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>
#include <QString>

#include <functional>

class QLabel;
class QListWidget;
class QPushButton;

namespace ss::ui {

// Edit → Configuration Profiles (Ctrl+Shift+A): Wireshark's profiles, where Wireshark keeps
// them (profiles.h). New, Copy, Rename and Delete act at once on the folders, as in
// Wireshark; OK switches to the selected profile (the caller does: accepted() then
// selectedProfile()).
class ProfileDialog : public QDialog {
    Q_OBJECT
public:
    explicit ProfileDialog(QWidget* parent = nullptr);

    QListWidget* list() const { return list_; }
    QString selectedProfile() const;
    void select(const QString& name);
    // The buttons' actions, with the name they would ask for. False and the reason shown
    // in the dialog when the name or the folder operation fails.
    bool createProfile(const QString& name, const QString& copyFrom = {});
    bool renameProfile(const QString& from, const QString& to);
    bool deleteProfile(const QString& name);
    QString message() const;

private:
    void refresh();
    void selectionChanged();
    bool attempt(const std::function<void()>& action);

    QListWidget* list_;
    QLabel* path_;
    QLabel* message_;
    QPushButton* copy_;
    QPushButton* rename_;
    QPushButton* delete_;
};

} // namespace ss::ui
