// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <cstdint>

class QCheckBox;
class QLabel;
class QTreeView;
class QSortFilterProxyModel;

namespace ss::ui {

class CaptureSession;
class StatTreeModel;

// Analyze → Expert Information, Statistics → Protocol Hierarchy and epan's statistics trees
// (Statistics → HTTP → Packet Counter / Requests, DNS, IP protocol types, ...): one tap pass
// over the file (in slices), the result as a sortable tree. Double-clicking a packet row
// selects that packet; a row's context menu applies or prepares its filter.
class AnalysisDialog : public QDialog {
    Q_OBJECT
public:
    enum class Kind { Expert, Hierarchy, StatsTree };
    // `treeName` names the statistics tree for Kind::StatsTree ("http", "dns", ...).
    AnalysisDialog(CaptureSession& session, Kind kind, const QString& treeName = {}, QWidget* parent = nullptr);
    ~AnalysisDialog() override;

    void recompute(); // respects "Limit to display filter"
    bool computing() const { return computing_; }
    StatTreeModel* model() const { return model_; }
    QTreeView* view() const { return view_; }

signals:
    void computed();
    void frameRequested(std::uint32_t frame);
    void filterRequested(const QString& filter, bool apply);

private:
    void contextMenu(const QPoint& pos);

    CaptureSession& session_;
    Kind kind_;
    QString treeName_;
    StatTreeModel* model_;
    QSortFilterProxyModel* proxy_;
    QTreeView* view_;
    QCheckBox* limitToFilter_;
    QLabel* hint_;
    bool computing_ = false;
};

} // namespace ss::ui
