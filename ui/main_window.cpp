// SPDX-License-Identifier: GPL-2.0-or-later
#include "main_window.h"

#include "analysis_dialog.h"
#include "bytes_view.h"
#include "capture_controls.h"
#include "capture_targets.h"
#include "capture_session.h"
#include "capture_writer.h"
#include "conversation_dialog.h"
#include "display_filter_edit.h"
#include "error.h"
#include "find_bar.h"
#include "follow_stream_dialog.h"
#include "io_graph_dialog.h"
#include "packet_columns.h"
#include "packet_copy.h"
#include "packet_list_actions.h"
#include "properties_dialog.h"
#include "latency_dialog.h"
#include "timeline_dialog.h"
#include "stats_tree_tap.h"
#include "models/packet_list_model.h"
#include "models/proto_tree_model.h"
#include "models/related_events_model.h"
#include "ss_records.h"
#include "view_settings.h"
#include "welcome_view.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>

#include <set>

namespace ss::ui {
MainWindow::MainWindow(EpanRuntime& runtime, QWidget* parent) : QMainWindow(parent), runtime_(runtime)
{
    setObjectName("mainWindow");
    setWindowTitle(tr("Stratoshark"));
    setAcceptDrops(true);
    session_ = new CaptureSession(runtime_, this);
    packetModel_ = new PacketListModel(*session_, this);
    treeModel_ = new ProtoTreeModel(this);

    filterEdit_ = new DisplayFilterEdit(this);
    auto* filterBar = addToolBar(tr("Display Filter"));
    filterBar->setObjectName("filterBar");
    filterBar->setMovable(false);
    filterBar->addWidget(filterEdit_);
    filterBar->addAction(tr("Apply"), filterEdit_, &DisplayFilterEdit::apply);
    connect(filterEdit_, &DisplayFilterEdit::applyRequested, this, &MainWindow::applyFilter);
    connect(filterEdit_, &DisplayFilterEdit::stateChanged, this,
            [this](DisplayFilterEdit::State, const QString& message) {
                statusBar()->showMessage(message, kStatusMs);
            });

    packetView_ = new QTableView(this);
    packetView_->setObjectName("packetList");
    packetView_->setModel(packetModel_);
    // A flat table: no per-row layout items, fixed row height, so a million rows stay cheap.
    packetView_->verticalHeader()->hide();
    packetView_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    packetView_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    packetView_->horizontalHeader()->setStretchLastSection(true);
    packetView_->horizontalHeader()->setHighlightSections(false);
    packetView_->setShowGrid(false);
    packetView_->setWordWrap(false);
    packetView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    packetView_->setSelectionMode(QAbstractItemView::SingleSelection);
    packetView_->setSortingEnabled(true);
    packetView_->sortByColumn(0, Qt::AscendingOrder);
    packetView_->setContextMenuPolicy(Qt::CustomContextMenu);
    treeView_ = new QTreeView(this);
    treeView_->setObjectName("detailTree");
    treeView_->setModel(treeModel_);
    treeView_->setHeaderHidden(true);
    treeView_->setContextMenuPolicy(Qt::CustomContextMenu);
    bytesView_ = new BytesView(this);
    // Under the detail tree: the bytes, and the records related to the packet (or, for an
    // alert, the packets that link to it; those are highlighted in the list).
    relatedModel_ = new RelatedEventsModel(this);
    relatedView_ = new QTableView(this);
    relatedView_->setObjectName("relatedEvents");
    relatedView_->setModel(relatedModel_);
    relatedView_->verticalHeader()->hide();
    relatedView_->horizontalHeader()->setStretchLastSection(true);
    relatedView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    relatedView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    bottomTabs_ = new QTabWidget(this);
    bottomTabs_->setObjectName("bottomTabs");
    // One tab per data source under the bytes, as Wireshark's (hidden while there is one).
    byteTabs_ = new QTabWidget(this);
    byteTabs_->setObjectName("byteTabs");
    byteTabs_->setTabPosition(QTabWidget::South);
    byteTabs_->setTabBarAutoHide(true);
    byteTabs_->setDocumentMode(true);
    byteTabs_->addTab(bytesView_, tr("Frame"));
    bottomTabs_->addTab(byteTabs_, tr("Bytes"));
    bottomTabs_->addTab(relatedView_, tr("Related events"));
    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->addWidget(packetView_);
    splitter_->addWidget(treeView_);
    splitter_->addWidget(bottomTabs_);
    splitter_->setStretchFactor(0, 3);
    splitter_->setStretchFactor(1, 2);
    splitter_->setStretchFactor(2, 1);
    welcome_ = new WelcomeView(this);
    stack_ = new QStackedWidget(this);
    stack_->addWidget(welcome_);
    stack_->addWidget(splitter_);

    connect(packetView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::packetSelected);
    connect(treeView_->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::fieldSelected);
    connect(treeView_, &QWidget::customContextMenuRequested, this, &MainWindow::detailContextMenu);
    connect(treeView_, &QTreeView::expanded, this,
            [this](const QModelIndex& i) { expandedPaths_.insert(treePath(i)); });
    connect(treeView_, &QTreeView::collapsed, this,
            [this](const QModelIndex& i) { expandedPaths_.erase(treePath(i)); });
    // A frame link (tcp.analysis's, ss.related's) goes to its frame, as in Wireshark.
    connect(treeView_, &QTreeView::doubleClicked, this, [this](const QModelIndex& idx) {
        if (const std::uint32_t frame = idx.data(ProtoTreeModel::LinkedFrameRole).toUInt())
            goToPacket(frame);
    });
    connect(relatedView_, &QTableView::activated, this, [this](const QModelIndex& idx) {
        if (const std::uint32_t frame = idx.data(RelatedEventsModel::FrameRole).toUInt())
            goToPacket(frame);
    });
    connect(bytesView_, &BytesView::byteClicked, this, [this](int offset) {
        const QModelIndex idx = treeModel_->indexForByte(offset);
        if (idx.isValid())
            treeView_->setCurrentIndex(idx);
    });

    fileLabel_ = new QLabel(this);
    fileLabel_->setObjectName("fileLabel");
    countLabel_ = new QLabel(this);
    countLabel_->setObjectName("countLabel");
    expertLabel_ = new QLabel(this);
    expertLabel_->setObjectName("expertLabel");
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(160);
    progress_->hide();
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName("cancelButton");
    cancel_->hide();
    statusBar()->addWidget(fileLabel_, 1);
    statusBar()->addWidget(expertLabel_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    statusBar()->addPermanentWidget(countLabel_);
    buildProfileButton();
    // Live capture (capture_controls.h): its problems show in a bar above the packets.
    captureControls_ = new CaptureControls(*session_, *packetView_, *countLabel_, this);
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(captureControls_->problemBar());
    centralLayout->addWidget(stack_, 1);
    setCentralWidget(central);
    connect(session_, &CaptureSession::opened, this, [this] {
        stack_->setCurrentWidget(splitter_);
        welcome_->setActive(false);
    });
    connect(session_, &CaptureSession::closed, this, [this] {
        packetModel_->setHighlighted({});
        relatedModel_->clear();
        setWindowTitle(tr("Stratoshark"));
        statusBar()->clearMessage();
        updateStatus();
        stack_->setCurrentWidget(welcome_);
        welcome_->setActive(true);
    });
    connect(welcome_, &WelcomeView::captureRequested, this, &MainWindow::captureOn);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        session_->cancelLoading();
        session_->cancelFiltering();
        packetModel_->cancelSort();
    });
    auto showProgress = [this](int percent) {
        progress_->setVisible(percent < 100);
        cancel_->setVisible(percent < 100);
        progress_->setValue(percent);
    };
    connect(session_, &CaptureSession::loadProgress, this, showProgress);
    connect(session_, &CaptureSession::filterProgress, this, showProgress);
    connect(packetModel_, &PacketListModel::sortProgress, this, showProgress);
    connect(packetModel_, &PacketListModel::sortFinished, this, [this, showProgress](bool completed) {
        showProgress(100);
        QHeaderView* header = packetView_->horizontalHeader();
        if (completed) {
            sortedBy_ = {header->sortIndicatorSection(), header->sortIndicatorOrder()};
            packetView_->scrollTo(packetView_->currentIndex(), QAbstractItemView::PositionAtCenter);
        } else { // the header shows the order the rows are in
            const QSignalBlocker quiet(header);
            header->setSortIndicator(sortedBy_.first, sortedBy_.second);
            header->viewport()->update();
        }
    });
    connect(session_, &CaptureSession::framesAdded, this, [this] {
        updateStatus();
        // A file opens on its first packet; a live capture follows its newest instead.
        if (!session_->isLive() && !packetView_->currentIndex().isValid() && packetModel_->rowCount() > 0)
            packetView_->setCurrentIndex(packetModel_->index(0, 0));
    });
    connect(session_, &CaptureSession::loadFinished, this, [this, showProgress](const QString& error) {
        showProgress(100);
        if (!session_->isLive())
            columns_->fileLoaded();
        updateStatus();
        if (!error.isEmpty())
            showError(tr("Capture file problem"), error);
    });
    connect(session_, &CaptureSession::filterApplied, this, [this, showProgress] {
        showProgress(100);
        updateStatus();
        // Keep the selection on the same packet when it still matches.
        const int row = packetModel_->rowOfFrame(currentFrame_);
        if (row >= 0)
            packetView_->setCurrentIndex(packetModel_->index(row, 0));
        else if (packetModel_->rowCount() > 0)
            packetView_->setCurrentIndex(packetModel_->index(0, 0));
        else
            treeModel_->clear();
    });
    connect(session_, &CaptureSession::filterCancelled, this, [this, showProgress] {
        showProgress(100);
        filterEdit_->setText(session_->appliedFilter()); // the bar says what is displayed
    });

