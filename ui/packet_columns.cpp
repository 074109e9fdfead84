// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_columns.h"

#include "capture_session.h"
#include "columns.h"
#include "display_filter.h"
#include "epan_runtime.h"
#include "error.h"
#include "models/packet_list_model.h"
#include "profiles.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QMenu>
#include <QSettings>
#include <QSignalBlocker>
#include <QTimer>
#include <QTableView>

#include <algorithm>

namespace ss::ui {
namespace {

const char* const kProcessField = "proc.label";
const char* const kPodField = "k8s.label";

} // namespace

PacketColumns::PacketColumns(CaptureSession& session, PacketListModel& model, QTableView& view, QObject* parent)
    : QObject(parent), session_(session), model_(model), view_(view)
{
    view_.horizontalHeader()->setSectionsMovable(true);
    // Fitting a column to its contents measures the rows in view only: never a million.
    view_.verticalHeader()->setResizeContentsPrecision(0);
    view_.horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_.horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QHeaderView* header = view_.horizontalHeader();
        headerMenu(header->logicalIndexAt(pos), &view_)->popup(header->mapToGlobal(pos));
    });
    // A column dragged elsewhere is moved in the column list (Wireshark saves the order).
    connect(view_.horizontalHeader(), &QHeaderView::sectionMoved, this,
            [this] { QTimer::singleShot(0, this, &PacketColumns::saveOrder); });
    applyVisibility();
    applyAlignments();
}

void PacketColumns::saveOrder()
{
    QHeaderView* header = view_.horizontalHeader();
    e_prefs* prefs = session_.runtime().prefs();
    const std::vector<ColumnSpec> specs = columnSpecs(prefs);
    if (int(specs.size()) != header->count())
        return;
    bool identity = true;
    for (int v = 0; v < header->count(); ++v)
        identity = identity && header->logicalIndex(v) == v;
    if (identity)
        return;
    std::vector<ColumnSpec> ordered;
    std::vector<int> widths;
    for (int v = 0; v < header->count(); ++v) {
        const int logical = header->logicalIndex(v);
        ordered.push_back(specs[size_t(logical)]);
        widths.push_back(header->sectionSize(logical));
    }
    setColumnSpecs(prefs, ordered);
    {
        const QSignalBlocker quiet(header); // back to logical == visual: the list has the order now
        model_.reloadColumns();
        for (int v = 0; v < header->count(); ++v)
            if (const int from = header->visualIndex(v); from != v)
                header->moveSection(from, v);
        for (int v = 0; v < header->count(); ++v)
            header->resizeSection(v, widths[size_t(v)]);
    }
    applyVisibility();
    applyAlignments();
    savePreferences();
}

void PacketColumns::savePreferences()
{
    try {
        session_.runtime().savePreferences({kProcessField, kPodField});
    } catch (const EngineError& e) {
        emit saveFailed(QString::fromStdString(e.step() + " " + e.object() + ": " + e.what()));
    }
}

int PacketColumns::columnOf(const QString& field) const
{
    return findCustomColumn(session_.runtime().prefs(), field.toUtf8().constData());
}

int PacketColumns::applyAsColumn(const QString& field, const QString& title)
{
    if (const int existing = columnOf(field); existing >= 0) {
        setVisible(existing, true);
        return existing;
    }
    const int index = addCustomColumn(session_.runtime().prefs(), title.toUtf8().constData(), field.toUtf8().constData());
    changed();
    return index;
}

void PacketColumns::removeColumn(int index)
{
    if (index < 0 || index >= session_.runtime().prefs()->num_cols)
        return;
    ss::removeColumn(session_.runtime().prefs(), index);
    changed();
}

void PacketColumns::setVisible(int index, bool visible)
{
    if (index < 0 || index >= session_.runtime().prefs()->num_cols || bool(get_column_visible(index)) == visible)
        return;
    set_column_visible(index, visible);
    view_.setColumnHidden(index, !visible);
    if (visible && view_.columnWidth(index) < 20)
        view_.resizeColumnToContents(index);
    changed();
}

bool PacketColumns::editColumn(int index, const QString& title, const QString& fields)
{
    if (index < 0 || index >= session_.runtime().prefs()->num_cols)
        return false;
    if (get_column_format(index) == COL_CUSTOM) {
        DisplayFilter::Error error;
        const QByteArray f = fields.trimmed().toUtf8();
        if (f.isEmpty() || !DisplayFilter::compile(f.toStdString(), &error))
            return false;
        set_column_custom_fields(index, f.constData());
    }
    set_column_title(index, title.toUtf8().constData());
    changed();
    return true;
}

std::string PacketColumns::formatKey(int index)
{
    const int fmt = get_column_format(index);
    if (fmt != COL_CUSTOM)
        return col_format_to_string(fmt);
    const char* fields = get_column_custom_fields(index);
    return std::string("%Cus:") + (fields ? fields : "");
}

QString PacketColumns::alignmentKey(int index) const
{
    return "columns/" + QString::fromUtf8(get_profile_name()) + "/align/" + QString::fromStdString(formatKey(index));
}

