// SPDX-License-Identifier: GPL-2.0-or-later
// GUI tests of the analysis views (QtTest, offscreen): related events, Request Latency,
// View → Timeline, I/O Graphs, Capture File Properties — each against the CLI, tshark or
// capinfos run on the same capture during the test.
#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include "capture_session.h"
#include "epan_runtime.h"
#include "gui_test_support.h"
#include "io_graph_dialog.h"
#include "latency_dialog.h"
#include "main_window.h"
#include "models/io_graph_model.h"
#include "models/latency_model.h"
#include "models/packet_list_model.h"
#include "models/proto_tree_model.h"
#include "models/related_events_model.h"
#include "models/timeline_model.h"
#include "properties_dialog.h"
#include "timeline_dialog.h"
#include "timeline_view.h"
#include "tst_gui_analysis.h"

using namespace ss;
using namespace ss::ui;

class AnalysisGuiTest : public QObject {
    Q_OBJECT
public:
    explicit AnalysisGuiTest(EpanRuntime& runtime) : runtime_(runtime) {}

private slots:
    void init()
    {
        window_ = std::make_unique<MainWindow>(runtime_);
        window_->session().setSliceBudget(5);
        window_->show();
    }
    void cleanup() { window_.reset(); }

    // ptcpdump's curl capture with an alert, execs and a flow about its process imported:
    // the Related events tab lists what the CLI's ss.related fields link, a frame link in
    // the tree goes to its frame, and selecting the alert highlights the packets linking it.
    void relatedEventsPaneAndAlertHighlight()
    {
        const QString story = makeStory();
        QVERIFY(!story.isEmpty());
        auto cli = [&](const QString& filter, const QStringList& fields) {
            QStringList args{"-r", story, "-2", "-Y", filter, "-T", "fields", "-E", "aggregator=,"};
            for (const QString& f : fields)
                args << "-e" << f;
            return run(QStringLiteral(SS_STRATOSHARK), args);
        };
        const std::uint32_t packet = cli("tcp", {"frame.number"}).value(0).toUInt();
        const std::uint32_t alert = cli("falco", {"frame.number"}).value(0).toUInt();
        const QStringList links = cli(QStringLiteral("frame.number == %1").arg(packet),
                                      {"ss.related.alert", "ss.related.exec", "ss.related.verdict"})
                                      .value(0)
                                      .split('\t');
        QCOMPARE(links.size(), 3);
        QCOMPARE(links[0], QString::number(alert));

        RelatedEventsModel* related = window_->relatedEvents();
        QAbstractItemModelTester tester(related, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(window_->openFile(story));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->goToPacket(packet);
        QMap<QString, QStringList> shown;
        for (int r = 0; r < related->rowCount(); ++r)
            shown[related->index(r, RelatedEventsModel::KindColumn).data().toString()]
                << related->index(r, RelatedEventsModel::FrameColumn).data().toString();
        QCOMPARE(shown.value("Alert").join(','), links[0]);
        QCOMPARE(shown.value("Process").join(','), links[1]);
        QCOMPARE(shown.value("Cilium flow").join(','), links[2]);
        QVERIFY(related->index(0, RelatedEventsModel::EventColumn).data().toString().startsWith("Falco Critical: "));
        // Generated items show in [brackets] in the tree, as Wireshark shows them.
        QVERIFY(window_->bottomTabs()->tabText(1).contains(QString::number(related->rowCount())));

        // Double-clicking the alert link in the detail tree selects the alert.
        QModelIndex link;
        std::function<void(const QModelIndex&)> find = [&](const QModelIndex& parent) {
            for (int r = 0; r < window_->detailTree()->rowCount(parent) && !link.isValid(); ++r) {
                const QModelIndex i = window_->detailTree()->index(r, 0, parent);
                if (i.data(ProtoTreeModel::LinkedFrameRole).toUInt() == alert)
                    link = i;
                find(i);
            }
        };
        find({});
        QVERIFY(link.isValid());
        QVERIFY(link.data().toString().startsWith(QStringLiteral("[Alert in frame: %1 (").arg(alert)));
        QVERIFY(link.data().toString().endsWith(")]"));
        emit window_->detailView()->doubleClicked(link);
        QCOMPARE(window_->packetList()->frameAt(window_->packetView()->currentIndex().row()), alert);

        // The alert selected: the packets linking to it are highlighted and listed.
        QStringList expected = cli(QStringLiteral("ss.related.alert == %1").arg(alert), {"frame.number"});
        QVERIFY(!expected.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(related->rowCount(), expected.size(), 30000);
        QStringList highlighted;
        for (int row = 0; row < window_->packetList()->rowCount(); ++row) {
            const std::uint32_t frame = window_->packetList()->frameAt(row);
            if (window_->packetList()->isHighlighted(frame)) {
                highlighted << QString::number(frame);
                QCOMPARE(window_->packetList()->index(row, 0).data(Qt::BackgroundRole).value<QColor>(),
                         PacketListModel::highlightColor());
            }
        }
        QCOMPARE(highlighted, expected);
        window_->goToPacket(packet); // a packet: no highlight
        QVERIFY(!window_->packetList()->isHighlighted(packet));
    }

    // Statistics → Request Latency on the sample equals `stratoshark latency --min 0 -T json`.
    void requestLatencyEqualsCli()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        const QJsonDocument cli = QJsonDocument::fromJson(
            run(QStringLiteral(SS_STRATOSHARK), {"latency", "-r", kSample, "--min", "0", "-T", "json"}).join('\n').toUtf8());
        const QJsonArray expected = cli.object().value("slow").toArray();
        QVERIFY(expected.size() >= 5); // the sample's 3 DNS queries and 2 HTTP requests
        LatencyDialog* dialog = window_->showLatency("0");
        LatencyModel* model = dialog->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(dialog->computing());
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QCOMPARE(model->rowCount(), expected.size());
        for (int row = 0; row < model->rowCount(); ++row) {
            const QJsonObject t = expected[row].toObject();
            QCOMPARE(model->index(row, LatencyModel::KindColumn).data().toString(), t.value("kind").toString());
            QCOMPARE(model->index(row, LatencyModel::WhatColumn).data().toString(), t.value("what").toString());
            QCOMPARE(model->index(row, LatencyModel::TotalColumn).data(LatencyModel::NanosecondsRole).toLongLong(),
                     qRound64(t.value("total_ms").toDouble() * 1e6));
            QCOMPARE(model->index(row, 0).data(LatencyModel::FrameRole).toInt(), t.value("first_frame").toInt());
        }
        // A threshold no request reaches leaves the list empty; a bad one says why.
        dialog->setThreshold("10s");
        dialog->recompute();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QCOMPARE(model->rowCount(), 0);
        dialog->setThreshold("soon");
        dialog->recompute();
        QCOMPARE(model->rowCount(), 0);
    }

    // View → Timeline on the story: lanes by pod and process, per-pixel counts that add up,
    // the alert mark in its priority colour selects the alert, the cursor follows the list.
    void timelineLanesMarksAndCursor()
    {
        const QString story = makeStory();
        QVERIFY(!story.isEmpty());
        auto cli = [&](const QString& filter) {
            return run(QStringLiteral(SS_STRATOSHARK), {"-r", story, "-Y", filter, "-T", "fields", "-e", "frame.number"});
        };
        const std::uint32_t alert = cli("falco").value(0).toUInt();
        const int packets = cli("!ssrec.magic").size();
        QVERIFY(window_->openFile(story));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        TimelineDialog* dialog = window_->showTimeline();
        QAbstractItemModelTester tester(dialog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        TimelineView* view = dialog->view();
        int total = 0, alertRow = -1, noPodRow = -1;
        for (int row = 0; row < view->rows(); ++row) {
            const timeline::Lane* lane = dialog->model()->lane(view->laneAt(row));
            QVERIFY(lane);
            total += int(lane->packetNs.size());
            std::size_t drawn = 0;
            for (const std::size_t c : view->counts(row))
                drawn += c;
            QCOMPARE(drawn, lane->packetNs.size()); // every packet in exactly one pixel column
            for (const auto& m : lane->marks)
                if (m.frame == alert)
                    alertRow = row;
            if (lane->name == "(no pod)")
                noPodRow = row;
        }
        QCOMPARE(total, packets);
        QVERIFY(alertRow >= 0 && noPodRow >= 0);
        const timeline::Lane* alertLane = dialog->model()->lane(view->laneAt(alertRow));
        QCOMPARE(alertLane->name, std::string("shop/frontend-abc123"));
        const auto mark = std::find_if(alertLane->marks.begin(), alertLane->marks.end(),
                                       [&](const timeline::Mark& m) { return m.frame == alert; });
        QCOMPARE(TimelineView::markColor(*mark), QColor("#b00020")); // Critical
        QTest::mouseClick(view, Qt::LeftButton, {}, view->pointOf(alertRow, mark->ns));
        QCOMPARE(window_->packetList()->frameAt(window_->packetView()->currentIndex().row()), alert);
        QCOMPARE(view->timeCursor(), mark->ns);
        // Selecting a packet moves the cursor to its time.
        const std::uint32_t packet = cli("tcp").value(0).toUInt();
        window_->goToPacket(packet);
        QCOMPARE(view->timeCursor(), window_->session().capture()->index()[packet - 1].timestampNs);
        // Clicking a pod's label shows its processes; zooming keeps the point under the mouse.
        const int rowsBefore = view->rows();
        QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(10, view->pointOf(noPodRow, 0).y()));
        QVERIFY(view->isExpanded(dialog->model()->lane(view->laneAt(noPodRow)) ? view->laneAt(noPodRow).row() : -1));
        QVERIFY(view->rows() > rowsBefore);
        QCOMPARE(dialog->model()->lane(view->laneAt(noPodRow + 1))->name, std::string("curl[99722]"));
        const std::int64_t span = view->rangeTo() - view->rangeFrom();
        const std::int64_t around = view->nsAt(TimelineView::kLabelWidth + 100);
        view->zoom(0.5, around);
        QVERIFY(std::llabs((view->rangeTo() - view->rangeFrom()) - span / 2) <= 1);
        QVERIFY(std::llabs(view->nsAt(TimelineView::kLabelWidth + 100) - around) <= span / 1000);
    }

    // Statistics → I/O Graphs at 100 ms: each graph's values equal tshark's frames (or bytes)
    // bucketed by frame.time_relative; a click on the plot selects that interval's first packet.
    void ioGraphEqualsTshark()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        auto buckets = [](const QString& filter, bool bytes) {
            QStringList args{"-T", "fields", "-e", "frame.time_relative", "-e", "frame.len"};
            if (!filter.isEmpty())
                args << "-Y" << filter;
            std::vector<std::uint64_t> out;
            for (const QString& line : tshark(args)) {
                const QStringList f = line.split('\t');
                const QStringList parts = f[0].split('.'); // seconds.nanoseconds, exactly
                const qint64 ns = parts[0].toLongLong() * 1000000000 + parts[1].leftJustified(9, '0').toLongLong();
                const auto b = std::size_t(ns / 100000000);
                if (out.size() <= b)
                    out.resize(b + 1, 0);
                out[b] += bytes ? f[1].toULongLong() : 1;
            }
            return out;
        };
        IoGraphDialog* dialog = window_->showIoGraph();
        IoGraphModel* model = dialog->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        dialog->setIntervalIndex(2); // 100 ms
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QCOMPARE(dialog->intervalNs(), qint64(100000000));
        QCOMPARE(model->graphs()[0].values, buckets({}, false));
        QCOMPARE(model->graphs()[1].values, buckets("tcp.analysis.flags", false));
        model->addGraph("DNS bytes", "dns", IoGraphTap::Unit::Bytes);
        dialog->recompute();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QCOMPARE(model->graphs()[2].values, buckets("dns", true));
        QCOMPARE(dialog->plot()->intervals(), model->graphs()[0].values.size());
        // A filter epan refuses is named, the other graphs still drawn.
        QVERIFY(model->setData(model->index(2, IoGraphModel::FilterColumn), "dns.qry.name ==", Qt::EditRole));
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QVERIFY(dialog->hint().startsWith("DNS bytes: "));
        QCOMPARE(model->graphs()[0].values, buckets({}, false));
        // Clicking the interval of the sample's HTTP requests selects its first packet.
        const QStringList first = tshark({"-Y", "http.request", "-T", "fields", "-e", "frame.number", "-e",
                                          "frame.time_relative"})
                                      .value(0)
                                      .split('\t');
        const int interval = int(first[1].toDouble() * 10);
        QTest::mouseClick(dialog->plot(), Qt::LeftButton, {}, dialog->plot()->pointOf(interval));
        const std::uint32_t selected = window_->packetList()->frameAt(window_->packetView()->currentIndex().row());
        QVERIFY(selected > 0 && selected <= first[0].toUInt());
        const QString selectedTime = tshark({"-Y", QStringLiteral("frame.number == %1").arg(selected), "-T", "fields",
                                             "-e", "frame.time_relative"})
                                         .value(0);
        QCOMPARE(int(selectedTime.toDouble() * 10), interval);
    }

