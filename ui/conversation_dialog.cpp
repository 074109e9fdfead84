// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_dialog.h"

#include "capture_session.h"
#include "conversation_tap.h"
#include "error.h"
#include "fast_conversations.h"
#include "models/conversation_model.h"
#include "random_access.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

#include <cstdlib>
#include <cstring>

namespace ss::ui {

struct ConversationDialog::Table {
    QString name;   // epan's filter name
    QString title;  // tab title
    ConversationModel* model;
    QTableView* view;
    std::unique_ptr<ConversationTap> tap;
};

ConversationDialog::ConversationDialog(CaptureSession& session, QWidget* parent, bool endpoints)
    : QDialog(parent), session_(session), endpoints_(endpoints)
{
    setWindowTitle((endpoints ? tr("Endpoints · %1") : tr("Conversations · %1")).arg(session.path()));
    setObjectName(endpoints ? "endpointDialog" : "conversationDialog");
    resize(1100, 480);
    tabs_ = new QTabWidget(this);
    const struct {
        const char* name;
        const char* title;
        bool ports;
    } kTables[] = {{"eth", "Ethernet", false}, {"ip", "IPv4", false}, {"ipv6", "IPv6", false},
                   {"tcp", "TCP", true}, {"udp", "UDP", true}};
    for (const auto& t : kTables) {
        auto table = std::make_unique<Table>();
        table->name = t.name;
        table->title = t.title;
        table->model = new ConversationModel(t.ports, this, endpoints);
        table->view = new QTableView;
        table->view->setModel(table->model);
        table->view->setSortingEnabled(true);
        table->view->sortByColumn(ConversationModel::AddressA, Qt::AscendingOrder); // as Wireshark opens it
        table->view->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->view->verticalHeader()->hide();
        table->view->setContextMenuPolicy(Qt::CustomContextMenu);
        for (int c = 0; c < ConversationModel::ColumnCount; ++c)
            table->view->setColumnHidden(c, table->model->unusedColumn(c));
        Table* raw = table.get();
        connect(table->view, &QWidget::customContextMenuRequested, this,
                [this, raw](const QPoint& pos) { contextMenu(*raw, pos); });
        tabs_->addTab(table->view, t.title);
        tables_.push_back(std::move(table));
    }
    limitToFilter_ = new QCheckBox(tr("Limit to display filter"), this);
    resolveNames_ = new QCheckBox(tr("Name resolution"), this);
    hint_ = new QLabel(this);
    connect(limitToFilter_, &QCheckBox::toggled, this, &ConversationDialog::recompute);
    connect(resolveNames_, &QCheckBox::toggled, this, [this](bool on) {
        for (auto& t : tables_)
            t->model->setResolveNames(on);
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    auto* copyMenu = new QMenu(copy);
    copyMenu->addAction(tr("as CSV"), this, [this] {
        QApplication::clipboard()->setText(tables_[size_t(tabs_->currentIndex())]->model->toCsv());
    });
    copyMenu->addAction(tr("as YAML"), this, [this] {
        QApplication::clipboard()->setText(tables_[size_t(tabs_->currentIndex())]->model->toYaml());
    });
    copy->setMenu(copyMenu);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* options = new QHBoxLayout;
    options->addWidget(limitToFilter_);
    options->addWidget(resolveNames_);
    options->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs_);
    layout->addLayout(options);
    layout->addWidget(hint_);
    layout->addWidget(buttons);
}

ConversationDialog::~ConversationDialog() = default;

bool ConversationDialog::makeTaps(const QString& filter)
{
    for (auto& t : tables_) {
        t->tap.reset();
        try {
            t->tap = std::make_unique<ConversationTap>(t->name.toStdString(), filter.toStdString(),
                                                       endpoints_ ? ConversationTap::Kind::Endpoints
                                                                  : ConversationTap::Kind::Conversations);
        } catch (const EngineError& e) {
            hint_->setText(QString::fromStdString(e.what()));
            return false;
        }
    }
    return true;
}

// The whole file, read as it is on disk, with nothing the session changed that epan's count
// would see (ignored frames are not dissected; time references move relative times).
bool ConversationDialog::fastPathAllowed(const QString& filter) const
{
    const char* mode = std::getenv("STRATOSHARK_STATS_PATH");
    if (!filter.isEmpty() || (mode && std::strcmp(mode, "epan") == 0) || session_.isLive() || session_.loading())
        return false;
    const RandomAccessCapture* capture = session_.capture();
    return capture && capture->flaggedCount(RandomAccessCapture::Flag::Ignored) == 0 &&
           capture->flaggedCount(RandomAccessCapture::Flag::TimeReference) == 0;
}

void ConversationDialog::recompute()
{
    const QString filter = limitToFilter_->isChecked() ? session_.appliedFilter() : QString();
    const quint64 generation = ++generation_;
    computing_ = true;
    hint_->setText(tr("Computing…"));
    if (!fastPathAllowed(filter)) {
        tapPass(filter);
        return;
    }
    std::vector<fast::TableRequest> requests;
    for (const auto& t : tables_)
        requests.push_back(*fastTableRequest((endpoints_ ? "endpoints," : "conv,") + t->name.toStdString()));
    QPointer<ConversationDialog> self(this);
    const std::string path = session_.path().toStdString();
    QThreadPool::globalInstance()->start([self, path, requests, generation] {
        QElapsedTimer clock;
        clock.start();
        // The count and the rows made of it here; the GUI thread asks epan what only epan
        // knows (fastPathRefusal) and swaps the rows in.
        auto scan = std::make_shared<FastScan>(scanWithOwnReader(path, requests, fastScanThreads()));
        std::vector<std::shared_ptr<ConversationModel::Prepared>> prepared;
        if (scan->rows)
            for (const auto& table : scan->rows->tables())
                prepared.push_back(ConversationModel::prepare(table));
        const qint64 ms = clock.elapsed();
        QMetaObject::invokeMethod(
            qApp,
            [self, scan, prepared, generation, ms] {
                if (!self || generation != self->generation_)
                    return;
                if (fastPathRefusal(*scan).empty() && prepared.size() == self->tables_.size()) {
                    for (size_t i = 0; i < prepared.size(); ++i)
                        self->tables_[i]->model->setRows(std::move(*prepared[i]));
                    self->showRows(false, tr("All packets · counted from the headers in %1 ms").arg(ms));
                    return;
                }
                self->tapPass(QString()); // epan counts what the fast path was unsure of
            },
            Qt::QueuedConnection);
    });
}

void ConversationDialog::tapPass(const QString& filter)
{
    if (!makeTaps(filter)) {
        computing_ = false;
        return;
    }
    session_.runTapPass(!filter.isEmpty() || have_filtering_tap_listeners(), [this, filter](bool completed) {
        showRows(true, filter.isEmpty() ? tr("All packets") : tr("Limited to: %1").arg(filter), !completed);
    });
}

void ConversationDialog::showRows(bool fromTaps, const QString& how, bool cancelled)
{
    computing_ = false;
    for (auto& t : tables_) {
        if (fromTaps && !cancelled && t->tap)
            t->model->setRows(*t->tap);
        t->tap.reset();
        const int rows = t->model->rowCount();
        tabs_->setTabText(int(&t - &tables_[0]), rows ? QStringLiteral("%1 · %2").arg(t->title).arg(rows) : t->title);
    }
    hint_->setText(cancelled ? tr("Cancelled") : how);
    emit computed();
}

void ConversationDialog::showTable(const QString& table)
{
    for (size_t i = 0; i < tables_.size(); ++i)
        if (tables_[i]->name == table)
            tabs_->setCurrentIndex(int(i));
}

ConversationModel* ConversationDialog::model(const QString& table) const
{
    for (const auto& t : tables_)
        if (t->name == table)
            return t->model;
    return nullptr;
}

QTableView* ConversationDialog::view(const QString& table) const
{
    for (const auto& t : tables_)
        if (t->name == table)
            return t->view;
    return nullptr;
}

QString ConversationDialog::hint() const
{
    return hint_->text();
}

void ConversationDialog::contextMenu(Table& table, const QPoint& pos)
{
    const QModelIndex clicked = table.view->indexAt(pos);
    if (!clicked.isValid())
        return;
    const int row = clicked.row();
    QMenu menu;
    if (endpoints_) {
        const QString filter = table.model->filterFor(row, 0);
        menu.addAction(tr("Apply as Filter: %1").arg(filter), this, [this, filter] { emit filterRequested(filter, true); });
        menu.addAction(tr("Prepare as Filter: %1").arg(filter), this, [this, filter] { emit filterRequested(filter, false); });
        menu.exec(table.view->viewport()->mapToGlobal(pos));
        return;
    }
    const char* directions[] = {"A ↔ B", "A → B", "B → A"};
    for (bool apply : {true, false}) {
        QMenu* sub = menu.addMenu(apply ? tr("Apply as Filter") : tr("Prepare as Filter"));
        for (int d = 0; d < 3; ++d)
            sub->addAction(QString::fromUtf8(directions[d]), this, [this, &table, row, d, apply] {
                emit filterRequested(table.model->filterFor(row, d), apply);
            });
    }
    menu.exec(table.view->viewport()->mapToGlobal(pos));
}

} // namespace ss::ui