    listActions_ = new PacketListActions(*session_, *packetModel_, *packetView_,
                                         [this] { return filterEdit_->text().trimmed(); }, this);
    connect(listActions_, &PacketListActions::filterRequested, this, &MainWindow::prepareFilter);
    connect(listActions_, &PacketListActions::packetChanged, this, [this](std::uint32_t frame) {
        if (frame == currentFrame_)
            packetSelected(); // the tree shows the new comment
    });
    connect(listActions_, &PacketListActions::followRequested, this, [this](const QString& p) { followStream(p); });
    connect(listActions_, &PacketListActions::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, kStatusMs); });
    connect(packetView_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex at = packetView_->indexAt(pos);
        if (!at.isValid())
            return;
        packetView_->setCurrentIndex(at);
        listActions_->contextMenu(at, this)->popup(packetView_->viewport()->mapToGlobal(pos));
    });
    // Find Packet's bar sits above the packets, hidden until Ctrl+F (as Wireshark's).
    findBar_ = new FindBar(*session_, *packetModel_, *packetView_, this);
    centralLayout->insertWidget(1, findBar_);
    connect(findBar_, &FindBar::message, this, [this](const QString& text) { statusBar()->showMessage(text, kStatusMs); });
    connect(&findBar_->search(), &PacketSearch::progress, this, showProgress);
    connect(cancel_, &QPushButton::clicked, &findBar_->search(), &PacketSearch::cancel);
    columns_ = new PacketColumns(*session_, *packetModel_, *packetView_, this);
    connect(columns_, &PacketColumns::columnPreferencesRequested, this, [this] { showPreferences(0); });
    connect(columns_, &PacketColumns::saveFailed, this,
            [this](const QString& text) { statusBar()->showMessage(text, kStatusMs); });
    viewSettings_ = new ViewSettings(*packetModel_, {packetView_, treeView_, bytesView_}, this);
    buildMenus();
    buildToolBar();
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    splitter_->restoreState(settings.value("window/splitter").toByteArray());
    packetView_->horizontalHeader()->restoreState(settings.value("window/packetColumns").toByteArray());
    filterEdit_->setHistory(settings.value("filters/recent").toStringList());
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::captureOn(const QString& target, const QString& interface)
{
    const auto t = capture::findTarget(capture::loadTargets(), target.toStdString());
    if (!t)
        return;
    CaptureSettings settings;
    settings.sources.push_back({*t, {interface.toStdString()}});
    captureControls_->start(settings);
}

