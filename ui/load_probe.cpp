// SPDX-License-Identifier: GPL-2.0-or-later
#include "load_probe.h"

#include "capture_controls.h"
#include "capture_session.h"
#include "main_window.h"
#include "conversation_dialog.h"
#include "models/conversation_model.h"
#include "models/timeline_model.h"
#include "timeline_dialog.h"
#include "timeline_view.h"

#include <QApplication>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace ss::ui {

LoadProbe::LoadProbe(MainWindow& window, const QString& filter) : window_(window), filter_(filter)
{
    beat_.setInterval(10);
    connect(&beat_, &QTimer::timeout, this, &LoadProbe::heartbeat);
}

long LoadProbe::residentKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

void LoadProbe::heartbeat()
{
    worstStallMs_ = std::max(worstStallMs_, sinceBeat_.restart() - 10);
}

void LoadProbe::start()
{
    CaptureSession& session = window_.session();
    clock_.start();
    sinceBeat_.start();
    beat_.start();
    connect(&session, &CaptureSession::framesAdded, this, [this] {
        if (firstRowsMs_ < 0) {
            QApplication::processEvents(); // let the view paint them
            firstRowsMs_ = clock_.elapsed();
        }
    });
    connect(&session, &CaptureSession::loadFinished, this, [this, &session] {
        loadedMs_ = clock_.elapsed();
        const qint64 loadStall = worstStallMs_;
        std::printf("frames %zu\nfirst_rows_s %.3f\nloaded_s %.3f\nworst_stall_loading_ms %lld\nrss_after_load_mib %.0f\n",
                    session.totalFrames(), firstRowsMs_ / 1000.0, loadedMs_ / 1000.0, static_cast<long long>(loadStall),
                    residentKiB() / 1024.0);
        worstStallMs_ = 0;
        QElapsedTimer filterClock;
        filterClock.start();
        connect(&session, &CaptureSession::filterApplied, this, [this, &session, filterClock] {
            std::printf("filter_s %.3f\nfilter_displayed %zu\nworst_stall_filtering_ms %lld\n",
                        filterClock.elapsed() / 1000.0, session.displayed().size(),
                        static_cast<long long>(worstStallMs_));
            std::fflush(stdout);
            measureTimeline();
        });
        window_.applyFilter(filter_);
    });
}

// View → Timeline on the loaded file: the pass that builds the lanes (and the worst UI stall
// meanwhile), then repaints of the whole view at eight zoom levels (per-pixel aggregation:
// the paint time must not grow with the packets).
void LoadProbe::measureTimeline()
{
    worstStallMs_ = 0;
    QElapsedTimer passClock;
    passClock.start();
    TimelineDialog* dialog = window_.showTimeline();
    if (!dialog) {
        QApplication::quit();
        return;
    }
    connect(dialog, &TimelineDialog::computed, this, [this, dialog, passClock] {
        const qint64 passMs = passClock.elapsed();
        TimelineView* view = dialog->view();
        for (int pod = 0; pod < dialog->model()->rowCount(); ++pod)
            view->setExpanded(pod, true);
        std::vector<qint64> paints;
        const std::int64_t middle = view->rangeFrom() / 2 + view->rangeTo() / 2;
        for (int level = 0; level < 8; ++level) {
            QElapsedTimer paint;
            paint.start();
            view->repaint();
            paints.push_back(paint.nsecsElapsed() / 1000);
            view->zoom(0.25, middle);
        }
        std::sort(paints.begin(), paints.end());
        std::printf("timeline_pass_s %.3f\nworst_stall_timeline_ms %lld\ntimeline_lanes %d\n"
                    "timeline_paint_median_ms %.1f\ntimeline_paint_worst_ms %.1f\n",
                    passMs / 1000.0, static_cast<long long>(worstStallMs_), view->rows(),
                    paints[paints.size() / 2] / 1000.0, paints.back() / 1000.0);
        std::fflush(stdout);
        measureConversations();
    });
}

// Statistics → Conversations, then Endpoints, over the whole file: click to every table filled.
void LoadProbe::measureConversations()
{
    worstStallMs_ = 0;
    QElapsedTimer clock;
    clock.start();
    ConversationDialog* conversations = window_.showConversations();
    connect(conversations, &ConversationDialog::computed, this, [this, conversations, clock] {
        std::printf("conversations_s %.3f\nconversations_tcp_rows %d\nconversations_how %s\n", clock.elapsed() / 1000.0,
                    conversations->model("tcp")->rowCount(), qPrintable(conversations->hint()));
        std::fflush(stdout);
        QElapsedTimer endpointsClock;
        endpointsClock.start();
        ConversationDialog* endpoints = window_.showEndpoints();
        connect(endpoints, &ConversationDialog::computed, this, [this, endpoints, endpointsClock] {
            std::printf("endpoints_s %.3f\nworst_stall_statistics_ms %lld\n", endpointsClock.elapsed() / 1000.0,
                        static_cast<long long>(worstStallMs_));
            std::fflush(stdout);
            (void)endpoints;
            QApplication::quit();
        });
    });
}

LiveProbe::LiveProbe(MainWindow& window, const QString& interface, int seconds)
    : window_(window), interface_(interface), seconds_(seconds)
{
    beat_.setInterval(10);
    connect(&beat_, &QTimer::timeout, this, &LiveProbe::heartbeat);
}

void LiveProbe::heartbeat()
{
    worstStallMs_ = std::max(worstStallMs_, sinceBeat_.restart() - 10);
}

void LiveProbe::start()
{
    CaptureControls* controls = window_.captureControls();
    connect(controls, &CaptureControls::captureStarted, this, [this] {
        rssStartKiB_ = LoadProbe::residentKiB();
        worstStallMs_ = 0;
        sinceBeat_.start();
        beat_.start();
        QTimer::singleShot(seconds_ * 1000, this, [this] { window_.captureControls()->stop(); });
    });
    connect(controls, &CaptureControls::captureFinished, this, [this](bool) {
        // The rest of the file is read after the end: measure until the list is complete.
        if (window_.session().loading())
            connect(&window_.session(), &CaptureSession::loadFinished, this, &LiveProbe::finish);
        else
            finish();
    });
    window_.captureOn("local", interface_);
}

void LiveProbe::finish()
{
    const long rss = LoadProbe::residentKiB();
    const auto frames = window_.session().totalFrames();
    std::printf("frames %zu\nworst_stall_ms %lld\nrss_start_mib %.0f\nrss_end_mib %.0f\nrss_growth_bytes_per_packet %.0f\n",
                frames, static_cast<long long>(worstStallMs_), rssStartKiB_ / 1024.0, rss / 1024.0,
                frames ? (rss - rssStartKiB_) * 1024.0 / double(frames) : 0.0);
    std::fflush(stdout);
    QApplication::quit();
}

} // namespace ss::ui
