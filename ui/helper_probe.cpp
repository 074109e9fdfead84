// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_probe.h"

#include "helper_client.h"
#include "helper_targets.h"

#include <QMetaObject>

#include <chrono>

namespace ss::ui {

namespace pb = stratoshark::helper::v1;

HelperProbe::HelperProbe(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<QVector<ss::ui::HelperProbe::Interface>>();
    worker_ = std::thread([this] { loop(); });
}

HelperProbe::~HelperProbe()
{
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void HelperProbe::setTargets(const std::vector<capture::CaptureTarget>& targets)
{
    {
        std::lock_guard lock(mutex_);
        targets_ = targets;
    }
    wake_.notify_all();
}

void HelperProbe::checkFilter(const QString& target, const QString& ebpfFilter, const QString& captureFilter)
{
    {
        std::lock_guard lock(mutex_);
        check_ = Check{target, ebpfFilter, captureFilter};
    }
    wake_.notify_all();
}

ipc::HelperClient* HelperProbe::clientFor(const capture::CaptureTarget& target, QString* error)
{
    auto& client = clients_[target.name + "\n" + target.address];
    if (!client) {
        try {
            ipc::TlsFiles tls = target.tls;
            capture::tlsFromEnvironment(&tls);
            client = std::move(capture::connectHelpers({target.address}, tls, "stratoshark-gui").front());
        } catch (const ipc::HelperError& e) {
            *error = QString::fromStdString(e.what());
            return nullptr;
        }
    }
    return client.get();
}

void HelperProbe::poll()
{
    std::vector<capture::CaptureTarget> targets;
    {
        std::lock_guard lock(mutex_);
        targets = targets_;
    }
    for (const capture::CaptureTarget& t : targets) {
        QString error;
        QVector<Interface> list;
        if (ipc::HelperClient* client = clientFor(t, &error)) {
            try {
                for (const auto& i : client->listInterfaces())
                    list.push_back({QString::fromStdString(i.name()), i.up(), i.capturable(), i.rx_packets() + i.tx_packets()});
            } catch (const ipc::HelperError& e) {
                error = QString::fromStdString(e.what());
                clients_.erase(t.name + "\n" + t.address); // reconnect next time
            }
        }
        QMetaObject::invokeMethod(
            this, [this, name = QString::fromStdString(t.name), list, error] { emit interfaces(name, list, error); },
            Qt::QueuedConnection);
    }
}

void HelperProbe::loop()
{
    auto nextPoll = std::chrono::steady_clock::now();
    for (;;) {
        std::optional<Check> check;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, nextPoll, [this] { return quit_ || check_.has_value(); });
            if (quit_)
                return;
            check.swap(check_);
        }
        if (check) {
            std::vector<capture::CaptureTarget> targets;
            {
                std::lock_guard lock(mutex_);
                targets = targets_;
            }
            const auto target = capture::findTarget(targets, check->target.toStdString());
            bool valid = true;
            QString message;
            if (!target) {
                message = tr("no capture target %1").arg(check->target);
            } else if (ipc::HelperClient* client = clientFor(*target, &message)) {
                pb::StartCapture request;
                request.set_metadata_filter(check->ebpf.toStdString());
                request.set_bpf_filter(check->capture.toStdString());
                try {
                    const auto warnings = client->validate(request);
                    if (!warnings.empty())
                        message = QString::fromStdString(warnings.front());
                } catch (const ipc::HelperError& e) {
                    valid = e.kind() != ipc::HelperError::Kind::Refused;
                    message = QString::fromStdString(e.what());
                    if (e.kind() != ipc::HelperError::Kind::Refused)
                        clients_.erase(target->name + "\n" + target->address);
                }
            }
            QMetaObject::invokeMethod(
                this, [this, f = check->ebpf, valid, message] { emit filterChecked(f, valid, message); },
                Qt::QueuedConnection);
            continue;
        }
        if (std::chrono::steady_clock::now() >= nextPoll) {
            poll();
            nextPoll = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        }
    }
}

} // namespace ss::ui