bool MainWindow::openFile(const QString& path, QString* errorOut)
{
    if (captureControls_->capturing()) {
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), tr("Stop the capture first (Ctrl+E)."));
        return false;
    }
    if (!captureControls_->maybeSave(tr("opening another file")))
        return false;
    QString error;
    const QString filter = session_->appliedFilter(); // Wireshark keeps it for the next file
    if (!session_->open(path, &error)) {
        if (errorOut)
            *errorOut = error;
        else
            showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), error);
        return false;
    }
    if (!filter.isEmpty())
        applyFilter(filter);
    currentFrame_ = 0;
    treeModel_->clear();
    showDataSources();
    setWindowTitle(tr("%1 · Stratoshark").arg(QFileInfo(path).fileName()));
    rememberRecent(path);
    updateStatus();
    return true;
}

bool MainWindow::reload()
{
    if (!session_->isOpen() || session_->isLive() || captureControls_->capturing())
        return false;
    const std::uint32_t frame = currentFrame_;
    const QString path = session_->path();
    const bool filtered = !session_->appliedFilter().isEmpty();
    if (!openFile(path))
        return false;
    // Back on the same packet once it is there: after the filter's pass, or the load.
    if (frame && filtered)
        connect(session_, &CaptureSession::filterApplied, this, [this, frame] { goToPacket(frame); },
                Qt::SingleShotConnection);
    else if (frame)
        connect(session_, &CaptureSession::loadFinished, this, [this, frame] { goToPacket(frame); },
                Qt::SingleShotConnection);
    return true;
}

