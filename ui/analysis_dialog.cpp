// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis_dialog.h"

#include "capture_session.h"
#include "error.h"
#include "expert_tap.h"
#include "hierarchy_tap.h"
#include "models/stat_tree_model.h"
#include "stats_tree_tap.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace ss::ui {
namespace {

constexpr std::size_t kFramesPerEntry = 1000; // packets listed under one expert entry

QStringList headersFor(AnalysisDialog::Kind kind)
{
    switch (kind) {
    case AnalysisDialog::Kind::Expert:
        return {QObject::tr("Summary"), QObject::tr("Group"), QObject::tr("Protocol"), QObject::tr("Count")};
    case AnalysisDialog::Kind::Hierarchy:
        return {QObject::tr("Protocol"), QObject::tr("Percent Packets"), QObject::tr("Packets"),
                QObject::tr("Percent Bytes"), QObject::tr("Bytes"), QObject::tr("End Packets"),
                QObject::tr("End Bytes")};
    case AnalysisDialog::Kind::StatsTree: // the tree's own columns replace these once counted
        return {QObject::tr("Topic / Item"), QObject::tr("Count")};
    }
    return {};
}

std::unique_ptr<StatTreeModel::Node> expertTree(const ExpertTap& tap)
{
    auto root = std::make_unique<StatTreeModel::Node>();
    for (int l = ExpertTap::Error; l >= ExpertTap::Comment; --l) {
        const auto level = static_cast<ExpertTap::Level>(l);
        const auto& entries = tap.entries(level);
        if (entries.empty())
            continue;
        qulonglong total = 0;
        for (const auto& e : entries)
            total += e.frames.size();
        StatTreeModel::Node* group = root->add({QString::fromUtf8(ExpertTap::levelName(level)), {}, {}, total});
        for (const auto& e : entries) {
            StatTreeModel::Node* row =
                group->add({QString::fromStdString(e.summary), QString::fromStdString(ExpertTap::groupName(e.group)),
                            QString::fromStdString(e.protocol), qulonglong(e.frames.size())});
            if (e.hfIndex > 0)
                row->filter = QString::fromUtf8(proto_registrar_get_abbrev(e.hfIndex));
            for (std::size_t i = 0; i < e.frames.size() && i < kFramesPerEntry; ++i) {
                StatTreeModel::Node* frame = row->add({QObject::tr("Frame %1").arg(e.frames[i]), {}, {}, {}});
                frame->frame = e.frames[i];
            }
        }
    }
    return root;
}

void hierarchyRows(StatTreeModel::Node* parent, const std::vector<std::unique_ptr<HierarchyTap::Node>>& nodes,
                   double frames, double bytes)
{
    for (const auto& n : nodes) {
        guint64 childFrames = 0, childBytes = 0;
        for (const auto& c : n->children) {
            childFrames += c->frames;
            childBytes += c->bytes;
        }
        StatTreeModel::Node* row = parent->add(
            {QString::fromUtf8(proto_registrar_get_name(n->protocolId)), frames ? 100.0 * n->frames / frames : 0.0,
             qulonglong(n->frames), bytes ? 100.0 * n->bytes / bytes : 0.0, qulonglong(n->bytes),
             qulonglong(n->frames - childFrames), qulonglong(n->bytes - childBytes)});
        row->filter = QString::fromStdString(n->abbrev);
        hierarchyRows(row, n->children, frames, bytes);
    }
}

std::unique_ptr<StatTreeModel::Node> hierarchyTree(const HierarchyTap& tap)
{
    auto root = std::make_unique<StatTreeModel::Node>();
    double frames = 0, bytes = 0;
    for (const auto& n : tap.roots()) {
        frames += double(n->frames); // every packet's tree starts with "frame"
        bytes += double(n->bytes);
    }
    hierarchyRows(root.get(), tap.roots(), frames, bytes);
    return root;
}

void statsRows(StatTreeModel::Node* parent, const stat_node* node)
{
    for (const stat_node* n = node; n; n = n->next) {
        gchar** values = stats_tree_get_values_from_node(n);
        QVector<QVariant> row;
        for (int i = 0; i < n->st->num_columns; ++i) {
            row << QString::fromUtf8(values[i] ? values[i] : "").trimmed();
            g_free(values[i]);
        }
        g_free(values);
        // Counts sort as numbers.
        if (row.size() > 1)
            row[1] = row[1].toString().toLongLong();
        statsRows(parent->add(std::move(row)), n->children);
    }
}

// epan's own column titles for the tree (Topic / Item, Count, Average, ..., Burst Start).
QStringList statsHeaders(const StatsTreeTap& tap)
{
    QStringList headers;
    for (int i = 0; i < tap.tree()->num_columns; ++i)
        headers << QString::fromUtf8(stats_tree_get_column_name(i));
    return headers;
}

std::unique_ptr<StatTreeModel::Node> statsTree(const StatsTreeTap& tap)
{
    auto root = std::make_unique<StatTreeModel::Node>();
    statsRows(root.get(), tap.tree()->root.children);
    return root;
}

QString titleFor(AnalysisDialog::Kind kind, const QString& treeName)
{
    switch (kind) {
    case AnalysisDialog::Kind::Expert: return QObject::tr("Expert Information");
    case AnalysisDialog::Kind::Hierarchy: return QObject::tr("Protocol Hierarchy Statistics");
    case AnalysisDialog::Kind::StatsTree: {
        const stats_tree_cfg* cfg = stats_tree_get_cfg_by_abbr(treeName.toUtf8().constData());
        return cfg ? QString::fromUtf8(cfg->name).replace(QLatin1Char('/'), QStringLiteral(" · ")) : treeName;
    }
    }
    return {};
}

} // namespace

