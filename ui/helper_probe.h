// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QVector>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "capture_targets.h"
#include "helper.pb.h"

namespace ss::ipc {
class HelperClient;
}

namespace ss::ui {

// Asks the capture targets' helpers, on a thread of its own (a node that does not answer
// must not freeze the window), for their interfaces once a second and checks eBPF filters
// with the helper's own parser. Results arrive as queued signals.
class HelperProbe : public QObject {
    Q_OBJECT
public:
    struct Interface {
        QString name;
        bool up = false, capturable = false;
        quint64 packets = 0; // rx + tx, the kernel's counters
    };

    explicit HelperProbe(QObject* parent = nullptr);
    ~HelperProbe() override;

    void setTargets(const std::vector<capture::CaptureTarget>& targets);
    // Checks `ebpfFilter` (and `captureFilter`) as the helper of `target` would; the
    // latest request wins. filterChecked() answers.
    void checkFilter(const QString& target, const QString& ebpfFilter, const QString& captureFilter);

signals:
    void interfaces(const QString& target, const QVector<ss::ui::HelperProbe::Interface>& list, const QString& error);
    void filterChecked(const QString& ebpfFilter, bool valid, const QString& message);

private:
    void loop();
    void poll();
    ipc::HelperClient* clientFor(const capture::CaptureTarget& target, QString* error);

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<capture::CaptureTarget> targets_;
    struct Check {
        QString target, ebpf, capture;
    };
    std::optional<Check> check_;
    bool quit_ = false;
    std::map<std::string, std::unique_ptr<ipc::HelperClient>> clients_; // worker thread only
    std::thread worker_;
};

} // namespace ss::ui

Q_DECLARE_METATYPE(ss::ui::HelperProbe::Interface)
