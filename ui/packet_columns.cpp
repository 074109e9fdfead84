// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_columns.h"

#include "capture_session.h"
#include "columns.h"
#include "display_filter.h"
#include "epan_runtime.h"
#include "models/packet_list_model.h"

#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTableView>

namespace ss::ui {
namespace {

const char* const kProcessField = "proc.label";
const char* const kPodField = "k8s.label";

} // namespace

PacketColumns::PacketColumns(CaptureSession& session, PacketListModel& model, QTableView& view, QObject* parent)
    : QObject(parent), session_(session), model_(model), view_(view)
{
    view_.horizontalHeader()->setSectionsMovable(true);
    view_.horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_.horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QHeaderView* header = view_.horizontalHeader();
        headerMenu(header->logicalIndexAt(pos), &view_)->popup(header->mapToGlobal(pos));
    });
    restore();
}

int PacketColumns::columnOf(const QString& field) const
{
    return findCustomColumn(session_.runtime().prefs(), field.toUtf8().constData());
}

int PacketColumns::applyAsColumn(const QString& field, const QString& title)
{
    if (const int existing = columnOf(field); existing >= 0) {
        view_.setColumnHidden(existing, false);
        return existing;
    }
    const int index = addCustomColumn(session_.runtime().prefs(), title.toUtf8().constData(), field.toUtf8().constData());
    changed();
    return index;
}

void PacketColumns::removeColumn(int index)
{
    if (index < 0 || index >= session_.runtime().prefs()->num_cols || get_column_format(index) != COL_CUSTOM)
        return;
    ss::removeColumn(session_.runtime().prefs(), index);
    changed();
}

void PacketColumns::changed()
{
    QHeaderView* header = view_.horizontalHeader();
    const QByteArray state = header->saveState();
    model_.reloadColumns();
    header->restoreState(state); // widths and order of the columns that stay
    for (int i = 0; i < model_.columnCount(); ++i)
        if (header->sectionSize(i) < 20)
            view_.resizeColumnToContents(i);
    QStringList saved; // the user's custom columns (not the automatic ones)
    for (int i = 0; i < session_.runtime().prefs()->num_cols; ++i) {
        const QString fields = QString::fromUtf8(get_column_custom_fields(i) ? get_column_custom_fields(i) : "");
        if (get_column_format(i) == COL_CUSTOM && fields != kProcessField && fields != kPodField)
            saved << QString::fromUtf8(get_column_title(i)) + '\t' + fields;
    }
    QSettings().setValue("columns/custom", saved);
}

void PacketColumns::restore()
{
    bool added = false;
    for (const QString& entry : QSettings().value("columns/custom").toStringList()) {
        const QString title = entry.section('\t', 0, 0), fields = entry.section('\t', 1);
        if (!fields.isEmpty() && columnOf(fields) < 0) {
            addCustomColumn(session_.runtime().prefs(), title.toUtf8().constData(), fields.toUtf8().constData());
            added = true;
        }
    }
    if (added)
        model_.reloadColumns();
}

void PacketColumns::fileLoaded()
{
    // Does the file hold process metadata? Its first packets say (a filter over ≤ 1000).
    bool metadata = false;
    if (session_.capture()) {
        DisplayFilter::Error error;
        auto filter = DisplayFilter::compile(std::string(kProcessField) + " || " + kPodField, &error);
        RandomAccessCapture::Request request;
        request.columns = false;
        request.visibleTree = false;
        request.filter = filter ? filter->get() : nullptr;
        const auto n = std::uint32_t(std::min<std::size_t>(session_.totalFrames(), 1000));
        for (std::uint32_t f = 1; filter && f <= n && !metadata; ++f)
            session_.capture()->dissect(f, request, [&](const RandomAccessCapture::Packet& p) { metadata = p.matched; });
    }
    e_prefs* prefs = session_.runtime().prefs();
    // (epan's column list outlives a window: the columns are recognised by their fields.)
    if (metadata && columnOf(kProcessField) < 0) {
        addCustomColumn(prefs, "Process", kProcessField);
        if (columnOf(kPodField) < 0)
            addCustomColumn(prefs, "Pod", kPodField);
        changed();
    } else if (!metadata && (columnOf(kProcessField) >= 0 || columnOf(kPodField) >= 0)) {
        for (const char* field : {kPodField, kProcessField})
            if (const int i = columnOf(field); i >= 0)
                ss::removeColumn(prefs, i);
        changed();
    }
}

QMenu* PacketColumns::headerMenu(int section, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Resize to Contents"), this, [this, section] { view_.resizeColumnToContents(section); })
        ->setEnabled(section >= 0);
    menu->addAction(tr("Resize All Columns to Contents"), &view_, &QTableView::resizeColumnsToContents);
    const bool custom = section >= 0 && section < model_.columnCount() && get_column_format(section) == COL_CUSTOM;
    menu->addAction(tr("Remove This Column"), this, [this, section] { removeColumn(section); })->setEnabled(custom);
    menu->addSeparator();
    for (int i = 0; i < model_.columnCount(); ++i) { // show/hide, as Wireshark lists them
        QAction* a = menu->addAction(model_.headerData(i, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!view_.isColumnHidden(i));
        connect(a, &QAction::toggled, this, [this, i](bool on) { view_.setColumnHidden(i, !on); });
    }
    return menu;
}

} // namespace ss::ui
