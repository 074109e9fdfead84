// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace ss::ui {

class MainWindow;

// `stratoshark-gui --measure FILTER FILE` (bench/gui-load.sh): prints the time to the first
// painted rows and to the end of loading, the longest stall of the UI thread while loading
// and filtering (a 10 ms heartbeat timer's worst lateness), memory after loading, and the
// time to apply FILTER; then quits.
class LoadProbe : public QObject {
    Q_OBJECT
public:
    LoadProbe(MainWindow& window, const QString& filter);
    void start();

private:
    void heartbeat();
    static long residentKiB();

    MainWindow& window_;
    QString filter_;
    QElapsedTimer clock_;
    QElapsedTimer sinceBeat_;
    QTimer beat_;
    qint64 worstStallMs_ = 0;
    qint64 firstRowsMs_ = -1;
    qint64 loadedMs_ = -1;
};

} // namespace ss::ui