void MainWindow::showError(const QString& title, const QString& text)
{
    if (QApplication::platformName() == "offscreen") { // tests: no modal loop
        statusBar()->showMessage(title + ": " + text, kStatusMs);
        return;
    }
    QMessageBox::warning(this, title, text);
}

void MainWindow::applyFilter(const QString& filter)
{
    QString error;
    if (!session_->applyFilter(filter, &error)) {
        statusBar()->showMessage(error, kStatusMs);
        return;
    }
    if (filterEdit_->text().trimmed() != filter)
        filterEdit_->setText(filter);
    QSettings().setValue("filters/recent", filterEdit_->history());
}

void MainWindow::goToPacket(std::uint32_t frame)
{
    const int row = packetModel_->rowOfFrame(frame);
    if (row < 0) {
        statusBar()->showMessage(tr("Packet %1 is not displayed").arg(frame), kStatusMs);
        return;
    }
    packetView_->setCurrentIndex(packetModel_->index(row, 0));
    packetView_->scrollTo(packetModel_->index(row, 0));
}

void MainWindow::packetSelected()
{
    const std::uint32_t frame = packetModel_->frameAt(packetView_->currentIndex().row());
    if (!frame || !session_->capture())
        return;
    currentFrame_ = frame;
    RandomAccessCapture::Request request;
    request.columns = false;
    try {
        session_->capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
            treeModel_->setPacket(p.edt, p.bytes, p.length);
            showRelated(p.edt);
        });
        restoreExpanded({});
    } catch (const EngineError& e) {
        statusBar()->showMessage(QString::fromStdString(e.what()), kStatusMs);
        return;
    }
    showDataSources();
    if (timeline_)
        timeline_->followFrame(frame);
    updateStatus();
}

