// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <cstdint>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace ss::ui {

class CaptureSession;
class LatencyModel;

// Statistics → Request Latency: the HTTP requests, DNS queries and TLS handshakes slower
// than a threshold, with their breakdown and TCP stalls (`stratoshark latency` in a
// window), computed by one tap pass in slices. Double-click goes to the packet; the context
// menu applies the transaction's filter.
class LatencyDialog : public QDialog {
    Q_OBJECT
public:
    explicit LatencyDialog(CaptureSession& session, QWidget* parent = nullptr);

    void setThreshold(const QString& text); // "1s", "500ms", "0"
    void recompute();
    bool computing() const { return computing_; }
    LatencyModel* model() const { return model_; }
    QTreeView* view() const { return view_; }

signals:
    void computed();
    void frameRequested(std::uint32_t frame);
    void filterRequested(const QString& filter, bool apply);

private:
    void contextMenu(const QPoint& pos);

    CaptureSession& session_;
    LatencyModel* model_;
    QTreeView* view_;
    QLineEdit* threshold_;
    QCheckBox* limitToFilter_;
    QLabel* hint_;
    bool computing_ = false;
};

} // namespace ss::ui
