// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QTabWidget;
class QTableView;

namespace ss {
class ConversationTap;
}

namespace ss::ui {

class CaptureSession;
class ConversationModel;

// Statistics → Conversations (or, with `endpoints`, Statistics → Endpoints): Ethernet, IPv4,
// IPv6, TCP and UDP tabs from epan's conversation or endpoint tables. Over the whole file they
// are counted from the headers on a worker thread (the statistics fast path,
// fast_conversations.h); limited to a display filter, or where the fast path is unsure
// (ignored frames, time references, tunnels...), by one tap pass over the file (in slices).
class ConversationDialog : public QDialog {
    Q_OBJECT
public:
    ConversationDialog(CaptureSession& session, QWidget* parent = nullptr, bool endpoints = false);
    ~ConversationDialog() override;

    // Recomputes every table (respecting "Limit to display filter").
    void recompute();
    bool computing() const { return computing_; }
    void showTable(const QString& table); // "eth", "ip", "ipv6", "tcp", "udp"
    ConversationModel* model(const QString& table) const;
    QTableView* view(const QString& table) const;
    QString hint() const; // how the tables were counted ("All packets · counted from the headers…")

signals:
    void computed();
    void filterRequested(const QString& filter, bool apply);

private:
    struct Table;
    void contextMenu(Table& table, const QPoint& pos);
    bool makeTaps(const QString& filter);
    bool fastPathAllowed(const QString& filter) const;
    void tapPass(const QString& filter);
    // The rows are in the models (from the taps when fromTaps); the hint says how counted.
    void showRows(bool fromTaps, const QString& how, bool cancelled = false);

    CaptureSession& session_;
    QTabWidget* tabs_;
    QCheckBox* limitToFilter_;
    QCheckBox* resolveNames_;
    QLabel* hint_;
    std::vector<std::unique_ptr<Table>> tables_;
    bool computing_ = false;
    bool endpoints_ = false;
    quint64 generation_ = 0; // a fast count that returns after a newer recompute() is dropped
};

} // namespace ss::ui
