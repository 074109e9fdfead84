// SPDX-License-Identifier: GPL-2.0-or-later
#include "screenshot_tour.h"

#include "analysis_dialog.h"
#include "capture_session.h"
#include "conversation_dialog.h"
#include "display_filter_edit.h"
#include "export_dialog.h"
#include "find_bar.h"
#include "follow_stream_dialog.h"
#include "io_graph_dialog.h"
#include "latency_dialog.h"
#include "main_window.h"
#include "models/packet_list_model.h"
#include "packet_list_actions.h"
#include "coloring_rules_dialog.h"
#include "preferences_dialog.h"
#include "profile_dialog.h"
#include "timeline_dialog.h"

#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QToolBar>
#include <QTimer>
#include <QTableView>
#include <QTreeView>

#include <cstdio>
#include <memory>

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
            dialog->close();
            step5Tour();
        });
    }, Qt::SingleShotConnection);
}

// One step of the rest of the tour: a dialog saved once it has computed (or after 10 s).
template <class Dialog>
void ScreenshotTour::shootWhenComputed(Dialog* dialog, const QString& name)
{
    auto done = std::make_shared<bool>(false);
    auto shoot = [this, dialog, name, done] {
        if (*done)
            return;
        *done = true;
        QTimer::singleShot(300, this, [this, dialog, name] {
            save(dialog, name);
            dialog->close();
            next();
        });
    };
    connect(dialog, &Dialog::computed, this, shoot, Qt::SingleShotConnection);
    QTimer::singleShot(10000, this, shoot);
}

void ScreenshotTour::shootMenu(QMenu* menu, const QString& name)
{
    menu->popup(window_.mapToGlobal(QPoint(200, 150)));
    QTimer::singleShot(300, this, [this, menu, name] {
        save(menu, name);
        menu->close();
        next();
    });
}

void ScreenshotTour::step5Tour()
{
    window_.applyFilter(QString());
    steps_ = {
        [this] {
            save(window_.findChild<QToolBar*>("mainToolBar"), "toolbar.png");
            next();
        },
        [this] {
            window_.findBar()->open();
            window_.findBar()->setSpec({SearchSpec::Kind::String, SearchSpec::Where::Bytes, "minexmr"});
            window_.findBar()->find(true);
            QTimer::singleShot(500, this, [this] {
                save(&window_, "find-packet.png");
                next();
            });
        },
        [this] {
            const QModelIndex at = window_.packetList()->index(window_.packetView()->currentIndex().row(), 2);
            shootMenu(window_.listActions()->contextMenu(at, &window_), "packet-list-menu.png");
        },
        [this] { shootMenu(window_.findChild<QMenu*>("menuTimeDisplayFormat"), "time-format-menu.png"); },
        [this] { shootWhenComputed(window_.showAnalysis(int(AnalysisDialog::Kind::Expert)), "expert-info.png"); },
        [this] {
            shootWhenComputed(window_.showAnalysis(int(AnalysisDialog::Kind::Hierarchy)), "protocol-hierarchy.png");
        },
        [this] { shootWhenComputed(window_.showEndpoints(), "endpoints.png"); },
        [this] { shootWhenComputed(window_.showIoGraph(), "io-graph.png"); },
        [this] { shootWhenComputed(window_.showTimeline(), "timeline.png"); },
        [this] { shootWhenComputed(window_.showLatency("0"), "request-latency.png"); },
        [this] { shootDialog(window_.exportDialog(false), "export-specified-packets.png"); },
        [this] { shootDialog(window_.showPreferences(int(PreferencesDialog::Columns)), "column-preferences.png"); },
        [this] {
            PreferencesDialog* d = window_.showPreferences(int(PreferencesDialog::Advanced));
            d->search(QStringLiteral("reassemble"));
            shootDialog(d, "preferences.png");
        },
        [this] { shootDialog(window_.showColoringRules(), "coloring-rules.png"); },
        [this] { shootDialog(window_.showProfiles(), "profiles.png"); },
    };
    next();
}

void ScreenshotTour::shootDialog(QDialog* dialog, const QString& name)
{
    QTimer::singleShot(300, this, [this, dialog, name] {
        save(dialog, name);
        dialog->close();
        next();
    });
}

void ScreenshotTour::next()
{
    if (step_ >= steps_.size()) {
        QApplication::quit();
        return;
    }
    auto step = steps_[step_++];
    QTimer::singleShot(0, this, step);
}

} // namespace ss::ui
