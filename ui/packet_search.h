// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QRegularExpression>
#include <QString>

#include <cstdint>
#include <memory>

namespace ss {
class DisplayFilter;
}

namespace ss::ui {

class CaptureSession;
class PacketListModel;

// Edit → Find Packet, as Wireshark's search bar: a display filter, a hex value ("00:1c",
// "001c 2a"), a string (in the packet list's columns, the details' labels or the bytes;
// narrow UTF-8 or wide UTF-16LE; case-sensitive or not) or a regular expression over the
// bytes. The search walks the list's rows in its current order from the row after (or
// before) the selected one, wrapping round once, in ≤ 20 ms slices with progress.
struct SearchSpec {
    enum class Kind { DisplayFilter, Hex, String, Regex };
    enum class Where { List, Details, Bytes };
    Kind kind = Kind::DisplayFilter;
    Where where = Where::List;
    QString text;
    bool caseSensitive = false;
    bool wide = false; // strings in the bytes as UTF-16LE
};

class PacketSearch : public QObject {
    Q_OBJECT
public:
    PacketSearch(CaptureSession& session, PacketListModel& model, QObject* parent = nullptr);
    ~PacketSearch() override;

    // Starts searching from `fromRow` (exclusive; -1 from the top); false, with `error`, when
    // the spec does not compile (a bad filter, hex or expression). Replaces a running search.
    bool start(const SearchSpec& spec, int fromRow, bool forward, QString* error);
    void cancel();
    bool running() const { return running_; }
    void setSliceBudget(int ms) { sliceMs_ = ms; }

    // Whether `frame` matches the spec the last start() compiled.
    bool matches(std::uint32_t frame);

signals:
    void progress(int percent);
    void found(int row);
    void notFound();

private:
    void slice();

    CaptureSession& session_;
    PacketListModel& model_;
    SearchSpec spec_;
    std::unique_ptr<DisplayFilter> filter_;
    QByteArray needle_;        // hex and narrow/wide strings, lower-cased when case-blind
    QRegularExpression regex_;
    bool running_ = false;
    bool forward_ = true;
    int row_ = 0;
    int visited_ = 0;
    int sliceMs_ = 20;
    std::uint64_t generation_ = 0;
};

} // namespace ss::ui
