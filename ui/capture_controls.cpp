// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_controls.h"

#include "capture_options_dialog.h"
#include "capture_session.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>

namespace ss::ui {

CaptureControls::CaptureControls(CaptureSession& session, QTableView& packetView, QLabel& status, QWidget* window)
    : QObject(window), session_(session), packetView_(packetView), status_(status), window_(window)
{
    live_ = new LiveCapture(this);
    bar_ = new QLabel(window);
    bar_->setObjectName("problemBar");
    bar_->setWordWrap(true);
    bar_->setStyleSheet("QLabel { background: #ffafaf; color: black; padding: 4px; }");
    bar_->hide();

    connect(live_, &LiveCapture::started, this, [this](const QString& path) {
        QString error;
        if (!session_.openLive(path, &error)) {
            showProblem(tr("Cannot read the capture: %1").arg(error));
            live_->stop();
            return;
        }
        if (dialog_)
            dialog_->hide();
        following_ = true;
        elapsed_.start();
        nodes_.clear();
        startStop_->setText(tr("S&top"));
        restart_->setEnabled(true);
        unsaved_ = live_->temporary();
        updateStatus();
        emit captureStarted();
    });
    connect(live_, &LiveCapture::refused, this, [this](const QString& message) {
        if (dialog_ && dialog_->isVisible())
            dialog_->showError(message);
        showProblem(message);
        startStop_->setText(tr("&Start"));
        restart_->setEnabled(false);
        emit captureFinished(false);
    });
    connect(live_, &LiveCapture::dataWritten, &session_, &CaptureSession::liveDataArrived);
    connect(live_, &LiveCapture::statistics, this, [this](const QVector<LiveCapture::NodeStatus>& nodes) {
        nodes_ = nodes;
        updateStatus();
    });
    connect(live_, &LiveCapture::warning, this,
            [this](const QString& node, const QString& text) { showProblem(tr("%1: %2").arg(node, text)); });
    connect(live_, &LiveCapture::nodeLost, this, [this](const QString& node, const QString& why) {
        showProblem(tr("Lost %1: %2. The other nodes go on.").arg(node, why));
    });
    connect(live_, &LiveCapture::finished, this, [this](bool complete, const QString& summary) {
        session_.liveEnded();
        startStop_->setText(tr("&Start"));
        restart_->setEnabled(false);
        if (!complete && !bar_->isVisible()) // a lost node has said so already
            showProblem(tr("The capture ended early: %1").arg(summary));
        updateStatus();
        emit captureFinished(complete);
    });
    connect(&session_, &CaptureSession::framesAdded, this, [this] {
        if (session_.isLive() || live_->running())
            scrollIfFollowing();
        if (live_->running())
            updateStatus();
    });
    // Scrolling away from the newest packet stops following it; scrolling back resumes.
    connect(packetView_.verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        following_ = value >= packetView_.verticalScrollBar()->maximum();
    });
}

CaptureControls::~CaptureControls() = default;

QWidget* CaptureControls::problemBar() const
{
    return bar_;
}

QString CaptureControls::problem() const
{
    return bar_->isVisible() ? bar_->text() : QString();
}