void PacketColumns::setAlignment(int index, Qt::Alignment alignment)
{
    if (index < 0 || index >= model_.columnCount())
        return;
    model_.setAlignment(index, alignment);
    QSettings settings;
    if (alignment)
        settings.setValue(alignmentKey(index), int(alignment));
    else
        settings.remove(alignmentKey(index));
}

void PacketColumns::applyVisibility()
{
    for (int i = 0; i < model_.columnCount(); ++i)
        view_.setColumnHidden(i, !get_column_visible(i));
}

void PacketColumns::applyAlignments()
{
    QSettings settings;
    for (int i = 0; i < model_.columnCount(); ++i)
        if (const int a = settings.value(alignmentKey(i), 0).toInt())
            model_.setAlignment(i, Qt::Alignment(a));
}

void PacketColumns::reload()
{
    model_.reloadColumns();
    applyVisibility();
    applyAlignments();
    fitWidths();
}

void PacketColumns::fitWidths()
{
    // The widths Wireshark remembered for this profile's columns, matched by format (a
    // custom column by its fields); the others fit their contents (the rows in view).
    std::vector<profiles::ColumnWidth> recent = profiles::recentColumnWidths();
    QSettings settings;
    for (int i = 0; i < model_.columnCount(); ++i) {
        const std::string key = formatKey(i);
        auto it = std::find_if(recent.begin(), recent.end(), [&](const auto& w) { return w.format == key; });
        if (it == recent.end() || it->width <= 0) {
            view_.resizeColumnToContents(i);
            continue;
        }
        view_.setColumnWidth(i, it->width);
        if (it->align && !settings.contains(alignmentKey(i)))
            model_.setAlignment(i, it->align == 'R' ? Qt::AlignRight : it->align == 'C' ? Qt::AlignHCenter : Qt::AlignLeft);
        recent.erase(it); // two columns of one format take one entry each
    }
}

void PacketColumns::changed()
{
    showColumns();
    savePreferences();
}

void PacketColumns::showColumns()
{
    QHeaderView* header = view_.horizontalHeader();
    const QByteArray state = header->saveState();
    model_.reloadColumns();
    header->restoreState(state); // widths and order of the columns that stay
    applyVisibility();
    applyAlignments();
    for (int i = 0; i < model_.columnCount(); ++i)
        if (header->sectionSize(i) < 20)
            view_.resizeColumnToContents(i);
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
        showColumns(); // the automatic columns are never saved
    } else if (!metadata && (columnOf(kProcessField) >= 0 || columnOf(kPodField) >= 0)) {
        for (const char* field : {kPodField, kProcessField})
            if (const int i = columnOf(field); i >= 0)
                ss::removeColumn(prefs, i);
        showColumns(); // the automatic columns are never saved
    }
    fitWidths();
}

QMenu* PacketColumns::headerMenu(int section, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const bool valid = section >= 0 && section < model_.columnCount();
    menu->addAction(tr("Column Preferences…"), this, &PacketColumns::columnPreferencesRequested);
    menu->addAction(tr("Edit Column"), this, [this, section] {
        const bool custom = get_column_format(section) == COL_CUSTOM;
        const QString title = QInputDialog::getText(&view_, tr("Edit Column"), tr("Title:"), QLineEdit::Normal,
                                                    QString::fromUtf8(get_column_title(section)));
        if (title.isEmpty())
            return;
        QString fields;
        if (custom) {
            fields = QInputDialog::getText(&view_, tr("Edit Column"), tr("Fields:"), QLineEdit::Normal,
                                           QString::fromUtf8(get_column_custom_fields(section)));
            if (fields.isEmpty())
                return;
        }
        if (!editColumn(section, title, fields))
            emit saveFailed(tr("\"%1\" is not a valid field expression").arg(fields));
    })->setEnabled(valid);
    menu->addAction(tr("Resize to Contents"), this, [this, section] { view_.resizeColumnToContents(section); })
        ->setEnabled(valid);
    menu->addAction(tr("Resize All Columns to Contents"), &view_, &QTableView::resizeColumnsToContents);
    menu->addSeparator();
    const struct {
        const char* text;
        Qt::Alignment alignment;
    } aligns[] = {{"Align Left", Qt::AlignLeft}, {"Align Center", Qt::AlignHCenter}, {"Align Right", Qt::AlignRight}};
    const Qt::Alignment now = valid ? model_.headerAlignment(section) : Qt::Alignment();
    for (const auto& a : aligns) {
        QAction* act = menu->addAction(tr(a.text), this, [this, section, al = a.alignment] { setAlignment(section, al); });
        act->setCheckable(true);
        act->setChecked(valid && (now & a.alignment));
        act->setEnabled(valid);
    }
    menu->addSeparator();
    menu->addAction(tr("Remove This Column"), this, [this, section] { removeColumn(section); })->setEnabled(valid);
    menu->addSeparator();
    for (int i = 0; i < model_.columnCount(); ++i) { // show/hide, as Wireshark lists them
        QAction* a = menu->addAction(model_.headerData(i, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!view_.isColumnHidden(i));
        connect(a, &QAction::toggled, this, [this, i](bool on) { setVisible(i, on); });
    }
    return menu;
}

} // namespace ss::ui
