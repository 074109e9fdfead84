// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_list_model.h"

#include "capture_session.h"
#include "epan_runtime.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace ss::ui {
namespace {

QColor toQColor(const color_t& c)
{
    return QColor(c.red >> 8, c.green >> 8, c.blue >> 8);
}

} // namespace

PacketListModel::PacketListModel(CaptureSession& session, QObject* parent)
    : QAbstractTableModel(parent), session_(session), cache_(20000)
{
    readColumns();
    connect(&session_, &CaptureSession::framesAdded, this, &PacketListModel::appendFrames);
    connect(&session_, &CaptureSession::filterApplied, this, &PacketListModel::resetFromSession);
    connect(&session_, &CaptureSession::opened, this, &PacketListModel::resetFromSession);
    connect(&session_, &CaptureSession::closed, this, &PacketListModel::resetFromSession);
}

void PacketListModel::resetFromSession()
{
    beginResetModel();
    rows_ = session_.displayed();
    cache_.clear();
    sortColumn_ = -1;
    forgetKeys();
    endResetModel();
    cancelSort();
}

void PacketListModel::appendFrames(std::size_t, std::size_t)
{
    const auto& shown = session_.displayed();
    if (shown.size() <= rows_.size())
        return;
    beginInsertRows({}, int(rows_.size()), int(shown.size()) - 1);
    rows_.insert(rows_.end(), shown.begin() + long(rows_.size()), shown.end());
    endInsertRows();
}

int PacketListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int PacketListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(titles_.size());
}

std::uint32_t PacketListModel::frameAt(int row) const
{
    return row >= 0 && row < int(rows_.size()) ? rows_[size_t(row)] : 0;
}

int PacketListModel::rowOfFrame(std::uint32_t frame) const
{
    if (sortColumn_ < 0) {
        auto it = std::lower_bound(rows_.begin(), rows_.end(), frame);
        return it != rows_.end() && *it == frame ? int(it - rows_.begin()) : -1;
    }
    auto it = std::find(rows_.begin(), rows_.end(), frame);
    return it != rows_.end() ? int(it - rows_.begin()) : -1;
}

int PacketListModel::columnOfFormat(int colFmt) const
{
    auto it = std::find(formats_.begin(), formats_.end(), colFmt);
    return it != formats_.end() ? int(it - formats_.begin()) : -1;
}

void PacketListModel::setHighlighted(std::vector<std::uint32_t> frames)
{
    std::sort(frames.begin(), frames.end());
    if (frames == highlighted_)
        return;
    highlighted_ = std::move(frames);
    if (!rows_.empty())
        emit dataChanged(index(0, 0), index(int(rows_.size()) - 1, columnCount() - 1), {Qt::BackgroundRole});
}

bool PacketListModel::isHighlighted(std::uint32_t frame) const
{
    return std::binary_search(highlighted_.begin(), highlighted_.end(), frame);
}

void PacketListModel::setFlag(const std::vector<std::uint32_t>& frames, RandomAccessCapture::Flag which, bool on)
{
    if (!session_.capture() || frames.empty())
        return;
    for (std::uint32_t f : frames) {
        session_.capture()->setFlag(f, which, on);
        if (which == RandomAccessCapture::Flag::Ignored)
            cache_.remove(f);
    }
    if (which == RandomAccessCapture::Flag::TimeReference) { // every later time changes
        refresh();
        return;
    }
    if (rows_.empty())
        return;
    if (frames.size() == 1) {
        const int row = rowOfFrame(frames.front());
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, columnCount() - 1));
        return;
    }
    emit dataChanged(index(0, 0), index(int(rows_.size()) - 1, columnCount() - 1));
}

bool PacketListModel::flag(std::uint32_t frame, RandomAccessCapture::Flag which) const
{
    return session_.capture() && session_.capture()->flag(frame, which);
}

void PacketListModel::readColumns()
{
    titles_.clear();
    formats_.clear();
    for (int i = 0; i < session_.runtime().prefs()->num_cols; ++i) {
        titles_ << QString::fromUtf8(get_column_title(i));
        formats_.push_back(get_column_format(i));
    }
}

void PacketListModel::reloadColumns()
{
    cancelSort();
    beginResetModel();
    readColumns();
    if (session_.capture())
        session_.capture()->rebuildColumns(session_.runtime().prefs());
    cache_.clear();
    forgetKeys();
    alignments_.clear();
    if (sortColumn_ >= int(formats_.size()))
        sortColumn_ = -1;
    endResetModel();
}

