// SPDX-License-Identifier: GPL-2.0-or-later
#include "screenshot_tour.h"

#include "capture_session.h"
#include "conversation_dialog.h"
#include "display_filter_edit.h"
#include "follow_stream_dialog.h"
#include "main_window.h"
#include "models/packet_list_model.h"

#include <QApplication>
#include <QDir>
#include <QTimer>
#include <QTableView>
#include <QTreeView>

#include <cstdio>

namespace ss::ui {

ScreenshotTour::ScreenshotTour(MainWindow& window, const QString& directory) : window_(window), directory_(directory)
{
    QDir().mkpath(directory_);
}

void ScreenshotTour::start()
{
    connect(&window_.session(), &CaptureSession::loadFinished, this, [this] {
        QTimer::singleShot(200, this, &ScreenshotTour::step1Packet);
    }, Qt::SingleShotConnection);
}

void ScreenshotTour::save(QWidget* widget, const QString& name)
{
    QApplication::processEvents();
    const QString path = directory_ + "/" + name;
    const bool ok = widget->grab().save(path);
    std::printf("%s %s\n", ok ? "saved" : "FAILED", qPrintable(path));
}

void ScreenshotTour::step1Packet()
{
    // The first HTTP request, its tree fully expanded.
    auto* model = window_.packetList();
    const int info = model->columnOfFormat(COL_INFO);
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, info).data().toString().startsWith("GET /api/data")) {
            window_.packetView()->setCurrentIndex(model->index(row, 0));
            break;
        }
    window_.detailView()->expandAll();
    save(&window_, "1-packet-selected.png");
    step2Filter();
}

void ScreenshotTour::step2Filter()
{
    connect(&window_.session(), &CaptureSession::filterApplied, this, [this] {
        QTimer::singleShot(200, this, [this] {
            save(&window_, "2-filter-applied.png");
            step3Conversations();
        });
    }, Qt::SingleShotConnection);
    window_.filterEdit()->setText(QStringLiteral("dns.qry.name contains \"minexmr\""));
    window_.filterEdit()->apply();
}

void ScreenshotTour::step3Conversations()
{
    window_.applyFilter(QString()); // conversations of the whole file
    ConversationDialog* dialog = window_.showConversations();
    dialog->showTable("tcp");
    connect(dialog, &ConversationDialog::computed, this, [this, dialog] {
        QTimer::singleShot(200, this, [this, dialog] {
            save(dialog, "3-conversations-tcp.png");
            dialog->close();
            step4Follow();
        });
    }, Qt::SingleShotConnection);
}

void ScreenshotTour::step4Follow()
{
    FollowStreamDialog* dialog = window_.followStream("tcp");
    connect(dialog, &FollowStreamDialog::followed, this, [this, dialog] {
        QTimer::singleShot(200, this, [this, dialog] {
            save(dialog, "4-follow-tcp-stream.png");
            QApplication::quit();
        });
    }, Qt::SingleShotConnection);
}

} // namespace ss::ui
