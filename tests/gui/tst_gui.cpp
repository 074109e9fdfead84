// SPDX-License-Identifier: GPL-2.0-or-later
// GUI tests (QtTest, offscreen). One process, one EpanRuntime (epan initialises once).
// Expected values come from tshark 4.0 run on the same capture during the test.
#include <QAbstractItemModelTester>
#include <QCompleter>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QProcess>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include "analysis_dialog.h"
#include "bytes_view.h"
#include "capture_session.h"
#include "conversation_dialog.h"
#include "display_filter_edit.h"
#include "epan_runtime.h"
#include "follow_stream_dialog.h"
#include "main_window.h"
#include "color_rules.h"
#include "tst_gui_settings.h"
#include "ss_dissectors.h"
#include "models/conversation_model.h"
#include "models/packet_list_model.h"
#include "models/proto_tree_model.h"
#include "models/stat_tree_model.h"

#include "gui_test_support.h"
#include "tst_gui_analysis.h"
#include "tst_gui_conversations.h"
#include "tst_gui_packet_list.h"

using namespace ss;
using namespace ss::ui;

class GuiTest : public QObject {
    Q_OBJECT
public:
    explicit GuiTest(EpanRuntime& runtime) : runtime_(runtime) {}

private slots:
    void init()
    {
        window_ = std::make_unique<MainWindow>(runtime_);
        window_->session().setSliceBudget(5); // many slices: exercises incremental loading
        window_->show();
    }
    void cleanup() { window_.reset(); }

    void packetListMatchesTsharkColumns()
    {
        QAbstractItemModelTester tester(window_->packetList(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        PacketListModel* model = window_->packetList();
        const QStringList info = tshark({"-2", "-T", "fields", "-e", "_ws.col.Info"});
        QCOMPARE(model->rowCount(), info.size());
        const int infoColumn = model->columnOfFormat(COL_INFO);
        const int protoColumn = model->columnOfFormat(COL_PROTOCOL);
        const QStringList proto = tshark({"-2", "-T", "fields", "-e", "_ws.col.Protocol"});
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(model->index(row, infoColumn).data().toString(), info[row]);
            QCOMPARE(model->index(row, protoColumn).data().toString(), proto[row]);
        }
        // Wireshark's default colouring rules: TCP SYN/FIN rows are dark grey.
        QVERIFY(model->index(6, 0).data(Qt::BackgroundRole).value<QColor>().isValid());
    }

    void expertSummaryEqualsTshark()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        // tshark -z expert: "Warns (94)" is the highest level present in the sample.
        int warns = -1;
        for (const QString& line : tshark({"-q", "-z", "expert"}))
            if (line.startsWith("Warns ("))
                warns = line.section('(', 1).section(')', 0, 0).toInt();
        QVERIFY(warns > 0);
        QCOMPARE(window_->session().worstExpertSeverity(), int(PI_WARN));
        QCOMPARE(window_->session().worstExpertCount(), warns);
    }

