// SPDX-License-Identifier: GPL-2.0-or-later
// MainWindow's dialogs and exports: Statistics, Analyze, Follow, View → Timeline, File →
// Save As / Export Specified Packets / Properties (main_window.cpp holds the window itself).
#include "main_window.h"

#include "export_dialog.h"

#include "analysis_dialog.h"
#include "capture_controls.h"
#include "capture_session.h"
#include "capture_writer.h"
#include "conversation_dialog.h"
#include "error.h"
#include "follow_stream_dialog.h"
#include "io_graph_dialog.h"
#include "latency_dialog.h"
#include "models/packet_list_model.h"
#include "models/proto_tree_model.h"
#include "properties_dialog.h"
#include "timeline_dialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QTemporaryFile>
#include <QInputDialog>
#include <QLineEdit>
#include <QStatusBar>
#include <QTreeView>

#include <set>

namespace ss::ui {
PacketRangeInput MainWindow::rangeInput() const
{
    PacketRangeInput input;
    input.total = session_->totalFrames();
    input.displayed = &session_->displayed();
    input.selected = currentFrame_;
    input.flag = [this](std::uint32_t f, RandomAccessCapture::Flag which) {
        return session_->capture() && session_->capture()->flag(f, which);
    };
    return input;
}

ExportDialog* MainWindow::exportDialog(bool wholeFile)
{
    if (!session_->isOpen())
        return nullptr;
    auto* dialog = new ExportDialog(rangeInput(), session_->capture()->fileEncap(), wholeFile, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, wholeFile] {
        if (dialog->path().isEmpty())
            return;
        PacketRange range = dialog->range();
        if (wholeFile)
            range = PacketRange{PacketRange::Scope::All, {}, false, false};
        if (exportPackets(dialog->path(), range, dialog->fileType()) >= 0 && wholeFile)
            captureControls_->markSaved();
    });
    dialog->show();
    return dialog;
}

int MainWindow::exportPackets(const QString& path, const QString& range, bool displayedOnly)
{
    PacketRange r;
    r.scope = range.trimmed().isEmpty() ? PacketRange::Scope::All : PacketRange::Scope::Range;
    r.range = range;
    r.displayedOnly = displayedOnly;
    return exportPackets(path, r);
}

int MainWindow::exportPackets(const QString& path, const PacketRange& range, int fileType)
{
    QString error;
    const std::vector<std::uint32_t> frames = selectFrames(range, rangeInput(), &error);
    if (!error.isEmpty()) {
        statusBar()->showMessage(error, kStatusMs);
        return -1;
    }
    try {
        const std::size_t n = exportFrames(session_->path().toStdString(), path.toStdString(), [&](std::uint32_t f) {
            return std::binary_search(frames.begin(), frames.end(), f);
        }, fileType, [this](std::uint32_t f) { return session_->capture()->modifiedBlock(f); });
        statusBar()->showMessage(tr("Wrote %1 packets to %2").arg(n).arg(path), kStatusMs);
        return int(n);
    } catch (const EngineError& e) {
        showError(tr("Cannot save %1").arg(path), QString::fromStdString(e.what()));
        return -1;
    }
}

QString MainWindow::mergeWith(const QString& other)
{
    if (!session_->isOpen())
        return {};
    // Into a new file in the temporary folder, as Wireshark does; then opened in place of this one.
    QTemporaryFile merged(QDir::tempPath() + "/stratoshark_merged_XXXXXX.pcapng");
    merged.setAutoRemove(false);
    if (!merged.open()) {
        showError(tr("Cannot merge"), tr("Cannot create a temporary file: %1").arg(merged.errorString()));
        return {};
    }
    const QString path = merged.fileName();
    merged.close();
    try {
        mergeCaptures({session_->path().toStdString(), other.toStdString()}, path.toStdString(), false);
    } catch (const EngineError& e) {
        QFile::remove(path);
        showError(tr("Cannot merge %1").arg(QFileInfo(other).fileName()), QString::fromStdString(e.what()));
        return {};
    }
    return openFile(path) ? path : QString();
}

ConversationDialog* MainWindow::showConversations()
{
    if (!session_->isOpen())
        return nullptr;
    if (!conversations_) {
        conversations_ = new ConversationDialog(*session_, this);
        conversations_->setAttribute(Qt::WA_DeleteOnClose);
        connect(conversations_, &ConversationDialog::filterRequested, this, &MainWindow::prepareFilter);
    }
    conversations_->show();
    conversations_->recompute();
    return conversations_;
}