void CaptureControls::addMenus(QMenu* capture, QMenu* view)
{
    capture->addAction(tr("&Options…"), QKeySequence(Qt::CTRL | Qt::Key_K), this, [this] { showOptions(); })
        ->setObjectName("actionCaptureOptions");
    startStop_ = capture->addAction(tr("&Start"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        if (live_->running())
            stop();
        else if (auto* d = showOptions(); d && d->startButton()->isEnabled())
            d->startButton()->click();
    });
    // Ctrl+R as in Wireshark: Restart while capturing, View → Reload otherwise (one of the
    // two is enabled at a time, so the key is never ambiguous).
    restart_ = capture->addAction(tr("&Restart"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { restart(); });
    restart_->setObjectName("actionCaptureRestart");
    restart_->setEnabled(false);
    startStop_->setObjectName("actionCaptureStartStop");
    autoScroll_ = view->addAction(tr("Auto Scroll in Li&ve Capture"));
    autoScroll_->setCheckable(true);
    autoScroll_->setObjectName("actionGoAutoScroll");
    autoScroll_->setChecked(true);
}

CaptureOptionsDialog* CaptureControls::showOptions()
{
    if (!dialog_) {
        dialog_ = new CaptureOptionsDialog(window_);
        connect(dialog_, &CaptureOptionsDialog::startRequested, this, &CaptureControls::start);
    }
    dialog_->show();
    dialog_->raise();
    return dialog_;
}

void CaptureControls::start(const CaptureSettings& settings)
{
    if (live_->running() || !maybeSave(tr("starting a new capture")))
        return;
    bar_->hide();
    live_->start(settings);
}

void CaptureControls::stop()
{
    live_->stop();
}

void CaptureControls::restart()
{
    if (!live_->running()) {
        if (!live_->settings().sources.empty())
            start(live_->settings());
        return;
    }
    // Stop, then start again with the same settings; the packets so far are discarded, as
    // Wireshark's Restart does.
    const CaptureSettings settings = live_->settings();
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(live_, &LiveCapture::finished, this, [this, settings, once] {
        disconnect(*once);
        unsaved_ = false;
        session_.close();
        live_->start(settings);
    });
    live_->stop();
}

void CaptureControls::setAutoScroll(bool on)
{
    if (autoScroll_)
        autoScroll_->setChecked(on);
}

void CaptureControls::scrollIfFollowing()
{
    if (autoScroll_ && autoScroll_->isChecked() && following_)
        packetView_.scrollToBottom();
}

void CaptureControls::showProblem(const QString& text)
{
    bar_->setText(text);
    bar_->setVisible(!text.isEmpty());
}

void CaptureControls::updateStatus()
{
    if (!live_->running() && nodes_.isEmpty())
        return;
    QString drops;
    for (const auto& n : nodes_)
        drops += (drops.isEmpty() ? "" : ", ") + n.name + " " +
                 (n.lost ? tr("lost") : QString::number(n.drops + n.clientDrops));
    const qint64 seconds = elapsed_.isValid() ? elapsed_.elapsed() / 1000 : 0;
    status_.setText(tr("%1 · Packets: %2 · Displayed: %3 · Dropped: %4 · %5:%6")
                        .arg(live_->running() ? tr("Capturing") : tr("Captured"))
                        .arg(session_.totalFrames())
                        .arg(session_.displayed().size())
                        .arg(drops.isEmpty() ? QStringLiteral("0") : drops)
                        .arg(seconds / 60, 2, 10, QChar('0'))
                        .arg(seconds % 60, 2, 10, QChar('0')));
}

bool CaptureControls::saveCapture(const QString& path)
{
    if (live_->running() || live_->path().isEmpty())
        return false;
    QFile::remove(path);
    if (!QFile::copy(live_->path(), path)) {
        showProblem(tr("Cannot save the capture as %1").arg(path));
        return false;
    }
    unsaved_ = false;
    return true;
}

bool CaptureControls::maybeSave(const QString& action)
{
    if (!unsaved_ || live_->running())
        return true;
    if (QApplication::platformName() == "offscreen") // tests: no modal loop; they save themselves
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved packets"),
                    tr("Do you want to save the captured packets before %1?").arg(action),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window_);
    box.setInformativeText(tr("Your captured packets will be lost if you don't save them."));
    box.button(QMessageBox::Discard)->setText(tr("Continue &without Saving"));
    switch (box.exec()) {
    case QMessageBox::Save: {
        const QString path = QFileDialog::getSaveFileName(window_, tr("Save Capture File As"), QString(),
                                                          tr("pcapng (*.pcapng)"));
        return !path.isEmpty() && saveCapture(path);
    }
    case QMessageBox::Discard:
        unsaved_ = false;
        return true;
    default:
        return false;
    }
}

} // namespace ss::ui