    void exportSpecifiedPacketsWritesTheRange()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        const QString out = QStringLiteral(SS_BINARY_DIR "/gui-export.pcapng");
        QCOMPARE(window_->exportPackets(out, "1-5,22"), 6);
        const QStringList frames = run("tshark", {"-r", out, "-T", "fields", "-e", "frame.len"});
        const QStringList original = tshark({"-T", "fields", "-e", "frame.len"});
        QCOMPARE(frames, (QStringList{original[0], original[1], original[2], original[3], original[4], original[21]}));
        QCOMPARE(window_->exportPackets(out, "7-x"), -1); // a bad range writes nothing
    }

    void sortingKeepsTheModelConsistent()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        PacketListModel* model = window_->packetList();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int length = model->columnOfFormat(COL_PACKET_LENGTH);
        model->sort(length, Qt::DescendingOrder);
        for (int row = 1; row < model->rowCount(); ++row)
            QVERIFY(model->index(row - 1, length).data().toInt() >= model->index(row, length).data().toInt());
        model->sort(model->columnOfFormat(COL_PROTOCOL), Qt::AscendingOrder);
        QVERIFY(!model->sorting() || waitFor(model, SIGNAL(sortFinished(bool))));
        QCOMPARE(model->index(0, model->columnOfFormat(COL_PROTOCOL)).data().toString(), QStringLiteral("DNS"));
        model->sort(0, Qt::AscendingOrder);
        QCOMPARE(model->frameAt(0), 1u);
        QCOMPARE(model->rowOfFrame(200), 199);
    }

    // A text column's sort gathers the rows' texts in slices, with progress, and can be
    // cancelled (570k packets froze the window 7–10 s); the texts stay known for the next.
    void textSortRunsInSlicesAndCancels()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        PacketListModel* model = window_->packetList();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model->setSliceBudget(0); // one row per slice
        const int info = model->columnOfFormat(COL_INFO);
        const int source = model->columnOfFormat(COL_DEF_SRC);
        QHeaderView* header = window_->packetView()->horizontalHeader();
        QSignalSpy progress(model, &PacketListModel::sortProgress);
        QSignalSpy finished(model, &PacketListModel::sortFinished);
        header->setSortIndicator(info, Qt::AscendingOrder); // as a click on the header
        QVERIFY(model->sorting());
        QCOMPARE(model->frameAt(0), 1u); // nothing moves before the texts are known
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), true);
        QVERIFY(progress.size() > 10);
        QStringList texts;
        for (int row = 0; row < model->rowCount(); ++row)
            texts << model->index(row, info).data().toString();
        for (int row = 1; row < texts.size(); ++row)
            QVERIFY2(texts[row - 1].compare(texts[row]) <= 0, qPrintable(texts[row]));
        const std::uint32_t first = model->frameAt(0);
        // The other way round: at once, the texts are known.
        header->setSortIndicator(info, Qt::DescendingOrder);
        QVERIFY(!model->sorting());
        QCOMPARE(model->index(0, info).data().toString(), texts.last());
        // A cancelled sort leaves the rows and the header's indicator as they were.
        header->setSortIndicator(source, Qt::AscendingOrder);
        QVERIFY(model->sorting()); // one slice done, the rest queued
        window_->findChild<QPushButton*>("cancelButton")->click();
        QVERIFY(!model->sorting());
        QCOMPARE(finished.takeLast().at(0).toBool(), false);
        QCOMPARE(model->index(0, info).data().toString(), texts.last());
        QCOMPARE(header->sortIndicatorSection(), info);
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        header->setSortIndicator(info, Qt::AscendingOrder);
        QCOMPARE(model->frameAt(0), first);
        model->setSliceBudget(20);
    }

    void detailTreeAndBytesFollowTheSelection()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        QAbstractItemModelTester tester(window_->detailTree(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window_->goToPacket(22); // GET /api/data
        ProtoTreeModel* tree = window_->detailTree();
        // Top-level items are tshark -V's unindented lines for the same frame.
        QStringList top;
        for (const QString& line : tshark({"-2", "-V", "-Y", "frame.number == 22"}))
            if (!line.isEmpty() && !line.startsWith(' '))
                top << line;
        QCOMPARE(tree->rowCount(), top.size());
        for (int r = 0; r < tree->rowCount(); ++r)
            QCOMPARE(tree->index(r, 0).data().toString(), top[r]);
        QCOMPARE(tree->bytes().size(), 152);
        // Selecting the HTTP layer selects its bytes; a click on a byte selects its field.
        const QModelIndex http = tree->index(tree->rowCount() - 1, 0);
        window_->detailView()->setCurrentIndex(http);
        QVERIFY(http.data(ProtoTreeModel::ByteStartRole).toInt() > 0);
        emit window_->bytesView()->byteClicked(0x0c); // Ethernet type
        QCOMPARE(window_->detailView()->currentIndex().data(ProtoTreeModel::FieldNameRole).toString(),
                 QStringLiteral("eth.type"));
    }

    void filterBarValidatesAsYouType()
    {
        DisplayFilterEdit* edit = window_->filterEdit();
        QSignalSpy applied(edit, &DisplayFilterEdit::applyRequested);
        QTest::keyClicks(edit, "dns.qry.name contains \"minexmr\"");
        QCOMPARE(edit->state(), DisplayFilterEdit::State::Valid);
        QCOMPARE(edit->palette().color(QPalette::Base), DisplayFilterEdit::colorFor(DisplayFilterEdit::State::Valid));
        edit->clear();
        QTest::keyClicks(edit, "ip.src == 1.2.3");
        QCOMPARE(edit->state(), DisplayFilterEdit::State::Invalid);
        QCOMPARE(edit->palette().color(QPalette::Base), DisplayFilterEdit::colorFor(DisplayFilterEdit::State::Invalid));
        QCOMPARE(edit->message(), QStringLiteral("\"1.2.3\" is not a valid hostname or IPv4 address."));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(applied.count(), 0); // a bad filter can never be applied
        edit->clear();
        QTest::keyClicks(edit, "ssl.record");
        QCOMPARE(edit->state(), DisplayFilterEdit::State::Deprecated);
        QCOMPARE(edit->palette().color(QPalette::Base), DisplayFilterEdit::colorFor(DisplayFilterEdit::State::Deprecated));
        QVERIFY(edit->fieldCompleter()->model()->rowCount() > 100000);
    }

    void filtersShowExactlyTsharksPackets_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("minexmr") << "dns.qry.name contains \"minexmr\"";
        QTest::newRow("not 10/8") << "not ip.dst == 10.0.0.0/8";
        QTest::newRow("retransmission") << "tcp.analysis.retransmission";
        QTest::newRow("404") << "http.response.code == 404";
    }

    void filtersShowExactlyTsharksPackets()
    {
        QFETCH(QString, filter);
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->goToPacket(2);
        QTest::keyClicks(window_->filterEdit(), filter);
        QSignalSpy applied(&window_->session(), &CaptureSession::filterApplied);
        QTest::keyClick(window_->filterEdit(), Qt::Key_Return);
        QVERIFY(applied.wait(60000));
        QStringList expected = tshark({"-Y", filter, "-T", "fields", "-e", "frame.number"});
        QStringList shown;
        for (int row = 0; row < window_->packetList()->rowCount(); ++row)
            shown << QString::number(window_->packetList()->frameAt(row));
        QCOMPARE(shown, expected);
        // The selection stays on packet 2 when it still matches.
        if (expected.contains("2"))
            QCOMPARE(window_->packetList()->frameAt(window_->packetView()->currentIndex().row()), 2u);
    }

    void ourRecordsFilterInTheGui()
    {
        // The same dissectors run in the GUI: syscall records from the committed fixture.
        QVERIFY(window_->openFile(QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/records/syscalls.pcapng")));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        const int info = window_->packetList()->columnOfFormat(COL_INFO);
        QCOMPARE(window_->packetList()->index(1, info).data().toString(),
                 QStringLiteral("xmrig[4242]: mount(\"none\", \"/proc\", \"proc\") = -1 EPERM"));
        QSignalSpy applied(&window_->session(), &CaptureSession::filterApplied);
        window_->applyFilter(QStringLiteral("syscall.name == \"mount\" && syscall.ret < 0"));
        QVERIFY(applied.wait(10000));
        QCOMPARE(window_->packetList()->rowCount(), 1);
        window_->applyFilter(QStringLiteral("k8s.pod == \"frontend-abc123\""));
        QVERIFY(applied.wait(10000));
        QCOMPARE(window_->packetList()->rowCount(), 3);
        window_->goToPacket(1);
        bool sawProcess = false;
        for (int r = 0; r < window_->detailTree()->rowCount(); ++r)
            for (int c = 0; c < window_->detailTree()->rowCount(window_->detailTree()->index(r, 0)); ++c)
                if (window_->detailTree()->index(c, 0, window_->detailTree()->index(r, 0)).data(ProtoTreeModel::FieldNameRole) == "k8s.pod")
                    sawProcess = true;
        QVERIFY(sawProcess);
    }

    void badFilterIsNeverApplied()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        QString error;
        QVERIFY(!window_->session().applyFilter("tcp.port ==", &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(window_->session().displayed().size(), size_t(333));
    }

    // Analyze → Expert Information: every (severity, group, protocol, summary) with its count,
    // as `tshark -z expert` prints them; a packet row leads to its packet.
    void expertInformationEqualsTshark()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        AnalysisDialog* dialog = window_->showAnalysis(int(AnalysisDialog::Kind::Expert));
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        StatTreeModel* model = dialog->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QMap<QString, QString> levels{{"Errors", "Error"}, {"Warns", "Warning"}, {"Notes", "Note"},
                                            {"Chats", "Chat"}, {"Comments", "Comment"}};
        const QRegularExpression title(R"(^(\w+) \((\d+)\)$)");
        const QRegularExpression item(R"(^\s*(\d+)\s+(\S+)\s+(\S+)  (.*)$)");
        QSet<QString> expected;
        QString level;
        for (const QString& line : tshark({"-q", "-z", "expert"})) {
            if (const auto m = title.match(line); m.hasMatch()) {
                level = levels.value(m.captured(1));
                expected << level + "|" + m.captured(2);
            } else if (const auto m = item.match(line); m.hasMatch() && !level.isEmpty()) {
                expected << QStringList{level, m.captured(1), m.captured(2), m.captured(3), m.captured(4)}.join('|');
            }
        }
        QVERIFY(expected.size() > 2);
        QSet<QString> shown;
        QModelIndex firstFrame;
        for (int g = 0; g < model->rowCount(); ++g) {
            const QModelIndex group = model->index(g, 0);
            shown << group.data().toString() + "|" + model->index(g, 3).data().toString();
            for (int r = 0; r < model->rowCount(group); ++r) {
                auto v = [&](int c) { return model->index(r, c, group).data().toString(); };
                shown << QStringList{group.data().toString(), v(3), v(1), v(2), v(0)}.join('|');
                if (!firstFrame.isValid() && model->rowCount(model->index(r, 0, group)))
                    firstFrame = model->index(0, 0, model->index(r, 0, group));
            }
        }
        QCOMPARE(shown, expected);
        QVERIFY(firstFrame.isValid());
        QSignalSpy requested(dialog, &AnalysisDialog::frameRequested);
        emit dialog->view()->doubleClicked(
            qobject_cast<QSortFilterProxyModel*>(dialog->view()->model())->mapFromSource(firstFrame));
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toUInt(), firstFrame.data(StatTreeModel::FrameRole).toUInt());
    }

    // Statistics → Protocol Hierarchy: each protocol path's frames and bytes as `-z io,phs`.
    void protocolHierarchyEqualsTshark()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        AnalysisDialog* dialog = window_->showAnalysis(int(AnalysisDialog::Kind::Hierarchy));
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        StatTreeModel* model = dialog->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QRegularExpression line(R"(^( *)(\S+)\s+frames:(\d+) bytes:(\d+)$)");
        QStringList expected;
        for (const QString& l : tshark({"-q", "-z", "io,phs"}))
            if (const auto m = line.match(l); m.hasMatch())
                expected << QStringList{QString::number(m.captured(1).size() / 2), m.captured(2), m.captured(3),
                                        m.captured(4)}.join('|');
        QVERIFY(expected.size() > 4);
        QStringList shown;
        std::function<void(const QModelIndex&, int)> walk = [&](const QModelIndex& parent, int depth) {
            for (int r = 0; r < model->rowCount(parent); ++r) {
                const QModelIndex i = model->index(r, 0, parent);
                shown << QStringList{QString::number(depth), i.data(StatTreeModel::FilterRole).toString(),
                                     model->index(r, 2, parent).data().toString(),
                                     model->index(r, 4, parent).data().toString()}.join('|');
                walk(i, depth + 1);
            }
        };
        walk({}, 0);
        QCOMPARE(shown, expected);
        QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("100.00")); // frame: every packet
    }

    // epan's statistics trees (Statistics → HTTP, DNS, IPv4): every topic's count as tshark's.
    void statisticsTreesEqualTshark_data()
    {
        QTest::addColumn<QString>("tree");
        QTest::newRow("http") << "http";
        QTest::newRow("http_req") << "http_req";
        QTest::newRow("dns") << "dns";
        QTest::newRow("http_srv") << "http_srv"; // (ptype and plen come from a plugin; this test loads none)
    }

    void statisticsTreesEqualTshark()
    {
        QFETCH(QString, tree);
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        AnalysisDialog* dialog = window_->showAnalysis(int(AnalysisDialog::Kind::StatsTree), tree);
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        StatTreeModel* model = dialog->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Count"));
        // tshark's plain table: "Topic  Count  Average ..." columns two or more spaces apart.
        QSet<QString> expected;
        bool body = false;
        for (const QString& line : tshark({"-q", "-z", tree + ",tree"})) {
            if (line.startsWith("----")) {
                body = true;
                continue;
            }
            const QStringList cells = line.trimmed().split(QRegularExpression("\\s{2,}"));
            if (body && cells.size() >= 2)
                expected << cells[0] + "|" + cells[1];
        }
        QVERIFY(!expected.isEmpty());
        QSet<QString> shown;
        std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
            for (int r = 0; r < model->rowCount(parent); ++r) {
                shown << model->index(r, 0, parent).data().toString() + "|" + model->index(r, 1, parent).data().toString();
                walk(model->index(r, 0, parent));
            }
        };
        walk({});
        QCOMPARE(shown, expected);
    }

    void followTcpStreamEqualsCli()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->goToPacket(22); // tcp.stream 1
        FollowStreamDialog* dialog = window_->followStream("tcp");
        QVERIFY(waitFor(dialog, SIGNAL(followed())));
        QCOMPARE(dialog->streamFilter(), QStringLiteral("tcp.stream eq 1"));
        dialog->setFormat(FollowStreamDialog::Format::Raw);
        QStringList expected;
        for (const QString& line : run(QStringLiteral(SS_STRATOSHARK), {"-r", kSample, "-q", "-z", "follow,tcp,raw,1"}))
            if (!line.isEmpty() && !line.startsWith("===") && !line.contains(':'))
                expected << line.trimmed();
        QCOMPARE(dialog->text().trimmed().split('\n'), expected);
        dialog->setFormat(FollowStreamDialog::Format::Ascii);
        QVERIFY(dialog->text().startsWith("GET /api/data HTTP/1.1"));
        QVERIFY(dialog->find("404 File not found"));
        dialog->setSide(FollowStreamDialog::Side::ClientToServer);
        QVERIFY(!dialog->text().contains("404"));
    }

    // Faults found by trying the GUI as a Wireshark user (issue: GUI parity), one test each.
    void bytesAsciiHighlightIsUnderTheByte()
    {
        BytesView* view = window_->bytesView();
        QByteArray bytes;
        for (int i = 0; i < 40; ++i)
            bytes.append(char(i % 3 == 0 ? 0x20 : 'A' + i % 26)); // a space first: it keeps its column
        view->setBytes(bytes);
        for (int i = 0; i < bytes.size(); ++i) {
            view->highlight(i, 1);
            const auto selections = view->extraSelections();
            QCOMPARE(selections.size(), 2);
            QCOMPARE(selections[0].cursor.selectedText(), QString("%1").arg(uchar(bytes[i]), 2, 16, QChar('0')));
            QCOMPARE(selections[1].cursor.selectedText(), QString(QChar(bytes[i])));
        }
    }

    void closeForgetsTheFile()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        QVERIFY(window_->windowTitle().startsWith("sample.pcapng"));
        QVERIFY(!window_->findChild<QLabel*>("expertLabel")->text().isEmpty());
        window_->session().close();
        QCOMPARE(window_->windowTitle(), QStringLiteral("Stratoshark"));
        QVERIFY(window_->findChild<QLabel*>("expertLabel")->text().isEmpty());
        QCOMPARE(window_->findChild<QLabel*>("fileLabel")->text(), QStringLiteral("No capture file"));
    }

    void displayFilterOutlivesTheFileAndCancel()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->applyFilter("dns");
        QVERIFY(waitFor(&window_->session(), SIGNAL(filterApplied(QString))));
        // Another file: the filter is applied to it too, as Wireshark does.
        const QString other = QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/pcap/dns.pcapng");
        QSignalSpy applied(&window_->session(), &CaptureSession::filterApplied);
        QVERIFY(window_->openFile(other));
        QVERIFY(applied.wait(30000));
        QCOMPARE(window_->session().appliedFilter(), QStringLiteral("dns"));
        QCOMPARE(int(window_->session().displayed().size()),
                 int(run("tshark", {"-r", other, "-Y", "dns"}).size()));
        // A filter cancelled before it finished: the bar says what is displayed.
        window_->filterEdit()->setText("udp");
        window_->filterEdit()->apply();
        window_->session().cancelFiltering();
        QCOMPARE(window_->filterEdit()->text(), QStringLiteral("dns"));
        QCOMPARE(window_->session().appliedFilter(), QStringLiteral("dns"));
    }

    // A capture that carries its TLS secrets (a Decryption Secrets Block): the HTTP inside TLS
    // is listed and filterable, as in Wireshark (the secrets reach epan while loading).
    void decryptsWithTheFilesSecrets()
    {
        const QString tls = QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/pcap/tls13-dsb.pcapng");
        QVERIFY(window_->openFile(tls));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->applyFilter("http.request.uri == \"/inside-tls-1.3\"");
        QVERIFY(waitFor(&window_->session(), SIGNAL(filterApplied(QString))));
        QCOMPARE(window_->session().displayed(), std::vector<std::uint32_t>{12});
    }

    void filterCompletionAfterOperators()
    {
        DisplayFilterEdit* edit = window_->filterEdit();
        edit->setFocus();
        QTest::keyClicks(edit, "tcp && ip.sr");
        QCOMPARE(edit->wordAtCursor(), QStringLiteral("ip.sr"));
        QCOMPARE(edit->fieldCompleter()->completionPrefix(), QStringLiteral("ip.sr"));
        QVERIFY(edit->fieldCompleter()->completionCount() > 0);
        edit->insertCompletion("ip.src");
        QCOMPARE(edit->text(), QStringLiteral("tcp && ip.src"));
        edit->clear();
        QTest::keyClicks(edit, "!(dns.qry.na");
        QCOMPARE(edit->wordAtCursor(), QStringLiteral("dns.qry.na"));
        edit->insertCompletion("dns.qry.name");
        QCOMPARE(edit->text(), QStringLiteral("!(dns.qry.name"));
    }

    void exportRangeIsOfTheDisplayedPackets()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->applyFilter("dns");
        QVERIFY(waitFor(&window_->session(), SIGNAL(filterApplied(QString))));
        const QString out = QStringLiteral(SS_BINARY_DIR "/gui-export-range.pcapng");
        const int dnsInRange = int(tshark({"-Y", "dns && frame.number <= 10"}).size());
        QVERIFY(dnsInRange > 0 && dnsInRange < 10);
        QCOMPARE(window_->exportPackets(out, "1-10"), dnsInRange);
        QCOMPARE(window_->exportPackets(out, "1-10", false), 10); // Wireshark's "Captured"
        bool found = false;
        for (QAction* a : window_->findChildren<QAction*>())
            if (a->text() == "Save &As…") {
                QCOMPARE(a->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
                found = true;
            }
        QVERIFY(found);
    }

    void followAppliesTheStreamAndEnterFinds()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        window_->goToPacket(22); // tcp.stream 1
        QSignalSpy applied(&window_->session(), &CaptureSession::filterApplied);
        FollowStreamDialog* dialog = window_->followStream("tcp");
        QVERIFY(waitFor(dialog, SIGNAL(followed())));
        QVERIFY(applied.count() > 0 || applied.wait(10000));
        QCOMPARE(window_->session().appliedFilter(), QStringLiteral("tcp.stream eq 1"));
        // Enter in Find searches; it does not filter the stream out.
        auto* find = dialog->findChild<QLineEdit*>("followFind");
        QVERIFY(find);
        find->setText("404");
        QTest::keyClick(find, Qt::Key_Return);
        QCoreApplication::processEvents();
        QCOMPARE(window_->session().appliedFilter(), QStringLiteral("tcp.stream eq 1"));
        QVERIFY(dialog->isVisible());
        // Back restores the filter from before Follow (none: applied at once).
        for (QPushButton* b : dialog->findChildren<QPushButton*>())
            if (b->text() == "Back")
                b->click();
        QTRY_COMPARE_WITH_TIMEOUT(window_->session().appliedFilter(), QString(), 10000);
        QCOMPARE(int(window_->session().displayed().size()), int(window_->session().totalFrames()));
    }

    // The sample's 276 kB stream renders in slices (the window stays live) to the CLI's text.
    void bigStreamRendersInSlices()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        const QStringList big = tshark({"-Y", "tcp.port == 9000", "-T", "fields", "-e", "frame.number", "-e",
                                        "tcp.stream"});
        QVERIFY(!big.isEmpty());
        window_->goToPacket(big[0].section('\t', 0, 0).toUInt());
        FollowStreamDialog* dialog = window_->followStream("tcp");
        dialog->setSliceBudget(1);
        QSignalSpy rendered(dialog, &FollowStreamDialog::rendered);
        QVERIFY(waitFor(dialog, SIGNAL(followed())));
        QVERIFY(rendered.count() > 0 || rendered.wait(30000));
        rendered.clear();
        dialog->setFormat(FollowStreamDialog::Format::Raw);
        QVERIFY(dialog->rendering()); // not all at once
        QVERIFY(rendered.wait(30000));
        QVERIFY(dialog->renderSlices() > 1);
        QStringList expected;
        for (const QString& line : run(QStringLiteral(SS_STRATOSHARK),
                                       {"-r", kSample, "-q", "-z", "follow,tcp,raw," + big[0].section('\t', 1)}))
            if (!line.isEmpty() && !line.startsWith("===") && !line.contains(':'))
                expected << line.trimmed();
        QCOMPARE(dialog->text().trimmed().split('\n'), expected);
    }

    // A subtree opened on one packet is open on the next (Wireshark's behaviour), until closed.
    void expandedSubtreesStayExpanded()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        auto find = [&](const QString& field) {
            for (int r = 0; r < window_->detailTree()->rowCount(); ++r) {
                const QModelIndex i = window_->detailTree()->index(r, 0);
                if (i.data(ProtoTreeModel::FieldNameRole).toString() == field)
                    return i;
            }
            return QModelIndex();
        };
        window_->goToPacket(1);
        QVERIFY(find("ip").isValid() && !window_->detailView()->isExpanded(find("ip")));
        window_->detailView()->expand(find("ip"));
        window_->goToPacket(2);
        QVERIFY(window_->detailView()->isExpanded(find("ip")));
        QVERIFY(!window_->detailView()->isExpanded(find("frame")));
        window_->detailView()->collapse(find("ip"));
        window_->goToPacket(3);
        QVERIFY(!window_->detailView()->isExpanded(find("ip")));
    }

    void unreadableAndDamagedFilesKeepTheWindowUsable()
    {
        QVERIFY(!window_->openFile("/nonexistent/capture.pcapng"));
        QVERIFY(window_->isVisible());
        QVERIFY(!window_->session().isOpen());
        // A capture cut inside its 4th record: three packets load, the error is reported.
        const QString cut = QStringLiteral(SS_BINARY_DIR "/gui-cut.pcap");
        QFile in(QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/pcap/ssh.pcap"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QFile out(cut);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(in.read(300));
        out.close();
        QSignalSpy finished(&window_->session(), &CaptureSession::loadFinished);
        QVERIFY(window_->openFile(cut));
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.first().first().toString().contains("cut short"));
        QCOMPARE(window_->packetList()->rowCount(), 3);
        QVERIFY(window_->openFile(kSample)); // still usable
    }

