// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <utility>
#include <vector>

#include "packet_copy.h"
#include "random_access.h"

class QMenu;
class QModelIndex;
class QTableView;
class QWidget;

namespace ss::ui {

class CaptureSession;
class PacketListModel;

// What Wireshark does to packets in the list, from the Edit and Go menus and the list's
// context menu: Mark / Ignore / Time Reference (one packet, all displayed, none), next and
// previous marked packet and time reference, Apply/Prepare as Filter from the clicked cell,
// Conversation Filter, Colorize Conversation, Follow, and Copy (summary as text, CSV or
// YAML; the cell as a filter; bytes as a hex dump, hex stream, printable or escaped text).
class PacketListActions : public QObject {
    Q_OBJECT
public:
    // `currentFilter` gives the filter bar's text (the "…and Selected" combinations).
    PacketListActions(CaptureSession& session, PacketListModel& model, QTableView& view,
                      std::function<QString()> currentFilter, QWidget* window);

    void addToEditMenu(QMenu* edit);
    void addToGoMenu(QMenu* go);
    // The context menu for the row and column at `index` (the clicked cell), built afresh.
    QMenu* contextMenu(const QModelIndex& index, QWidget* parent);

    // The clicked cell as a filter: its column's field and value (Source → ip.src == …).
    QString cellFilter(const QModelIndex& index) const;
    // epan's conversation filters that apply to `frame`: display name and filter.
    std::vector<std::pair<QString, QString>> conversationFilters(std::uint32_t frame) const;
    // Toggles `which` on the current packet (Ctrl+M / Ctrl+D / Ctrl+T), or sets it on every
    // displayed packet, or clears it from them.
    void toggle(RandomAccessCapture::Flag which);
    void setOnDisplayed(RandomAccessCapture::Flag which, bool on);
    // Moves to the next (or previous) displayed packet with `which`, wrapping as Wireshark does.
    void goToFlagged(RandomAccessCapture::Flag which, bool forward);
    void copySummary(SummaryFormat format);
    void copyBytes(BytesFormat format);
    // Packet Comment… (Ctrl+Alt+C): the current packet's comment, replaced by `text` (an
    // empty text removes it). Kept with the frame until the file is saved or exported as
    // pcapng, which writes it into the packet's block. False (reported) without a packet.
    bool setPacketComment(std::uint32_t frame, const QString& text);
    QString packetComment(std::uint32_t frame) const; // the first comment, or empty
    // Colorize Conversation: temporary colour rule `number` (1–10) for `filter`; 0 clears all.
    void colorize(int number, const QString& filter);

signals:
    void filterRequested(const QString& filter, bool apply);
    void followRequested(const QString& protocol);
    void message(const QString& text);
    void packetChanged(std::uint32_t frame); // its dissection changed (a comment)

private:
    std::uint32_t currentFrame() const;

    CaptureSession& session_;
    PacketListModel& model_;
    QTableView& view_;
    std::function<QString()> currentFilter_;
    QWidget* window_;
};

} // namespace ss::ui
