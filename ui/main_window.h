// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <set>

#include "packet_range.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolButton;
class QTreeView;

struct epan_dissect;

namespace ss {
class EpanRuntime;
}

namespace ss::ui {

class BytesView;
class CaptureControls;
class CaptureSession;
class WelcomeView;
class AnalysisDialog;
class ColoringRulesDialog;
class ConversationDialog;
class PreferencesDialog;
class ProfileDialog;
class DisplayFilterEdit;
class ExportDialog;
class FindBar;
class ViewSettings;
class FollowStreamDialog;
class IoGraphDialog;
class PropertiesDialog;
class LatencyDialog;
class TimelineDialog;
class PacketColumns;
class PacketListActions;
class PacketListModel;
class ProtoTreeModel;
class RelatedEventsModel;

// The main window: filter bar, packet list, detail tree, bytes and related events; menus and shortcuts as in
// Wireshark. The session, models and dialogs it owns are passed what they need; none reads
// a global.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(EpanRuntime& runtime, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens `path`; on failure shows why, or with `error` given, only sets it (scripts).
    bool openFile(const QString& path, QString* error = nullptr);
    // View → Reload (Ctrl+R): opens the file again, keeping the filter and the selected packet.
    bool reload();
    CaptureSession& session() const { return *session_; }
    PacketListModel* packetList() const { return packetModel_; }
    ProtoTreeModel* detailTree() const { return treeModel_; }
    QTableView* packetView() const { return packetView_; }
    QTreeView* detailView() const { return treeView_; }
    DisplayFilterEdit* filterEdit() const { return filterEdit_; }
    BytesView* bytesView() const { return bytesView_; }
    // The bytes pane's tabs (one per data source: frame, reassembled, decompressed …) and
    // the view of source `source`, null when the packet has no such source.
    QTabWidget* byteTabs() const { return byteTabs_; }
    BytesView* bytesViewOf(int source) const;
    RelatedEventsModel* relatedEvents() const { return relatedModel_; }
    QTabWidget* bottomTabs() const { return bottomTabs_; }
    CaptureControls* captureControls() const { return captureControls_; }
    PacketListActions* listActions() const { return listActions_; }
    FindBar* findBar() const { return findBar_; }
    PacketColumns* columns() const { return columns_; }
    // Apply as Column (Ctrl+Shift+I on a field): a custom column for `field`; its index.
    int applyAsColumn(const QString& field);
    ViewSettings* viewSettings() const { return viewSettings_; }
    WelcomeView* welcome() const { return welcome_; }
    // Starts a capture on one interface of a target with the default options (the welcome
    // page's double click).
    void captureOn(const QString& target, const QString& interface);

    void goToPacket(std::uint32_t frame);
    ConversationDialog* showConversations();
    ConversationDialog* showEndpoints();
    // Analyze → Expert Information, Statistics → Protocol Hierarchy, and epan's statistics
    // trees ("http", "http_req", "dns", ...): a new dialog, computing.
    AnalysisDialog* showAnalysis(int kind, const QString& treeName = {});
    FollowStreamDialog* followStream(const QString& protocol);
    // Statistics → Request Latency: a new dialog, computing with `threshold` ("1s", "0").
    LatencyDialog* showLatency(const QString& threshold = QStringLiteral("1s"));
    // View → Timeline: the dialog (one at a time), computing; its cursor follows the list.
    TimelineDialog* showTimeline();
    // Statistics → I/O Graph: a new dialog, computing.
    IoGraphDialog* showIoGraph();
    // Statistics → Capture File Properties (Ctrl+Alt+Shift+C): a new dialog, reading.
    PropertiesDialog* showProperties();
    // Switches to a Wireshark configuration profile (its preferences, colouring rules and
    // columns) and dissects the open file again; false (reported) when it cannot.
    bool useProfile(const QString& name);
    // Edit → Configuration Profiles, View → Coloring Rules, Edit → Preferences (page: 0
    // Columns, 1 Advanced): a new dialog, shown.
    ProfileDialog* showProfiles();
    ColoringRulesDialog* showColoringRules();
    PreferencesDialog* showPreferences(int page = 1);
    QToolButton* profileButton() const { return profileButton_; }
    // Selects the first packet at or after `ns` (in file order), as Wireshark's graphs do.
    void goToTime(std::int64_t ns);
    void applyFilter(const QString& filter);
    // Writes the displayed packets, or those in `range` ("1-10,15,20-") — of the displayed
    // ones unless `displayedOnly` is false (Wireshark's Displayed/Captured choice) — as
    // pcapng. Returns how many were written, -1 on a bad range or write error (reported).
    int exportPackets(const QString& path, const QString& range, bool displayedOnly = true);
    // The same with Wireshark's whole packet range choice, in a wiretap format (-1: pcapng).
    int exportPackets(const QString& path, const PacketRange& range, int fileType = -1);
    // File → Export Specified Packets (or Save As: `wholeFile`): the dialog, shown; its Save
    // writes the file.
    ExportDialog* exportDialog(bool wholeFile);
    // File → Merge: this file and `other` in time order, into a temporary file that is then
    // opened; its path, empty on failure (reported).
    QString mergeWith(const QString& other);

signals:
    void profileChanged(const QString& name);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // Status messages go after this long: a message never hides the file name for good.
    static constexpr int kStatusMs = 8000;

    void buildMenus();
    void buildToolBar();
    void buildProfileButton();
    void packetSelected();
    void fieldSelected();
    void showRelated(epan_dissect* edt);
    void detailContextMenu(const QPoint& pos);
    void updateStatus();
    void showDataSources(); // a bytes tab per data source of the tree's packet
    void showError(const QString& title, const QString& text);
    PacketRangeInput rangeInput() const;
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void prepareFilter(const QString& filter, bool apply);

    EpanRuntime& runtime_;
    CaptureSession* session_;
    PacketListModel* packetModel_;
    ProtoTreeModel* treeModel_;
    DisplayFilterEdit* filterEdit_;
    QTableView* packetView_;
    QTreeView* treeView_;
    BytesView* bytesView_;
    RelatedEventsModel* relatedModel_;
    QTableView* relatedView_;
    QTabWidget* bottomTabs_;
    QTabWidget* byteTabs_;
    QSplitter* splitter_;
    QStackedWidget* stack_;
    WelcomeView* welcome_;
    CaptureControls* captureControls_;
    PacketListActions* listActions_;
    FindBar* findBar_;
    PacketColumns* columns_;
    ViewSettings* viewSettings_;
    QLabel* fileLabel_;
    QLabel* countLabel_;
    QLabel* expertLabel_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QToolButton* profileButton_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QPointer<ConversationDialog> conversations_;
    QPointer<ConversationDialog> endpoints_;
    QPointer<FollowStreamDialog> follow_;
    QPointer<TimelineDialog> timeline_;
    std::uint32_t currentFrame_ = 0;
    std::pair<int, Qt::SortOrder> sortedBy_{0, Qt::AscendingOrder}; // the last sort that finished
    // Subtrees the user opened, by their path of field names ("ip/ip.flags"): they stay open
    // from one packet to the next, as in Wireshark.
    std::set<QString> expandedPaths_;
    void restoreExpanded(const QModelIndex& parent);
    static QString treePath(const QModelIndex& index);
};

} // namespace ss::ui
