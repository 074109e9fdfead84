// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QDialog;
class QMenu;
class QWidget;

namespace ss::ui {

class MainWindow;

// `stratoshark-gui --screenshots DIR FILE`: drives the real window through its states and
// saves what a user sees as PNGs — a packet selected with its tree expanded, a filter
// applied, Statistics → Conversations on TCP, Follow TCP Stream, then the toolbar, Find
// Packet, the packet list's menu, the time format menu, Expert Information, Protocol
// Hierarchy, Endpoints, I/O Graphs, the Timeline, Request Latency and Export Specified
// Packets, each named after it — then quits.
class ScreenshotTour : public QObject {
    Q_OBJECT
public:
    ScreenshotTour(MainWindow& window, const QString& directory);
    void start();

private:
    void step1Packet();
    void step2Filter();
    void step3Conversations();
    void step4Follow();
    void step5Tour();
    void next();
    template <class Dialog>
    void shootWhenComputed(Dialog* dialog, const QString& name);
    void shootMenu(QMenu* menu, const QString& name);
    void shootDialog(QDialog* dialog, const QString& name); // after 300 ms, then closed
    void save(QWidget* widget, const QString& name);

    MainWindow& window_;
    QString directory_;
    std::vector<std::function<void()>> steps_;
    std::size_t step_ = 0;
};

} // namespace ss::ui
