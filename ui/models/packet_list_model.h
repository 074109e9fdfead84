// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QCache>
#include <QColor>
#include <QStringList>

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

    std::uint32_t frameAt(int row) const;
    int rowOfFrame(std::uint32_t frame) const; // -1 when not displayed
    int columnOfFormat(int colFmt) const;      // -1 when absent

    // Frames drawn with the highlight background (the packets related to a selected
    // alert); empty clears it.
    void setHighlighted(std::vector<std::uint32_t> frames);
    bool isHighlighted(std::uint32_t frame) const;
    static QColor highlightColor() { return QColor(0xff, 0xd5, 0x80); }

private:
    struct Row {
        QStringList texts;
        QColor foreground;
        QColor background;
    };
    const Row* rowFor(std::uint32_t frame) const;
    void resetFromSession();
    void appendFrames(std::size_t from, std::size_t count);

    CaptureSession& session_;
    std::vector<std::uint32_t> rows_;
    std::vector<std::uint32_t> highlighted_; // sorted
    QStringList titles_;
    std::vector<int> formats_;
    int sortColumn_ = -1;
    mutable QCache<std::uint32_t, Row> cache_;
};

} // namespace ss::ui
