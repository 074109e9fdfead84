// SPDX-License-Identifier: GPL-2.0-or-later
// MainWindow's menus and main toolbar: Wireshark's menu layout, keys and toolbar order.
#include "main_window.h"

#include "analysis_dialog.h"
#include "bytes_view.h"
#include "capture_controls.h"
#include "capture_session.h"
#include "display_filter_edit.h"
#include "find_bar.h"
#include "models/packet_list_model.h"
#include "models/proto_tree_model.h"
#include "packet_list_actions.h"
#include "stats_tree_tap.h"
#include "view_settings.h"

#include <QApplication>
#include <QFileDialog>
#include <QInputDialog>
#include <QMap>
#include <QMenuBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>

namespace ss::ui {

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Capture File"), QString(),
                                                          tr("Capture files (*.pcap *.pcapng *.gz *.cap);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    open->setObjectName("actionFileOpen");
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    // Explicit keys: QKeySequence::SaveAs is empty on some platforms (offscreen, Windows).
    file->addAction(tr("Save &As…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                    [this] { exportDialog(true); })->setObjectName("actionFileSaveAs");
    file->addAction(tr("&Merge…"), this, [this] {
        const QString other = QFileDialog::getOpenFileName(this, tr("Merge with Capture File"), QString(),
                                                           tr("Capture files (*.pcap *.pcapng *.gz *.cap);;All files (*)"));
        if (!other.isEmpty())
            mergeWith(other);
    })->setObjectName("actionFileMerge");
    file->addAction(tr("Export Specified Packets…"), this, [this] { exportDialog(false); });
    file->addAction(tr("&Properties"), this, [this] { showProperties(); }); // as Statistics → Capture File Properties
    QAction* close = file->addAction(tr("&Close"), QKeySequence(Qt::CTRL | Qt::Key_W), this, [this] {
        if (captureControls_->capturing() || !captureControls_->maybeSave(tr("closing")))
            return;
        session_->close();
        treeModel_->clear();
        bytesView_->setBytes({});
        updateStatus();
    });
    close->setObjectName("actionFileClose");
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("Focus Display Filter"), QKeySequence(Qt::CTRL | Qt::Key_Slash), this, [this] {
        filterEdit_->setFocus();
        filterEdit_->selectAll();
    });
    edit->addSeparator();
    QAction* findPacket = edit->addAction(tr("&Find Packet…"), QKeySequence(Qt::CTRL | Qt::Key_F), this, [this] {
        findBar_->open();
    });
    findPacket->setObjectName("actionEditFindPacket");
    edit->addAction(tr("Find Ne&xt"), QKeySequence(Qt::CTRL | Qt::Key_N), this, [this] {
        findBar_->find(true);
    })->setObjectName("actionEditFindNext");
    edit->addAction(tr("Find Pre&vious"), QKeySequence(Qt::CTRL | Qt::Key_B), this, [this] {
        findBar_->find(false);
    })->setObjectName("actionEditFindPrevious");
    edit->addSeparator();
    listActions_->addToEditMenu(edit);
    edit->addSeparator();
    edit->addAction(tr("Configuration Profiles…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this,
                    [this] { showProfiles(); })
        ->setObjectName("actionEditConfigurationProfiles");
    edit->addAction(tr("Preferences…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this,
                    [this] { showPreferences(); })
        ->setObjectName("actionEditPreferences");

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* colorize = view->addAction(tr("Colorize Packet List"), this, [this](bool on) { packetModel_->setColorize(on); });
    colorize->setCheckable(true);
    colorize->setChecked(true);
    colorize->setObjectName("actionViewColorizePacketList");
    view->addAction(tr("Resize Columns"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), packetView_,
                    &QTableView::resizeColumnsToContents)
        ->setObjectName("actionViewResizeColumns");
    viewSettings_->addToViewMenu(view);
    view->addAction(tr("Colo&ring Rules…"), this, [this] { showColoringRules(); })
        ->setObjectName("actionViewColoringRules");
    QAction* reloadAction = view->addAction(tr("&Reload"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { reload(); });
    reloadAction->setObjectName("actionViewReload");
    connect(captureControls_, &CaptureControls::captureStarted, reloadAction, [reloadAction] { reloadAction->setEnabled(false); });
    connect(captureControls_, &CaptureControls::captureFinished, reloadAction, [reloadAction] { reloadAction->setEnabled(true); });
    view->addSeparator();
    view->addAction(tr("Expand Subtrees"), QKeySequence(Qt::SHIFT | Qt::Key_Right), this,
                    [this] { treeView_->expandRecursively(treeView_->currentIndex()); });
    view->addAction(tr("Collapse Subtrees"), QKeySequence(Qt::SHIFT | Qt::Key_Left), this, [this] {
        std::function<void(const QModelIndex&)> collapse = [&](const QModelIndex& i) {
            for (int r = 0; r < treeModel_->rowCount(i); ++r)
                collapse(treeModel_->index(r, 0, i));
            treeView_->collapse(i);
        };
        collapse(treeView_->currentIndex());
    });
    view->addAction(tr("&Timeline"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), this, [this] { showTimeline(); });
    view->addAction(tr("Expand All"), QKeySequence(Qt::CTRL | Qt::Key_Right), treeView_, &QTreeView::expandAll);
    view->addAction(tr("Collapse All"), QKeySequence(Qt::CTRL | Qt::Key_Left), this, [this] {
        treeView_->collapseAll(); // emits no collapsed(): forget the open subtrees here
        expandedPaths_.clear();
    });

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    QAction* goTo = go->addAction(tr("Go to Packet…"), QKeySequence(Qt::CTRL | Qt::Key_G), this, [this] {
        bool ok = false;
        const int frame = QInputDialog::getInt(this, tr("Go to Packet"), tr("Packet number:"), 1, 1,
                                               int(std::max<std::size_t>(1, session_->totalFrames())), 1, &ok);
        if (ok)
            goToPacket(std::uint32_t(frame));
    });
    goTo->setObjectName("actionGoGoToPacket");
    auto moveTo = [this](int row) {
        if (row >= 0 && row < packetModel_->rowCount())
            packetView_->setCurrentIndex(packetModel_->index(row, 0));
    };
    go->addAction(tr("First Packet"), QKeySequence(Qt::CTRL | Qt::Key_Home), this, [moveTo] { moveTo(0); })
        ->setObjectName("actionGoFirstPacket");
    go->addAction(tr("Last Packet"), QKeySequence(Qt::CTRL | Qt::Key_End), this,
                  [this, moveTo] { moveTo(packetModel_->rowCount() - 1); })
        ->setObjectName("actionGoLastPacket");
    go->addAction(tr("Next Packet"), QKeySequence(Qt::CTRL | Qt::Key_Down), this,
                  [this, moveTo] { moveTo(packetView_->currentIndex().row() + 1); })
        ->setObjectName("actionGoNextPacket");
    go->addAction(tr("Previous Packet"), QKeySequence(Qt::CTRL | Qt::Key_Up), this,
                  [this, moveTo] { moveTo(packetView_->currentIndex().row() - 1); })
        ->setObjectName("actionGoPreviousPacket");
    go->addSeparator();
    listActions_->addToGoMenu(go);

    captureControls_->addMenus(menuBar()->addMenu(tr("&Capture")), view);

    QMenu* stats = menuBar()->addMenu(tr("&Statistics"));
    stats->addAction(tr("Capture File Properties"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_C), this,
                     [this] { showProperties(); });
    stats->addAction(tr("Protocol &Hierarchy"), this,
                     [this] { showAnalysis(int(AnalysisDialog::Kind::Hierarchy)); });
    stats->addAction(tr("&Conversations"), this, [this] { showConversations(); });
    stats->addAction(tr("&Endpoints"), this, [this] { showEndpoints(); });
    stats->addAction(tr("&I/O Graphs"), this, [this] { showIoGraph(); });
    stats->addAction(tr("Request &Latency"), this, [this] { showLatency(); });
    stats->addSeparator();
    // epan's statistics trees, as Wireshark files them under Statistics.
    const struct {
        const char* menu;
        const char* title;
        const char* tree;
    } kTrees[] = {{"HTTP", "Packet Counter", "http"},     {"HTTP", "Requests", "http_req"},
                  {"HTTP", "Load Distribution", "http_srv"}, {nullptr, "DNS", "dns"},
                  {"IPv4 Statistics", "All Addresses", "ip_hosts"}, {"IPv4 Statistics", "IP Protocol Types", "ptype"},
                  {nullptr, "Packet Lengths", "plen"}};
    QMap<QString, QMenu*> submenus;
    for (const auto& t : kTrees) {
        if (!StatsTreeTap::exists(t.tree))
            continue;
        QMenu* menu = stats;
        if (t.menu) {
            if (!submenus.contains(t.menu))
                submenus[t.menu] = stats->addMenu(tr(t.menu));
            menu = submenus[t.menu];
        }
        const QString tree = QString::fromUtf8(t.tree);
        menu->addAction(tr(t.title), this, [this, tree] { showAnalysis(int(AnalysisDialog::Kind::StatsTree), tree); });
    }
    QMenu* analyze = menuBar()->addMenu(tr("&Analyze"));
    analyze->addAction(tr("&Expert Information"), this, [this] { showAnalysis(int(AnalysisDialog::Kind::Expert)); });
    QMenu* follow = analyze->addMenu(tr("&Follow"));
    follow->addAction(tr("TCP Stream"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_T), this,
                      [this] { followStream("tcp"); });
    follow->addAction(tr("UDP Stream"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_U), this,
                      [this] { followStream("udp"); });
}

void MainWindow::buildToolBar()
{
    // Wireshark's main toolbar, in its order; icons from the desktop theme where there is one,
    // else the style's own.
    auto* bar = new QToolBar(tr("Main Toolbar"), this);
    bar->setObjectName("mainToolBar");
    bar->setMovable(false);
    addToolBar(Qt::TopToolBarArea, bar);
    if (auto* filterBar = findChild<QToolBar*>("filterBar")) {
        insertToolBar(filterBar, bar);
        insertToolBarBreak(filterBar);
    }
    const struct {
        const char* action;
        const char* theme;
        QStyle::StandardPixmap fallback;
    } kItems[] = {
        {"actionCaptureStartStop", "media-record", QStyle::SP_MediaPlay},
        {"actionCaptureRestart", "view-refresh", QStyle::SP_BrowserReload},
        {"actionCaptureOptions", "preferences-system", QStyle::SP_FileDialogDetailedView},
        {nullptr, nullptr, QStyle::SP_CustomBase},
        {"actionFileOpen", "document-open", QStyle::SP_DialogOpenButton},
        {"actionFileSaveAs", "document-save-as", QStyle::SP_DialogSaveButton},
        {"actionFileClose", "window-close", QStyle::SP_DialogCloseButton},
        {"actionViewReload", "view-refresh", QStyle::SP_BrowserReload},
        {nullptr, nullptr, QStyle::SP_CustomBase},
        {"actionEditFindPacket", "edit-find", QStyle::SP_FileDialogContentsView},
        {"actionGoPreviousPacket", "go-previous", QStyle::SP_ArrowBack},
        {"actionGoNextPacket", "go-next", QStyle::SP_ArrowForward},
        {"actionGoGoToPacket", "go-jump", QStyle::SP_ArrowRight},
        {"actionGoFirstPacket", "go-top", QStyle::SP_MediaSkipBackward},
        {"actionGoLastPacket", "go-bottom", QStyle::SP_MediaSkipForward},
        {"actionGoAutoScroll", "go-down", QStyle::SP_ArrowDown},
        {nullptr, nullptr, QStyle::SP_CustomBase},
        {"actionViewColorizePacketList", "color-management", QStyle::SP_DesktopIcon},
        {nullptr, nullptr, QStyle::SP_CustomBase},
        {"actionViewZoomIn", "zoom-in", QStyle::SP_TitleBarMaxButton},
        {"actionViewZoomOut", "zoom-out", QStyle::SP_TitleBarMinButton},
        {"actionViewNormalSize", "zoom-original", QStyle::SP_TitleBarNormalButton},
        {"actionViewResizeColumns", "zoom-fit-best", QStyle::SP_TitleBarShadeButton},
    };
    for (const auto& item : kItems) {
        if (!item.action) {
            bar->addSeparator();
            continue;
        }
        QAction* action = findChild<QAction*>(QString::fromLatin1(item.action));
        if (!action)
            continue;
        if (action->icon().isNull())
            action->setIcon(QIcon::fromTheme(QString::fromLatin1(item.theme), style()->standardIcon(item.fallback)));
        bar->addAction(action);
    }
}

} // namespace ss::ui
