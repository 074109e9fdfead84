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
// time to apply FILTER; then View → Timeline's pass and paint times; then Statistics →
// Conversations and Endpoints (click to tables filled); then quits.
class LoadProbe : public QObject {
    Q_OBJECT
public:
    LoadProbe(MainWindow& window, const QString& filter);
    void start();

    static long residentKiB();

private:
    void heartbeat();
    void measureTimeline();
    void measureConversations();

    MainWindow& window_;
    QString filter_;
    QElapsedTimer clock_;
    QElapsedTimer sinceBeat_;
    QTimer beat_;
    qint64 worstStallMs_ = 0;
    qint64 firstRowsMs_ = -1;
    qint64 loadedMs_ = -1;
};

// `stratoshark-gui --measure-live IFACE` (bench/gui-live.sh): captures on IFACE through the
// local helper for `seconds`, and prints the packets captured and listed, the worst stall
// of the UI thread meanwhile (the same heartbeat), and resident memory at the start and the
// end with what it grew by per packet; then quits.
class LiveProbe : public QObject {
    Q_OBJECT
public:
    LiveProbe(MainWindow& window, const QString& interface, int seconds);
    void start();

private:
    void heartbeat();
    void finish();

    MainWindow& window_;
    QString interface_;
    int seconds_;
    QElapsedTimer sinceBeat_;
    QTimer beat_;
    qint64 worstStallMs_ = 0;
    long rssStartKiB_ = 0;
};

} // namespace ss::ui