void PacketListModel::setAlignment(int column, Qt::Alignment horizontal)
{
    if (horizontal)
        alignments_[column] = horizontal;
    else
        alignments_.erase(column);
    if (!rows_.empty() && column >= 0 && column < columnCount())
        emit dataChanged(index(0, column), index(int(rows_.size()) - 1, column), {Qt::TextAlignmentRole});
}

Qt::Alignment PacketListModel::headerAlignment(int column) const
{
    if (auto it = alignments_.find(column); it != alignments_.end())
        return it->second;
    if (column < 0 || column >= int(formats_.size()))
        return Qt::AlignLeft;
    const int fmt = formats_[size_t(column)];
    const bool numeric = fmt == COL_NUMBER || fmt == COL_PACKET_LENGTH || fmt == COL_CUMULATIVE_BYTES;
    return numeric ? Qt::AlignRight : Qt::AlignLeft;
}

void PacketListModel::setColorize(bool on)
{
    if (on == colorize_)
        return;
    colorize_ = on;
    refresh();
}

void PacketListModel::refreshFrame(std::uint32_t frame)
{
    cache_.remove(frame);
    if (const int row = rowOfFrame(frame); row >= 0)
        emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void PacketListModel::refresh()
{
    cache_.clear();
    forgetKeys();
    if (!rows_.empty())
        emit dataChanged(index(0, 0), index(int(rows_.size()) - 1, columnCount() - 1));
}

const PacketListModel::Row* PacketListModel::rowFor(std::uint32_t frame) const
{
    if (const Row* row = cache_.object(frame))
        return row;
    auto* row = new Row;
    RandomAccessCapture::Request request;
    request.tree = false;
    request.colorize = colorize_;
    session_.capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
        for (int i = 0; i < p.columns->num_cols; ++i)
            row->texts << QString::fromUtf8(get_column_text(p.columns, i));
        if (p.color) {
            row->foreground = toQColor(p.color->fg_color);
            row->background = toQColor(p.color->bg_color);
        }
    });
    cache_.insert(frame, row);
    return row;
}

const color_t* PacketListModel::flagColor(std::uint32_t frame, bool foreground) const
{
    const e_prefs* prefs = session_.runtime().prefs();
    if (session_.capture()->flag(frame, RandomAccessCapture::Flag::Marked))
        return foreground ? &prefs->gui_marked_fg : &prefs->gui_marked_bg;
    if (session_.capture()->flag(frame, RandomAccessCapture::Flag::Ignored))
        return foreground ? &prefs->gui_ignored_fg : &prefs->gui_ignored_bg;
    return nullptr;
}

QVariant PacketListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()) || !session_.capture())
        return {};
    const std::uint32_t frame = rows_[size_t(index.row())];
    switch (role) {
    case FrameNumberRole:
        return frame;
    case Qt::DisplayRole: {
        const Row* row = rowFor(frame);
        return index.column() < row->texts.size() ? row->texts[index.column()] : QString();
    }
    case Qt::ForegroundRole: {
        if (const color_t* c = flagColor(frame, true))
            return toQColor(*c);
        const Row* row = rowFor(frame);
        return row->foreground.isValid() ? QVariant(row->foreground) : QVariant();
    }
    case Qt::BackgroundRole: {
        if (const color_t* c = flagColor(frame, false))
            return toQColor(*c);
        if (isHighlighted(frame))
            return highlightColor();
        const Row* row = rowFor(frame);
        return row->background.isValid() ? QVariant(row->background) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(headerAlignment(index.column()) | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant PacketListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < titles_.size())
        return titles_[section];
    return {};
}

void PacketListModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= int(formats_.size()) || rows_.empty() || !session_.capture())
        return;
    if (sortPass_) { // a newer sort replaces a running one, which then never reports
        sortPass_.reset();
        ++generation_;
    }
    const bool ascending = order == Qt::AscendingOrder;
    const int fmt = formats_[size_t(column)];
    const bool time = fmt == COL_CLS_TIME || fmt == COL_ABS_TIME || fmt == COL_REL_TIME || fmt == COL_UTC_TIME;
    if (fmt == COL_NUMBER || fmt == COL_PACKET_LENGTH || time) {
        const auto& packetIndex = session_.capture()->index();
        auto key = [&](std::uint32_t f) -> std::int64_t {
            const auto& e = packetIndex[f - 1];
            return fmt == COL_PACKET_LENGTH ? std::int64_t(e.originalLength) : time ? e.timestampNs : std::int64_t(f);
        };
        std::vector<std::uint32_t> order = rows_;
        std::sort(order.begin(), order.end());
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return ascending ? key(a) < key(b) : key(a) > key(b);
        });
        applyOrder(std::move(order), column, ascending);
        emit sortFinished(true);
        return;
    }
    auto pass = std::make_unique<SortPass>();
    pass->column = column;
    pass->order = order;
    pass->frames = rows_;
    std::sort(pass->frames.begin(), pass->frames.end());
    if (keyColumn_ == column) { // the texts are known: sort now
        bool known = true;
        for (std::uint32_t f : pass->frames)
            known = known && keyOf(f);
        if (known) {
            pass->next = pass->frames.size();
            sortPass_ = std::move(pass);
            sortSlice();
            return;
        }
    }
    pass->keys.resize(pass->frames.size());
    sortPass_ = std::move(pass);
    emit sortProgress(0);
    sortSlice();
}