    // Statistics → Capture File Properties: the figures capinfos prints for the sample.
    void capturePropertiesEqualCapinfos()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        QMap<QString, QString> info;
        for (const QString& line : run("capinfos", {"-M", "-S", kSample}))
            if (line.contains(':') && !line.startsWith(' '))
                info[line.section(':', 0, 0).trimmed()] = line.section(':', 1).trimmed();
        PropertiesDialog* dialog = window_->showProperties();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QVERIFY(dialog->summary().has_value());
        const CaptureSummary& s = *dialog->summary();
        QCOMPARE(QString::number(s.packets), info["Number of packets"]);
        QCOMPARE(QString::number(s.fileBytes) + " bytes", info["File size"]);
        QCOMPARE(QString::number(s.dataBytes) + " bytes", info["Data size"]);
        QCOMPARE(QString::fromStdString(s.sha256), info["SHA256"]);
        QCOMPARE(QString::fromStdString(s.sha1), info["SHA1"]);
        QCOMPARE(QString::fromStdString(s.encapsulation),
                 run("capinfos", {"-E", kSample}).value(1).section(':', 1).trimmed()); // "Ethernet"
        QCOMPARE(QString::fromStdString(s.application), info["Capture application"]);
        QCOMPARE(QString::fromStdString(s.hardware), info["Capture hardware"]);
        const QString first = QString::number(s.firstNs / 1000000000) + "." +
                              QString::number(s.firstNs % 1000000000).rightJustified(9, '0');
        QCOMPARE(first, info["First packet time"]);
        QCOMPARE(s.strictTimeOrder, info["Strict time order"] == "True");
        QCOMPARE(int(s.interfaces.size()), info["Number of interfaces in file"].toInt());
        QCOMPARE(s.interfaces[0].name, std::string("lo"));
        QCOMPARE(s.interfaces[0].packets, s.packets);
        QVERIFY(dialog->text().contains(info["SHA256"]));
        QVERIFY(dialog->text().contains("Dumpcap"));
    }

private:
    EpanRuntime& runtime_;
    std::unique_ptr<MainWindow> window_;
};

QObject* makeAnalysisGuiTest(ss::EpanRuntime& runtime, QObject* parent)
{
    auto* test = new AnalysisGuiTest(runtime);
    test->setParent(parent);
    return test;
}

#include "tst_gui_analysis.moc"
