// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <string>

class QHeaderView;
class QMenu;
class QTableView;

namespace ss::ui {

class CaptureSession;
class PacketListModel;

// The packet list's columns as Wireshark users change them: Apply as Column from a field
// (a custom column of epan's), the header's menu (align, edit, hide/show, resize to
// contents, remove, Column Preferences…), drag to reorder; and the Process (`proc.label`,
// name[pid]) and Pod (`k8s.label`, namespace/pod) columns, switched on when a file holds
// process metadata and off when it holds none. The column list and which columns are
// hidden live in epan's preferences and are saved into the profile's preferences file
// (gui.column.format, gui.column.hidden — Wireshark's keys) at every change; the automatic
// columns are never saved. Alignment is kept in the settings, per profile.
class PacketColumns : public QObject {
    Q_OBJECT
public:
    PacketColumns(CaptureSession& session, PacketListModel& model, QTableView& view, QObject* parent);

    // Adds a custom column for `field` (titled `title`); its index, or the existing one's.
    int applyAsColumn(const QString& field, const QString& title);
    void removeColumn(int index);
    void setVisible(int index, bool visible);
    // Edit Column: a new title and, for a custom column, new fields. False (nothing changed)
    // when `fields` is not a valid field expression.
    bool editColumn(int index, const QString& title, const QString& fields);
    // Left, center or right (Qt::AlignLeft…); 0 for the default.
    void setAlignment(int index, Qt::Alignment alignment);
    // The header's context menu for the column at `section`.
    QMenu* headerMenu(int section, QWidget* parent);
    // After loading: Process and Pod columns on when the file's first packets carry
    // metadata; widths as the profile remembers them, else sized to the contents.
    void fileLoaded();
    // The preferences' column list changed (another profile, the Preferences dialog): show it.
    void reload();
    // The list changed here: show it and save the preferences.
    void changed();
    int columnOf(const QString& field) const; // a custom column's index, -1 when none

signals:
    void columnPreferencesRequested();
    void saveFailed(const QString& message);

private:
    void showColumns(); // the model and the view follow the preferences' column list
    void saveOrder();   // after a drag: the column list takes the header's order
    void applyVisibility();
    void applyAlignments();
    void fitWidths(); // the profile's remembered widths (Wireshark's recent file), else contents
    void savePreferences(); // the profile's preferences file, the automatic columns left out
    // A column as Wireshark's `recent` names it: "%m", "%t", … or "%Cus:FIELDS".
    static std::string formatKey(int index);
    QString alignmentKey(int index) const;

    CaptureSession& session_;
    PacketListModel& model_;
    QTableView& view_;
};

} // namespace ss::ui
