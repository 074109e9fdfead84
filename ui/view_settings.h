// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>

#include <vector>

class QMenu;
class QWidget;

namespace ss::ui {

class PacketListModel;

// View menu settings Wireshark users set by key: Time Display Format (Ctrl+Alt+1…8) and its
// precision, seconds as hours:minutes, Name Resolution (physical, network — from DNS records
// in the capture only — and transport), and zoom (Ctrl+= / Ctrl+- / Ctrl+0). epan formats
// the time and names, so the columns change as in Wireshark; kept in the settings.
class ViewSettings : public QObject {
    Q_OBJECT
public:
    // `zoomed`: the widgets whose font zooms (the list, the tree, the bytes).
    ViewSettings(PacketListModel& model, std::vector<QWidget*> zoomed, QObject* parent);

    void addToViewMenu(QMenu* view);
    void setTimeFormat(int tsType);      // epan's ts_type
    void setTimePrecision(int precision); // epan's ts_precision (TS_PREC_AUTO, TS_PREC_FIXED_*)
    void setSecondsHms(bool on);
    void setNameResolution(bool physical, bool network, bool transport);
    void zoom(int steps); // 0 resets
    int zoomLevel() const { return zoom_; }

signals:
    void changed(); // the columns' texts changed (redraw, re-sort)

private:
    void apply();

    PacketListModel& model_;
    std::vector<QWidget*> zoomed_;
    std::vector<int> baseSizes_;
    int zoom_ = 0;
};

} // namespace ss::ui