QString MainWindow::treePath(const QModelIndex& index)
{
    QString path;
    for (QModelIndex i = index; i.isValid(); i = i.parent()) {
        QString name = i.data(ProtoTreeModel::FieldNameRole).toString();
        if (name.isEmpty()) // a text item: its label up to the value
            name = i.data().toString().section(':', 0, 0);
        path = path.isEmpty() ? name : name + '/' + path;
    }
    return path;
}

void MainWindow::restoreExpanded(const QModelIndex& parent)
{
    if (expandedPaths_.empty())
        return;
    for (int r = 0; r < treeModel_->rowCount(parent); ++r) {
        const QModelIndex i = treeModel_->index(r, 0, parent);
        if (treeModel_->rowCount(i) > 0 && expandedPaths_.count(treePath(i))) {
            treeView_->expand(i);
            restoreExpanded(i);
        }
    }
}

void MainWindow::showRelated(epan_dissect_t* edt)
{
    relatedModel_->setPacket(edt);
    auto title = [this] {
        bottomTabs_->setTabText(1, relatedModel_->rowCount() ? tr("Related events (%1)").arg(relatedModel_->rowCount())
                                                             : tr("Related events"));
    };
    title();
    // A record (alert, process event, system call, flow): find and highlight the packets
    // that link to it.
    const int encap = edt->pi.rec ? edt->pi.rec->rec_header.packet_header.pkt_encap : -1;
    const bool record = encap == wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_SYSCALL) ||
                        encap == wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_FLOW) ||
                        encap == wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_SECURITY);
    if (!record) {
        packetModel_->setHighlighted({});
        return;
    }
    const std::uint32_t frame = edt->pi.num;
    session_->findFrames(QStringLiteral("ss.related.alert == %1 || ss.related.exec == %1 || "
                                        "ss.related.syscall == %1 || ss.related.verdict == %1")
                             .arg(frame),
                         [this, frame, title](std::vector<std::uint32_t> frames) {
                             if (currentFrame_ != frame)
                                 return;
                             relatedModel_->addPackets(frames);
                             packetModel_->setHighlighted(std::move(frames));
                             title();
                         },
                         nullptr);
}

void MainWindow::showDataSources()
{
    while (byteTabs_->count() > 1) {
        QWidget* extra = byteTabs_->widget(1);
        byteTabs_->removeTab(1);
        extra->deleteLater();
    }
    const auto& sources = treeModel_->dataSources();
    bytesView_->setBytes(sources.empty() ? QByteArray() : sources.front().bytes);
    byteTabs_->setTabText(0, sources.empty() ? tr("Frame") : sources.front().name);
    for (std::size_t i = 1; i < sources.size(); ++i) {
        auto* view = new BytesView(byteTabs_);
        view->setFont(bytesView_->font());
        view->setBytes(sources[i].bytes);
        connect(view, &BytesView::byteClicked, this, [this, source = int(i)](int offset) {
            if (const QModelIndex idx = treeModel_->indexForByte(offset, source); idx.isValid())
                treeView_->setCurrentIndex(idx);
        });
        byteTabs_->addTab(view, sources[i].name);
    }
}

BytesView* MainWindow::bytesViewOf(int source) const
{
    return qobject_cast<BytesView*>(byteTabs_->widget(source));
}

void MainWindow::fieldSelected()
{
    const QModelIndex idx = treeView_->currentIndex();
    const int source = idx.data(ProtoTreeModel::DataSourceRole).toInt();
    if (BytesView* view = source >= 0 ? bytesViewOf(source) : nullptr) {
        byteTabs_->setCurrentIndex(source); // the tab that holds the field's bytes
        view->highlight(idx.data(ProtoTreeModel::ByteStartRole).toInt(), idx.data(ProtoTreeModel::ByteLengthRole).toInt());
    } else {
        bytesView_->highlight(-1, 0);
    }
    const QString field = idx.data(ProtoTreeModel::FieldNameRole).toString();
    if (!field.isEmpty())
        statusBar()->showMessage(tr("%1 (%2)").arg(idx.data().toString().section(':', 0, 0), field), kStatusMs);
}

