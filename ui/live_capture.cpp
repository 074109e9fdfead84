// SPDX-License-Identifier: GPL-2.0-or-later
#include "live_capture.h"

#include "helper_targets.h"

#include <QDir>
#include <QFile>
#include <QMetaObject>

#include <unistd.h>

#include <cstdlib>

namespace ss::ui {

LiveCapture::LiveCapture(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<QVector<ss::ui::LiveCapture::NodeStatus>>();
}

LiveCapture::~LiveCapture()
{
    stop_ = true;
    if (worker_.joinable())
        worker_.join();
    discardTemporary();
}

template <typename F>
void LiveCapture::post(F&& f)
{
    QMetaObject::invokeMethod(this, std::forward<F>(f), Qt::QueuedConnection);
}

void LiveCapture::start(const CaptureSettings& settings)
{
    if (running_)
        return;
    if (worker_.joinable())
        worker_.join();
    discardTemporary();
    settings_ = settings;
    if (settings.ringBytes && settings.outputPath.empty()) {
        emit refused(tr("A ring buffer needs an output file name (its files are named after it)"));
        return;
    }
    // The view reads one file: the user's, or a temporary one (as Wireshark's) when nothing
    // was chosen or the user's output is a ring of files.
    temporary_ = settings.outputPath.empty() || settings.ringBytes;
    if (temporary_) {
        QByteArray pattern = QDir(QDir::tempPath()).filePath("stratoshark_XXXXXX.pcapng").toLocal8Bit();
        const int fd = mkstemps(pattern.data(), 7);
        if (fd < 0) {
            emit refused(tr("Cannot create a temporary file in %1").arg(QDir::tempPath()));
            return;
        }
        ::close(fd);
        path_ = QString::fromLocal8Bit(pattern);
    } else {
        path_ = QString::fromStdString(settings.outputPath);
    }
    stop_ = false;
    running_ = true;
    worker_ = std::thread([this, s = settings_] { work(s); });
}

void LiveCapture::stop()
{
    stop_ = true;
}

void LiveCapture::discardTemporary()
{
    if (temporary_ && !running_ && !path_.isEmpty())
        QFile::remove(path_);
    temporary_ = false;
}

void LiveCapture::work(CaptureSettings s)
{
    using capture::CaptureRun;
    std::vector<std::unique_ptr<ipc::HelperClient>> helpers;
    std::vector<pb::StartCapture> requests;
    const auto fail = [this](const QString& message) {
        post([this, message] {
            running_ = false;
            emit refused(message);
        });
    };
    try {
        for (const CaptureSettings::Source& source : s.sources) {
            ipc::TlsFiles tls = source.target.tls;
            capture::tlsFromEnvironment(&tls);
            auto connected = capture::connectHelpers({source.target.address}, tls, "stratoshark-gui");
            helpers.push_back(std::move(connected.front()));
            pb::StartCapture r;
            for (const std::string& i : source.interfaces)
                r.add_interfaces(i);
            r.set_bpf_filter(s.captureFilter);
            r.set_metadata_filter(s.ebpfFilter);
            r.set_syscalls(s.syscalls);
            r.set_tls_secrets(static_cast<pb::StartCapture::TlsSecrets>(s.tlsSecrets));
            r.set_snaplen(s.snaplen);
            r.set_buffer_bytes(s.bufferBytes);
            r.set_duration_ms(s.durationMs);
            r.set_max_packets(s.packets);
            requests.push_back(r);
        }
    } catch (const ipc::HelperError& e) {
        fail(QString::fromStdString(e.what()));
        return;
    }
    capture::CaptureOutput::Options viewFiles;
    viewFiles.path = path_.toStdString();
    viewFiles.maxSize = s.ringBytes ? 0 : s.maxBytes;
    viewFiles.holdsSecrets = s.tlsSecrets != 0;
    capture::CaptureOutput output(viewFiles);
    std::unique_ptr<capture::CaptureOutput> ring; // the user's ring files, beside the view's
    if (s.ringBytes) {
        capture::CaptureOutput::Options files;
        files.path = s.outputPath;
        files.ringSize = s.ringBytes;
        files.ringFiles = s.ringFiles;
        files.holdsSecrets = s.tlsSecrets != 0;
        ring = std::make_unique<capture::CaptureOutput>(files);
    }
    CaptureRun::Events events;
    events.warning = [this](const std::string& node, const std::string& text) {
        post([this, n = QString::fromStdString(node), t = QString::fromStdString(text)] { emit warning(n, t); });
    };
    events.lost = [this](const std::string& node, const std::string& why) {
        post([this, n = QString::fromStdString(node), w = QString::fromStdString(why)] { emit nodeLost(n, w); });
    };
    events.wrote = [this] {
        if (!notified_.exchange(true)) // one dataWritten() queued at a time
            post([this] {
                notified_ = false;
                emit dataWritten();
            });
    };
    events.statistics = [this](const std::vector<CaptureRun::NodeStatus>& nodes) {
        QVector<NodeStatus> out;
        for (const auto& n : nodes)
            out.push_back({QString::fromStdString(n.name), n.statistics.packets(), n.statistics.drops(),
                           n.statistics.client_drops(), n.statistics.records(), n.statistics.elapsed_ms(), n.lost,
                           QString::fromStdString(n.reason)});
        post([this, out] { emit statistics(out); });
    };
    CaptureRun run(
        std::move(helpers),
        [&output, &ring](std::string_view blocks) { return output.write(blocks) && (!ring || ring->write(blocks)); },
        events);
    if (auto refusal = run.start(requests)) {
        fail(QString::fromStdString(refusal->what()));
        return;
    }
    if (!output.open() || (ring && !ring->open())) {
        fail(QString::fromStdString(output.error().empty() ? ring->error() : output.error()));
        stop_ = true;
        run.run(stop_, false); // stops the helpers at once
        return;
    }
    run.writeStart();
    post([this] { emit started(path_); });
    const bool complete = run.run(stop_, false);
    std::string summary;
    for (const auto& n : run.status())
        summary += (summary.empty() ? "" : "; ") + n.name + ": " + (n.lost ? "lost (" + n.reason + ")" : n.reason);
    if (!output.error().empty() && !output.limitReached())
        summary += "; " + output.error();
    output.close();
    post([this, complete, text = QString::fromStdString(summary)] {
        running_ = false;
        emit finished(complete, text);
    });
}

} // namespace ss::ui