void PacketListModel::cancelSort()
{
    if (!sortPass_)
        return;
    sortPass_.reset();
    ++generation_;
    emit sortFinished(false);
}

void PacketListModel::forgetKeys()
{
    keyColumn_ = -1;
    keyFrames_.clear();
    keys_.clear();
}

const QString* PacketListModel::keyOf(std::uint32_t frame) const
{
    auto it = std::lower_bound(keyFrames_.begin(), keyFrames_.end(), frame);
    return it != keyFrames_.end() && *it == frame ? &keys_[size_t(it - keyFrames_.begin())] : nullptr;
}

void PacketListModel::sortSlice()
{
    SortPass& pass = *sortPass_;
    QElapsedTimer clock;
    clock.start();
    RandomAccessCapture::Request request;
    request.tree = false;
    while (pass.next < pass.frames.size()) { // at least one row a slice
        const std::uint32_t frame = pass.frames[pass.next];
        if (const Row* row = cache_.object(frame)) {
            pass.keys[pass.next] = row->texts.value(pass.column);
        } else {
            try {
                session_.capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
                    if (pass.column < p.columns->num_cols)
                        pass.keys[pass.next] = QString::fromUtf8(get_column_text(p.columns, pass.column));
                });
            } catch (const std::exception&) {
                // A frame that cannot be re-read sorts as empty text, as its row shows.
            }
        }
        ++pass.next;
        if (clock.elapsed() >= sliceMs_)
            break;
    }
    if (pass.next < pass.frames.size()) {
        emit sortProgress(int(pass.next * 100 / pass.frames.size()));
        QTimer::singleShot(0, this, [this, generation = generation_] {
            if (generation == generation_ && sortPass_)
                sortSlice();
        });
        return;
    }
    if (!pass.keys.empty()) {
        keyColumn_ = pass.column;
        keyFrames_ = std::move(pass.frames);
        keys_ = std::move(pass.keys);
    }
    const bool ascending = pass.order == Qt::AscendingOrder;
    const int column = pass.column;
    sortPass_.reset();
    // Rows that arrived during the pass (a live capture) have no text yet: they go last.
    static const QString none;
    std::vector<std::pair<const QString*, std::uint32_t>> keyed;
    keyed.reserve(rows_.size());
    for (std::uint32_t f : rows_) {
        const QString* key = keyOf(f);
        keyed.emplace_back(key ? key : &none, f);
    }
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    std::stable_sort(keyed.begin(), keyed.end(), [ascending](const auto& a, const auto& b) {
        const int c = a.first->compare(*b.first);
        return ascending ? c < 0 : c > 0;
    });
    std::vector<std::uint32_t> order;
    order.reserve(keyed.size());
    for (const auto& k : keyed)
        order.push_back(k.second);
    applyOrder(std::move(order), column, ascending);
    emit sortProgress(100);
    emit sortFinished(true);
}

void PacketListModel::applyOrder(std::vector<std::uint32_t> order, int column, bool ascending)
{
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    std::vector<std::uint32_t> beforeFrames;
    for (const QModelIndex& i : before)
        beforeFrames.push_back(frameAt(i.row()));
    rows_ = std::move(order);
    sortColumn_ = (formats_[size_t(column)] == COL_NUMBER && ascending) ? -1 : column;
    QModelIndexList after;
    for (int i = 0; i < before.size(); ++i)
        after << index(rowOfFrame(beforeFrames[size_t(i)]), before[i].column());
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

} // namespace ss::ui