private:
    EpanRuntime& runtime_;
    std::unique_ptr<MainWindow> window_;
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName("StratosharkTests"); // keep the user's settings apart
    // … and the user's Wireshark configuration: profiles, preferences and colorfilters of
    // these tests (and of the tshark they run) go to a folder of their own.
    QTemporaryDir wiresharkConfig;
    qputenv("WIRESHARK_CONFIG_DIR", wiresharkConfig.path().toLocal8Bit());
    EpanRuntime::Options options;
    options.loadPlugins = false;
    options.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
    EpanRuntime runtime(argv[0], options);
    colorrules::load();
    // Two test classes in one process (epan initialises once). Test functions named on the
    // command line go to the class that has them; options go to both.
    GuiTest core(runtime);
    QObject holder;
    QObject* analysis = makeAnalysisGuiTest(runtime, &holder);
    QObject* conversations = makeConversationGuiTest(runtime, &holder);
    QObject* packetList = makePacketListGuiTest(runtime, &holder);
    QObject* settings = makeSettingsGuiTest(runtime, &holder);
    int failures = 0;
    for (QObject* test : {static_cast<QObject*>(&core), analysis, conversations, packetList, settings}) {
        QStringList args{QString::fromLocal8Bit(argv[0])};
        bool named = false, mine = false;
        for (int i = 1; i < argc; ++i) {
            const QString arg = QString::fromLocal8Bit(argv[i]);
            if (arg.startsWith('-')) {
                args << arg;
                continue;
            }
            named = true;
            if (test->metaObject()->indexOfMethod((arg.section(':', 0, 0) + "()").toLatin1()) >= 0) {
                args << arg;
                mine = true;
            }
        }
        if (!named || mine)
            failures += QTest::qExec(test, args);
    }
    return failures;
}

#include "tst_gui.moc"