AnalysisDialog::AnalysisDialog(CaptureSession& session, Kind kind, const QString& treeName, QWidget* parent)
    : QDialog(parent), session_(session), kind_(kind), treeName_(treeName)
{
    setWindowTitle(tr("%1 · %2").arg(titleFor(kind, treeName), session.path()));
    setObjectName(kind == Kind::Expert ? "expertDialog" : kind == Kind::Hierarchy ? "hierarchyDialog" : "statsTreeDialog");
    resize(900, 520);
    model_ = new StatTreeModel(headersFor(kind), this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(StatTreeModel::SortRole);
    view_ = new QTreeView(this);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(-1, Qt::AscendingOrder); // epan's order until the user sorts
    view_->setUniformRowHeights(true);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
        const QVariant frame = index.data(StatTreeModel::FrameRole);
        if (frame.isValid())
            emit frameRequested(frame.toUInt());
    });
    connect(view_, &QWidget::customContextMenuRequested, this, &AnalysisDialog::contextMenu);
    limitToFilter_ = new QCheckBox(tr("Limit to display filter"), this);
    connect(limitToFilter_, &QCheckBox::toggled, this, &AnalysisDialog::recompute);
    hint_ = new QLabel(this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(view_);
    layout->addWidget(limitToFilter_);
    layout->addWidget(hint_);
    layout->addWidget(buttons);
}

AnalysisDialog::~AnalysisDialog() = default;

void AnalysisDialog::recompute()
{
    if (computing_)
        return;
    const std::string filter = limitToFilter_->isChecked() ? session_.appliedFilter().toStdString() : std::string();
    // The taps live until the pass ends; the lambda owns them.
    auto expert = std::shared_ptr<ExpertTap>();
    auto hierarchy = std::shared_ptr<HierarchyTap>();
    auto tree = std::shared_ptr<StatsTreeTap>();
    try {
        if (kind_ == Kind::Expert)
            expert = std::make_shared<ExpertTap>(filter);
        else if (kind_ == Kind::Hierarchy)
            hierarchy = std::make_shared<HierarchyTap>(filter);
        else
            tree = std::make_shared<StatsTreeTap>(treeName_.toStdString(), filter);
    } catch (const EngineError& e) {
        hint_->setText(QString::fromStdString(e.what()));
        emit computed();
        return;
    }
    computing_ = true;
    hint_->setText(tr("Computing…"));
    session_.runTapPass(true, [this, expert, hierarchy, tree, filter](bool completed) {
        computing_ = false;
        if (completed) {
            if (expert)
                model_->setRoot(expertTree(*expert));
            else if (hierarchy)
                model_->setRoot(hierarchyTree(*hierarchy));
            else
                model_->setRoot(statsTree(*tree), statsHeaders(*tree));
            view_->expandToDepth(kind_ == Kind::Expert ? 0 : 2);
            for (int c = 0; c < model_->columnCount(); ++c)
                view_->resizeColumnToContents(c);
        }
        hint_->setText(completed ? (filter.empty() ? tr("All packets")
                                                   : tr("Limited to: %1").arg(QString::fromStdString(filter)))
                                 : tr("Cancelled"));
        emit computed();
    });
}

void AnalysisDialog::contextMenu(const QPoint& pos)
{
    const QModelIndex index = view_->indexAt(pos);
    const QString filter = index.data(StatTreeModel::FilterRole).toString();
    const QVariant frame = index.data(StatTreeModel::FrameRole);
    if (filter.isEmpty() && !frame.isValid())
        return;
    QMenu menu;
    if (frame.isValid())
        menu.addAction(tr("Go to Packet %1").arg(frame.toUInt()), this, [this, frame] { emit frameRequested(frame.toUInt()); });
    if (!filter.isEmpty()) {
        menu.addAction(tr("Apply as Filter: %1").arg(filter), this, [this, filter] { emit filterRequested(filter, true); });
        menu.addAction(tr("Prepare as Filter: %1").arg(filter), this, [this, filter] { emit filterRequested(filter, false); });
    }
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

} // namespace ss::ui
