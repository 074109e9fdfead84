// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QVector>

#include "live_capture.h"

class QAction;
class QLabel;
class QMenu;
class QTableView;
class QWidget;

namespace ss::ui {

class CaptureOptionsDialog;
class CaptureSession;

// The Capture menu and what it drives, for the main window: Options… (Ctrl+K), Start/Stop
// (Ctrl+E), Restart (Ctrl+R), View → Auto Scroll in Live Capture; the session reads the
// capture's file as it grows; the status bar counts packets, displayed, drops per node and
// time; problems (a refusal, a lost node) appear in a bar above the packet list; unsaved
// captured packets are offered to be saved before they would be lost.
class CaptureControls : public QObject {
    Q_OBJECT
public:
    CaptureControls(CaptureSession& session, QTableView& packetView, QLabel& status, QWidget* window);
    ~CaptureControls() override;

    void addMenus(QMenu* capture, QMenu* view);
    QWidget* problemBar() const;

    CaptureOptionsDialog* showOptions();
    void start(const CaptureSettings& settings);
    void stop();
    void restart();
    bool capturing() const { return live_->running(); }
    LiveCapture& live() const { return *live_; }
    QString problem() const; // what the bar says now

    // Before the captured packets would be lost (quit, open, a new capture): Save,
    // Continue without Saving or Cancel, as Wireshark asks. False: cancelled.
    bool maybeSave(const QString& action);
    bool hasUnsaved() const { return unsaved_; }
    void markSaved() { unsaved_ = false; } // File → Save As wrote every packet
    // Saves the captured packets (all of them) to `path`; false with the reason shown.
    bool saveCapture(const QString& path);
    void setAutoScroll(bool on);

signals:
    void captureStarted();
    void captureFinished(bool complete);

private:
    void showProblem(const QString& text);
    void updateStatus();
    void scrollIfFollowing();

    CaptureSession& session_;
    QTableView& packetView_;
    QLabel& status_;
    QWidget* window_;
    LiveCapture* live_;
    QPointer<CaptureOptionsDialog> dialog_;
    QLabel* bar_;
    QAction* startStop_ = nullptr;
    QAction* restart_ = nullptr;
    QAction* autoScroll_ = nullptr;
    QVector<LiveCapture::NodeStatus> nodes_;
    QElapsedTimer elapsed_;
    bool unsaved_ = false;
    bool following_ = true; // the user has not scrolled away from the newest packet
};

} // namespace ss::ui