void MainWindow::prepareFilter(const QString& filter, bool apply)
{
    filterEdit_->setText(filter);
    if (apply)
        filterEdit_->apply();
}

int MainWindow::applyAsColumn(const QString& field)
{
    const header_field_info* hfi = proto_registrar_get_byname(field.toUtf8().constData());
    const std::uint32_t frame = currentFrame_;
    const int index = columns_->applyAsColumn(field, hfi ? QString::fromUtf8(hfi->name) : field);
    if (frame)
        goToPacket(frame); // the list was rebuilt: back on the packet
    return index;
}

void MainWindow::detailContextMenu(const QPoint& pos)
{
    const QModelIndex idx = treeView_->indexAt(pos);
    const QString selected = idx.data(ProtoTreeModel::FilterRole).toString();
    if (selected.isEmpty())
        return;
    QMenu menu;
    const QString field = idx.data(ProtoTreeModel::FieldNameRole).toString();
    if (!field.isEmpty())
        menu.addAction(tr("Apply as Column"), this, [this, field] { applyAsColumn(field); });
    for (bool apply : {true, false}) {
        QMenu* sub = menu.addMenu(apply ? tr("Apply as Filter") : tr("Prepare as Filter"));
        for (const auto& k : filterCombinations(selected, filterEdit_->text().trimmed()))
            sub->addAction(k.label, this, [this, f = k.filter, apply] { prepareFilter(f, apply); });
    }
    QMenu* copy = menu.addMenu(tr("Copy"));
    const QString label = idx.data().toString();
    copy->addAction(tr("Value"), this, [label] {
        QApplication::clipboard()->setText(ProtoTreeModel::valueOf(label));
    });
    copy->addAction(tr("Field Name"), this, [idx] {
        QApplication::clipboard()->setText(idx.data(ProtoTreeModel::FieldNameRole).toString());
    });
    copy->addAction(tr("As Filter"), this, [selected] { QApplication::clipboard()->setText(selected); });
    menu.exec(treeView_->viewport()->mapToGlobal(pos));
}

void MainWindow::updateStatus()
{
    fileLabel_->setText(session_->isOpen() ? QFileInfo(session_->path()).fileName() : tr("No capture file"));
    if (!captureControls_->capturing()) // during a capture the controls count
        countLabel_->setText(tr("Packets: %1 · Displayed: %2")
                                 .arg(session_->totalFrames())
                                 .arg(session_->displayed().size()));
    // Wireshark's expert summary: the highest severity anywhere in the capture.
    static const struct {
        int severity;
        const char* name;
    } kLevels[] = {{PI_ERROR, "Error"}, {PI_WARN, "Warning"}, {PI_NOTE, "Note"}, {PI_CHAT, "Chat"}};
    QString expert;
    for (const auto& level : kLevels)
        if (session_->worstExpertSeverity() == level.severity)
            expert = tr("Expert: %1 (%2)").arg(tr(level.name)).arg(session_->worstExpertCount());
    expertLabel_->setText(expert);
}

void MainWindow::rememberRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value("files/recent").toStringList();
    recent.removeAll(path);
    recent.prepend(QFileInfo(path).absoluteFilePath());
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue("files/recent", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!recentMenu_)
        return;
    recentMenu_->clear();
    for (const QString& path : QSettings().value("files/recent").toStringList())
        recentMenu_->addAction(path, this, [this, path] { openFile(path); });
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (captureControls_->capturing())
        captureControls_->stop();
    if (!captureControls_->maybeSave(tr("quitting"))) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/splitter", splitter_->saveState());
    settings.setValue("window/packetColumns", packetView_->horizontalHeader()->saveState());
    settings.setValue("filters/recent", filterEdit_->history());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        openFile(urls.first().toLocalFile());
}

} // namespace ss::ui
