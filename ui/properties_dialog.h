// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <optional>

#include "capture_summary.h"

class QTextBrowser;

namespace ss::ui {

// Statistics → Capture File Properties: file, time, capture (section header), interfaces,
// statistics and packet comments, as Wireshark's dialog lays them out. The summary (a read
// of the whole file plus its hashes) is computed on a worker thread: wiretap handles are
// independent, and epan is not involved.
class PropertiesDialog : public QDialog {
    Q_OBJECT
public:
    PropertiesDialog(const QString& path, std::size_t displayed, QWidget* parent = nullptr);
    const std::optional<CaptureSummary>& summary() const { return summary_; }
    QString text() const;

signals:
    void computed();

private:
    void present(const CaptureSummary& s);

    std::size_t displayed_;
    QTextBrowser* browser_;
    std::optional<CaptureSummary> summary_;
};

} // namespace ss::ui
