// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace ss::ui {

class MainWindow;

// `stratoshark-gui --screenshots DIR FILE`: drives the real window through four states and
// saves what a user sees as PNGs — a packet selected with its tree expanded, a filter
// applied, Statistics → Conversations on TCP, Follow TCP Stream — then quits.
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
    void save(QWidget* widget, const QString& name);

    MainWindow& window_;
    QString directory_;
};

} // namespace ss::ui
