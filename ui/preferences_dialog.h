// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTabWidget;
class QTreeView;

struct _e_prefs;

namespace ss::ui {

class ColumnListModel;
class PreferencesModel;

// Edit → Preferences (Ctrl+Shift+P): the Columns page (Wireshark's Appearance → Columns:
// shown, title, type, fields; add, remove, reorder) and the Advanced page (every epan
// preference in its module tree, searchable by name, title or value, edited in place).
// OK (apply()) sets the edits through epan and closes; a refused value keeps the dialog
// open, naming the preference. The caller then saves the profile's preferences file and
// dissects again (applied()).
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    enum Page { Columns, Advanced };

    explicit PreferencesDialog(_e_prefs* prefs, QWidget* parent = nullptr);

    void showPage(Page page);
    ColumnListModel* columnModel() const { return columns_; }
    PreferencesModel* preferencesModel() const { return prefsModel_; }
    QSortFilterProxyModel* searchResults() const { return proxy_; }
    QTreeView* advancedView() const { return advancedView_; }
    QTreeView* columnView() const { return columnView_; }
    void search(const QString& text);
    QString message() const;
    bool apply();

signals:
    void applied();

private:
    QWidget* buildColumnsPage();
    QWidget* buildAdvancedPage();

    _e_prefs* prefs_;
    QTabWidget* tabs_;
    ColumnListModel* columns_;
    QTreeView* columnView_;
    PreferencesModel* prefsModel_;
    QSortFilterProxyModel* proxy_;
    QTreeView* advancedView_;
    QLineEdit* search_;
    QLabel* message_;
};

} // namespace ss::ui
