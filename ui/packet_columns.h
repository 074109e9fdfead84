// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QHeaderView;
class QMenu;
class QTableView;

namespace ss::ui {

class CaptureSession;
class PacketListModel;

// The packet list's columns as Wireshark users change them: Apply as Column from a field
// (a custom column of epan's), the header's menu (show/hide each column, resize to
// contents, remove a custom one), drag to reorder; and the Process (`proc.label`,
// name[pid]) and Pod (`k8s.label`, namespace/pod) columns, switched on when a file holds
// process metadata and off when it holds none. Custom columns are kept in the settings.
class PacketColumns : public QObject {
    Q_OBJECT
public:
    PacketColumns(CaptureSession& session, PacketListModel& model, QTableView& view, QObject* parent);

    // Adds a custom column for `field` (titled `title`); its index, or the existing one's.
    int applyAsColumn(const QString& field, const QString& title);
    void removeColumn(int index);
    // The header's context menu for the column at `section`.
    QMenu* headerMenu(int section, QWidget* parent);
    // After loading: Process and Pod columns on when the file's first packets carry metadata.
    void fileLoaded();
    int columnOf(const QString& field) const; // a custom column's index, -1 when none

private:
    void changed();   // the column list changed: rebuild and save
    void restore();   // the saved custom columns, at start

    CaptureSession& session_;
    PacketListModel& model_;
    QTableView& view_;
};

} // namespace ss::ui
