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
// IPv6, TCP and UDP tabs from epan's conversation or endpoint tables, computed by one pass
// over the file (in slices).
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

signals:
    void computed();
    void filterRequested(const QString& filter, bool apply);

private:
    struct Table;
    void contextMenu(Table& table, const QPoint& pos);

    CaptureSession& session_;
    QTabWidget* tabs_;
    QCheckBox* limitToFilter_;
    QCheckBox* resolveNames_;
    QLabel* hint_;
    std::vector<std::unique_ptr<Table>> tables_;
    bool computing_ = false;
    bool endpoints_ = false;
};

} // namespace ss::ui