ConversationDialog* MainWindow::showEndpoints()
{
    if (!session_->isOpen())
        return nullptr;
    if (!endpoints_) {
        endpoints_ = new ConversationDialog(*session_, this, true);
        endpoints_->setAttribute(Qt::WA_DeleteOnClose);
        connect(endpoints_, &ConversationDialog::filterRequested, this, &MainWindow::prepareFilter);
    }
    endpoints_->show();
    endpoints_->recompute();
    return endpoints_;
}

AnalysisDialog* MainWindow::showAnalysis(int kind, const QString& treeName)
{
    if (!session_->isOpen())
        return nullptr;
    auto* dialog = new AnalysisDialog(*session_, AnalysisDialog::Kind(kind), treeName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AnalysisDialog::filterRequested, this, &MainWindow::prepareFilter);
    connect(dialog, &AnalysisDialog::frameRequested, this, &MainWindow::goToPacket);
    dialog->show();
    dialog->recompute();
    return dialog;
}

PropertiesDialog* MainWindow::showProperties()
{
    if (!session_->isOpen())
        return nullptr;
    auto* dialog = new PropertiesDialog(session_->path(), session_->displayed().size(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

IoGraphDialog* MainWindow::showIoGraph()
{
    if (!session_->isOpen())
        return nullptr;
    auto* dialog = new IoGraphDialog(*session_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &IoGraphDialog::timeRequested, this, &MainWindow::goToTime);
    dialog->show();
    dialog->recompute();
    return dialog;
}

void MainWindow::goToTime(std::int64_t ns)
{
    const RandomAccessCapture* capture = session_->capture();
    if (!capture)
        return;
    const auto& index = capture->index();
    for (std::size_t i = 0; i < index.size(); ++i)
        if (index[i].timestampNs >= ns && packetModel_->rowOfFrame(std::uint32_t(i + 1)) >= 0) {
            goToPacket(std::uint32_t(i + 1));
            return;
        }
}

TimelineDialog* MainWindow::showTimeline()
{
    if (!session_->isOpen())
        return nullptr;
    if (timeline_) {
        timeline_->raise();
        return timeline_;
    }
    timeline_ = new TimelineDialog(*session_, this);
    timeline_->setAttribute(Qt::WA_DeleteOnClose);
    connect(timeline_, &TimelineDialog::frameRequested, this, &MainWindow::goToPacket);
    connect(timeline_, &TimelineDialog::computed, this, [this] {
        if (timeline_ && currentFrame_)
            timeline_->followFrame(currentFrame_);
    });
    connect(session_, &CaptureSession::closed, timeline_, &QWidget::close);
    timeline_->show();
    timeline_->recompute();
    return timeline_;
}

LatencyDialog* MainWindow::showLatency(const QString& threshold)
{
    if (!session_->isOpen())
        return nullptr;
    auto* dialog = new LatencyDialog(*session_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setThreshold(threshold);
    connect(dialog, &LatencyDialog::filterRequested, this, &MainWindow::prepareFilter);
    connect(dialog, &LatencyDialog::frameRequested, this, &MainWindow::goToPacket);
    dialog->show();
    dialog->recompute();
    return dialog;
}

FollowStreamDialog* MainWindow::followStream(const QString& protocol)
{
    if (!session_->isOpen())
        return nullptr;
    // The stream of the selected packet, as Wireshark follows it.
    int stream = 0;
    const QString field = protocol + ".stream";
    std::function<bool(const QModelIndex&)> findStream = [&](const QModelIndex& parent) {
        for (int r = 0; r < treeModel_->rowCount(parent); ++r) {
            const QModelIndex i = treeModel_->index(r, 0, parent);
            if (i.data(ProtoTreeModel::FieldNameRole).toString() == field) {
                stream = ProtoTreeModel::valueOf(i.data().toString()).toInt();
                return true;
            }
            if (findStream(i))
                return true;
        }
        return false;
    };
    findStream({});
    if (follow_)
        follow_->close();
    follow_ = new FollowStreamDialog(*session_, protocol, this);
    follow_->setAttribute(Qt::WA_DeleteOnClose);
    connect(follow_, &FollowStreamDialog::filterOutRequested, this, &MainWindow::applyFilter);
    // As Wireshark: the stream's filter goes on the main view; Back restores the one before.
    const QString before = session_->appliedFilter();
    connect(follow_, &FollowStreamDialog::streamFilterRequested, this, &MainWindow::applyFilter);
    connect(follow_, &FollowStreamDialog::backRequested, this, [this, before] { applyFilter(before); });
    follow_->show();
    follow_->follow(stream);
    return follow_;
}

} // namespace ss::ui
