// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QVector>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "capture_output.h"
#include "capture_run.h"
#include "capture_targets.h"
#include "helper.pb.h"

namespace ss::ui {

namespace pb = stratoshark::helper::v1;

// What the capture dialog asks for: which helpers, which of their interfaces, the filters,
// syscalls, snap length, when to stop, where the file goes.
struct CaptureSettings {
    struct Source {
        capture::CaptureTarget target;
        std::vector<std::string> interfaces; // none: every interface that is up, and new ones
    };
    std::vector<Source> sources;
    std::string captureFilter, ebpfFilter, syscalls; // syscalls: "" none, "default", "all", a list
    std::uint32_t snaplen = 0;                       // 0: whole packets
    std::uint64_t bufferBytes = 0;                   // the kernel ring; 0: the helper's default (2 MiB)
    std::uint64_t durationMs = 0, packets = 0, maxBytes = 0;
    std::string outputPath; // "": a temporary file (asked to be saved afterwards)
    std::uint64_t ringBytes = 0;
    unsigned ringFiles = 0;
    // TLS secrets into the file (docs/TLS.md): the helper protocol's TlsSecrets — 0 off,
    // 1 of the processes the eBPF filter selects, 2 of every process.
    int tlsSecrets = 0;
};

// One live capture for the GUI: connects to the helpers, starts the capture and streams it
// into a file on a thread of its own (nothing here runs epan: the CaptureSession reads the
// file as it grows on the GUI thread). Everything it reports arrives as queued signals.
class LiveCapture : public QObject {
    Q_OBJECT
public:
    explicit LiveCapture(QObject* parent = nullptr);
    ~LiveCapture() override; // stops and waits for the capture

    // Starts in the background; started() or refused() follows.
    void start(const CaptureSettings& settings);
    void stop(); // asks the helpers to stop; finished() follows
    bool running() const { return running_; }
    const CaptureSettings& settings() const { return settings_; }
    // The file being written (or written last); temporary() when not chosen by the user.
    const QString& path() const { return path_; }
    bool temporary() const { return temporary_; }
    // Forgets a temporary file (deleted) once saved elsewhere or discarded.
    void discardTemporary();

    struct NodeStatus {
        QString name;
        quint64 packets = 0, drops = 0, clientDrops = 0, records = 0, elapsedMs = 0;
        bool lost = false;
        QString reason;
    };

signals:
    void started(const QString& path);          // the file holds its first blocks: open it
    void refused(const QString& message);       // nothing was captured
    void dataWritten();                         // more blocks in the file
    void statistics(const QVector<ss::ui::LiveCapture::NodeStatus>& nodes);
    void warning(const QString& node, const QString& text);
    void nodeLost(const QString& node, const QString& why);
    void finished(bool complete, const QString& summary);

private:
    void work(CaptureSettings settings);
    template <typename F>
    void post(F&& f);

    CaptureSettings settings_;
    std::thread worker_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> notified_{false};
    bool running_ = false;
    QString path_;
    bool temporary_ = false;
};

} // namespace ss::ui

Q_DECLARE_METATYPE(ss::ui::LiveCapture::NodeStatus)
