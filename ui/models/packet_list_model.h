// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QCache>
#include <QColor>
#include <QStringList>

#include "random_access.h"

#include <memory>
#include <map>
#include <vector>

namespace ss::ui {

class CaptureSession;

// The packet list: a virtual table over the session's displayed frames. A row's column
// texts and colours come from dissecting that frame when the row is first shown, and are
// cached (a bounded LRU), so a million-packet file costs nothing per row until it is seen.
class PacketListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { FrameNumberRole = Qt::UserRole + 1 };

    explicit PacketListModel(CaptureSession& session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

    // Sorting a text column needs every displayed row's text: it is gathered in slices
    // (sortProgress), the order applied at the end (sortFinished(true)); cancelSort() or a
    // new file/filter ends it with sortFinished(false) and the order unchanged. The texts
    // stay known, so sorting the same column again is immediate.
    bool sorting() const { return bool(sortPass_); }
    void cancelSort();
    void setSliceBudget(int ms) { sliceMs_ = ms; }
    int sortColumn() const { return sortColumn_; }

    // Wireshark's Mark (Ctrl+M), Ignore (Ctrl+D) and Time Reference (Ctrl+T): sets the flag
    // on `frames` (on, or off) and redraws what it changes — an ignored frame's texts, every
    // row's time after a time reference. Marked and ignored rows take Wireshark's colours.
    void setFlag(const std::vector<std::uint32_t>& frames, RandomAccessCapture::Flag which, bool on);
    bool flag(std::uint32_t frame, RandomAccessCapture::Flag which) const;
    // The preferences' column list changed: titles, formats and every row's texts again.
    void reloadColumns();
    // A column's horizontal alignment (the header menu's Align Left/Center/Right); 0 goes
    // back to the default (numbers right, text left). Reloading the columns clears them.
    void setAlignment(int column, Qt::Alignment horizontal);
    Qt::Alignment headerAlignment(int column) const; // the horizontal alignment in effect
    // View → Colorize Packet List: the colouring rules on or off.
    void setColorize(bool on);
    // One frame's row dissected again (its comment changed).
    void refreshFrame(std::uint32_t frame);
    bool colorize() const { return colorize_; }
    // Forgets every row's texts (a new time format, a column change) and redraws.
    void refresh();

    std::uint32_t frameAt(int row) const;
    int rowOfFrame(std::uint32_t frame) const; // -1 when not displayed
    int columnOfFormat(int colFmt) const;      // -1 when absent

    // Frames drawn with the highlight background (the packets related to a selected
    // alert); empty clears it.
    void setHighlighted(std::vector<std::uint32_t> frames);
    bool isHighlighted(std::uint32_t frame) const;
    static QColor highlightColor() { return QColor(0xff, 0xd5, 0x80); }

signals:
    void sortProgress(int percent);
    void sortFinished(bool completed);

private:
    struct Row {
        QStringList texts;
        QColor foreground;
        QColor background;
    };
    const Row* rowFor(std::uint32_t frame) const;
    // Wireshark's colours of a marked or ignored frame (preferences), or null.
    const color_t* flagColor(std::uint32_t frame, bool foreground) const;
    void resetFromSession();
    void readColumns(); // titles and formats from the preferences' column list
    void appendFrames(std::size_t from, std::size_t count);
    void sortSlice();
    void applyOrder(std::vector<std::uint32_t> order, int column, bool ascending);
    void forgetKeys();
    const QString* keyOf(std::uint32_t frame) const;

    // A text sort in progress: the rows' texts gathered so far.
    struct SortPass {
        int column;
        Qt::SortOrder order;
        std::vector<std::uint32_t> frames; // the rows when it started, ascending
        std::size_t next = 0;
        std::vector<QString> keys;
    };
    std::unique_ptr<SortPass> sortPass_;
    // The last sorted text column's texts, by frame (ascending frames, parallel keys).
    int keyColumn_ = -1;
    std::vector<std::uint32_t> keyFrames_;
    std::vector<QString> keys_;
    int sliceMs_ = 20;
    std::uint64_t generation_ = 0;
    bool colorize_ = true;

    CaptureSession& session_;
    std::vector<std::uint32_t> rows_;
    std::vector<std::uint32_t> highlighted_; // sorted
    QStringList titles_;
    std::vector<int> formats_;
    std::map<int, Qt::Alignment> alignments_;
    int sortColumn_ = -1;
    mutable QCache<std::uint32_t, Row> cache_;
};

} // namespace ss::ui
