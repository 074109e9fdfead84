// SPDX-License-Identifier: GPL-2.0-or-later
// GUI tests of what Wireshark users do to packets in the list (QtTest, offscreen): Mark,
// Ignore, Time Reference, the context menu's filters from the clicked cell, Conversation
// Filter, Colorize Conversation and Copy — against tshark run on the same capture.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFile>
#include <QMenu>
#include <QProcess>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTreeView>
#include <QTableView>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

#include "bytes_view.h"
#include "capture_session.h"
#include "epan_runtime.h"
#include "export_dialog.h"
#include "find_bar.h"
#include "view_settings.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "models/packet_list_model.h"
#include "models/proto_tree_model.h"
#include "packet_columns.h"
#include "packet_list_actions.h"
#include "tst_gui_packet_list.h"

using namespace ss;
using namespace ss::ui;
using Flag = RandomAccessCapture::Flag;

class PacketListGuiTest : public QObject {
    Q_OBJECT
public:
    explicit PacketListGuiTest(EpanRuntime& runtime) : runtime_(runtime) {}

private slots:
    void init()
    {
        window_ = windowOnSample<MainWindow>(runtime_);
        QVERIFY(window_);
        model_ = window_->packetList();
        if (lengths_.isEmpty())
            lengths_ = tshark({"-T", "fields", "-e", "frame.len"});
    }
    void cleanup() { window_.reset(); }

    // Ctrl+M marks (Wireshark's colours; frame.marked filters it), Ctrl+Shift+N/B go round
    // the marked packets; Ctrl+D ignores (not dissected: frame.ignored).
    void markAndIgnore()
    {
        QAbstractItemModelTester tester(model_, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QColor plain = row(3).data(Qt::BackgroundRole).value<QColor>();
        window_->goToPacket(3);
        trigger("actionEditMarkPacket");
        window_->goToPacket(30);
        trigger("actionEditMarkPacket");
        QVERIFY(model_->flag(3, Flag::Marked));
        const e_prefs* prefs = runtime_.prefs();
        const QColor marked(prefs->gui_marked_bg.red >> 8, prefs->gui_marked_bg.green >> 8, prefs->gui_marked_bg.blue >> 8);
        QCOMPARE(row(3).data(Qt::BackgroundRole).value<QColor>(), marked);
        QVERIFY(marked != plain);
        window_->goToPacket(1);
        trigger("actionEditNextMark");
        QCOMPARE(current(), 3u);
        trigger("actionEditNextMark");
        QCOMPARE(current(), 30u);
        trigger("actionEditNextMark"); // round again
        QCOMPARE(current(), 3u);
        trigger("actionEditPreviousMark");
        QCOMPARE(current(), 30u);
        filter("frame.marked == 1");
        QCOMPARE(window_->session().displayed(), (std::vector<std::uint32_t>{3, 30}));
        filter("frame.number == 3"); // Unmark All *Displayed* leaves 30 (not displayed) marked
        trigger("actionEditUnmarkAllDisplayed");
        QVERIFY(!model_->flag(3, Flag::Marked) && model_->flag(30, Flag::Marked));
        filter("frame.marked == 1");
        trigger("actionEditUnmarkAllDisplayed");
        QVERIFY(!model_->flag(30, Flag::Marked));
        filter("");
        QCOMPARE(row(3).data(Qt::BackgroundRole).value<QColor>(), plain);

        const int protocol = model_->columnOfFormat(COL_PROTOCOL);
        QCOMPARE(row(5, protocol).data().toString(), QStringLiteral("DNS"));
        window_->goToPacket(5);
        trigger("actionEditIgnorePacket");
        QVERIFY(row(5, protocol).data().toString() != QStringLiteral("DNS"));
        filter("frame.ignored == 1 || (dns && frame.number == 5)");
        QCOMPARE(window_->session().displayed(), (std::vector<std::uint32_t>{5}));
    }

    // Ctrl+T: the packet's Time is *REF*, later packets count from it (tshark's times).
    void timeReference()
    {
        const int time = model_->columnOfFormat(COL_CLS_TIME);
        const QStringList epoch = tshark({"-T", "fields", "-e", "frame.time_epoch"});
        window_->goToPacket(10);
        trigger("actionEditSetTimeReference");
        QCOMPARE(row(10, time).data().toString(), QStringLiteral("*REF*"));
        for (int frame : {12, 100, 333})
            QVERIFY(qAbs(row(std::uint32_t(frame), time).data().toString().toDouble() -
                         (epoch[frame - 1].toDouble() - epoch[9].toDouble())) < 1e-6);
        QVERIFY(qAbs(row(9, time).data().toString().toDouble() - (epoch[8].toDouble() - epoch[0].toDouble())) < 1e-6);
        trigger("actionEditUnsetAllTimeReferences");
        QVERIFY(row(10, time).data().toString() != QStringLiteral("*REF*"));
    }

    // Right-click a cell: Apply as Filter uses its column's field (Source → ip.src == …);
    // Conversation Filter gives epan's filters; both show what tshark shows with them.
    void contextMenuFilters()
    {
        const int source = model_->columnOfFormat(COL_DEF_SRC);
        const QModelIndex cell = row(22, source);
        QMenu* menu = window_->listActions()->contextMenu(cell, window_.get());
        QStringList titles;
        for (QAction* a : menu->actions())
            titles << a->text();
        for (const char* expected : {"Apply as Filter", "Prepare as Filter", "Conversation Filter",
                                     "Colorize Conversation", "Follow", "Copy"})
            QVERIFY2(titles.contains(expected), expected);
        QVERIFY(titles.contains(window_->findChild<QAction*>("actionEditMarkPacket")->text()));
        const QString src = tshark({"-Y", "frame.number == 22", "-T", "fields", "-e", "ip.src"}).value(0);
        QCOMPARE(window_->listActions()->cellFilter(cell), QStringLiteral("ip.src == %1").arg(src));
        QAction* selected = nullptr;
        for (QAction* a : menu->actions())
            if (a->text() == "Apply as Filter")
                selected = a->menu()->actions().value(0);
        QVERIFY(selected);
        selected->trigger();
        QVERIFY(waitFor(&window_->session(), SIGNAL(filterApplied(QString))));
        QCOMPARE(window_->session().appliedFilter(), QStringLiteral("ip.src == %1").arg(src));
        QCOMPARE(int(window_->session().displayed().size()), tshark({"-Y", "ip.src == " + src}).size());
        delete menu;

        const auto conversations = window_->listActions()->conversationFilters(22);
        QStringList names;
        for (const auto& [name, filter] : conversations)
            names << name;
        QVERIFY2(names.contains("TCP") && names.contains("IPv4"), qPrintable(names.join(',')));
        for (const auto& [name, filter] : conversations) {
            this->filter(filter);
            QCOMPARE(int(window_->session().displayed().size()), tshark({"-Y", filter}).size());
        }
    }

    // Colorize Conversation: the conversation's rows take temporary rule 1's colour.
    void colorizeConversation()
    {
        QString tcp;
        for (const auto& [name, filter] : window_->listActions()->conversationFilters(22))
            if (name == "TCP")
                tcp = filter;
        const QColor before = row(22).data(Qt::BackgroundRole).value<QColor>();
        window_->listActions()->colorize(1, tcp);
        const color_filter_t* rule = color_filters_tmp_color(1);
        const QColor expected(rule->bg_color.red >> 8, rule->bg_color.green >> 8, rule->bg_color.blue >> 8);
        QCOMPARE(row(22).data(Qt::BackgroundRole).value<QColor>(), expected);
        QVERIFY(row(1).data(Qt::BackgroundRole).value<QColor>() != expected); // DNS, not in it
        window_->listActions()->colorize(0, {});
        QCOMPARE(row(22).data(Qt::BackgroundRole).value<QColor>(), before);
    }

    // Copy: the summary as text / CSV / YAML from the row's columns; the bytes as tshark -x's.
    void copyFormats()
    {
        window_->goToPacket(22);
        QStringList columns;
        for (int c = 0; c < model_->columnCount(); ++c)
            columns << row(22, c).data().toString();
        PacketListActions* actions = window_->listActions();
        actions->copySummary(SummaryFormat::Text);
        QCOMPARE(QApplication::clipboard()->text(), columns.join('\t'));
        actions->copySummary(SummaryFormat::Csv);
        QCOMPARE(QApplication::clipboard()->text(), '"' + columns.join("\",\"") + '"');
        actions->copySummary(SummaryFormat::Yaml);
        QVERIFY(QApplication::clipboard()->text().startsWith("----\n# Packet 22 from sample.pcapng\n- 22\n"));
        QString hex; // tshark -x's bytes
        for (const QString& line : tshark({"-Y", "frame.number == 22", "-x"}))
            hex += line.mid(6, 47).remove(' ');
        actions->copyBytes(BytesFormat::HexStream);
        QCOMPARE(QApplication::clipboard()->text(), hex);
        actions->copyBytes(BytesFormat::HexAsciiDump);
        const QStringList dump = QApplication::clipboard()->text().split('\n', Qt::SkipEmptyParts);
        QCOMPARE(dump.size(), (hex.size() / 2 + 15) / 16);
        QVERIFY(dump[0].startsWith("0000   00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00   ..............E."));
        actions->copyBytes(BytesFormat::EscapedString);
        QCOMPARE(QApplication::clipboard()->text().count("\\x"), hex.size() / 2);
    }

    // Packet Comment… (Ctrl+Alt+C): shown at once (frame.comment filters it, the tree shows
    // it), written into the packet's block by Save As / Export as pcapng, where stock tshark
    // reads it; an empty comment removes it.
    void packetComment()
    {
        window_->goToPacket(5);
        QVERIFY(window_->listActions()->setPacketComment(5, "checked by ops"));
        QCOMPARE(window_->listActions()->packetComment(5), QStringLiteral("checked by ops"));
        bool shown = false;
        std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
            for (int r = 0; r < window_->detailTree()->rowCount(parent); ++r) {
                const QModelIndex i = window_->detailTree()->index(r, 0, parent);
                shown = shown || i.data().toString().contains("checked by ops");
                walk(i);
            }
        };
        walk({});
        QVERIFY(shown);
        filter("frame.comment contains \"checked by ops\"");
        QCOMPARE(window_->session().displayed(), (std::vector<std::uint32_t>{5}));
        filter("");
        QTemporaryDir dir;
        const QString out = dir.filePath("commented.pcapng");
        QVERIFY(window_->exportPackets(out, "", false) > 0);
        QCOMPARE(run("tshark", {"-r", out, "-Y", "frame.comment == \"checked by ops\"", "-T", "fields", "-e",
                                "frame.number"}),
                 QStringList{"5"});
        QCOMPARE(run("tshark", {"-r", out, "-Y", "frame.comment"}).size(), 1); // no other packet has one
        QVERIFY(window_->listActions()->setPacketComment(5, ""));
        QVERIFY(window_->listActions()->packetComment(5).isEmpty());
        filter("frame.comment");
        QVERIFY(window_->session().displayed().empty());
        QVERIFY(!window_->listActions()->setPacketComment(100000, "no such packet"));
    }

    // The bytes pane has a tab per data source: a response reassembled from two segments
    // shows "Reassembled TCP (N bytes)" holding tshark's tcp.reassembled.data; selecting an
    // HTTP field switches to that tab, a TCP field back to the frame's.
    void bytesTabPerDataSource()
    {
        const QStringList reassembled = tshark({"-Y", "tcp.reassembled.length", "-T", "fields", "-e", "frame.number",
                                                "-e", "tcp.reassembled.length", "-e", "tcp.reassembled.data"});
        QVERIFY(!reassembled.isEmpty());
        const QStringList first = reassembled.first().split('\t');
        window_->goToPacket(first[0].toUInt());
        QTabWidget* tabs = window_->byteTabs();
        QCOMPARE(tabs->count(), 2);
        QVERIFY(tabs->tabText(0).startsWith("Frame ("));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Reassembled TCP (%1 bytes)").arg(first[1]));
        QCOMPARE(window_->detailTree()->dataSources()[1].bytes.toHex(), first[2].toLatin1());
        QModelIndex code, port;
        std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
            for (int r = 0; r < window_->detailTree()->rowCount(parent); ++r) {
                const QModelIndex i = window_->detailTree()->index(r, 0, parent);
                const QString field = i.data(ProtoTreeModel::FieldNameRole).toString();
                if (field == "http.response.code")
                    code = i;
                if (field == "tcp.srcport")
                    port = i;
                walk(i);
            }
        };
        walk({});
        QVERIFY(code.isValid() && port.isValid());
        QCOMPARE(code.data(ProtoTreeModel::DataSourceRole).toInt(), 1);
        window_->detailView()->setCurrentIndex(code);
        QCOMPARE(tabs->currentIndex(), 1);
        QVERIFY(window_->bytesViewOf(1)->textCursor().hasSelection() ||
                !window_->bytesViewOf(1)->extraSelections().isEmpty());
        window_->detailView()->setCurrentIndex(port);
        QCOMPARE(tabs->currentIndex(), 0);
        // a packet of one source: one tab, its bar hidden
        window_->goToPacket(1);
        QCOMPARE(tabs->count(), 1);
    }

    // Export Specified Packets: Wireshark's range box — counts for Captured and Displayed
    // (a time reference counts as displayed), marked only, first to last marked, remove
    // ignored — and the file written in the chosen format.
    void exportSpecifiedPackets()
    {
        for (std::uint32_t f : {3u, 5u, 40u})
            model_->setFlag({f}, Flag::Marked, true);
        model_->setFlag({5}, Flag::Ignored, true);
        model_->setFlag({22}, Flag::TimeReference, true);
        filter("dns"); // frames 1–4 and 6 (5 is ignored: no DNS), and 22 as a time reference
        QCOMPARE(window_->session().displayed(), (std::vector<std::uint32_t>{1, 2, 3, 4, 6, 22}));
        window_->goToPacket(2);
        ExportDialog* dialog = window_->exportDialog(false);
        QVERIFY(dialog);
        using Scope = PacketRange::Scope;
        QCOMPARE(dialog->countText(Scope::All, false), QStringLiteral("333"));
        QCOMPARE(dialog->countText(Scope::All, true), QStringLiteral("6"));
        QCOMPARE(dialog->countText(Scope::Selected, true), QStringLiteral("1"));
        QCOMPARE(dialog->countText(Scope::Marked, false), QStringLiteral("3"));
        QCOMPARE(dialog->countText(Scope::Marked, true), QStringLiteral("1"));
        QCOMPARE(dialog->countText(Scope::FirstToLastMarked, false), QStringLiteral("38"));
        QCOMPARE(dialog->countText(Scope::FirstToLastMarked, true), QStringLiteral("4")); // 3, 4, 6, 22
        const QString out = QStringLiteral(SS_BINARY_DIR "/gui-export-marked.pcapng");
        QFile::remove(out);
        dialog->setPath(out);
        dialog->setRange({Scope::FirstToLastMarked, {}, false, true});
        QCOMPARE(dialog->countText(Scope::FirstToLastMarked, false), QStringLiteral("37")); // 5 removed
        dialog->setRange({Scope::FirstToLastMarked, {}, true, true});
        dialog->accept();
        QCOMPARE(run("tshark", {"-r", out, "-T", "fields", "-e", "frame.len"}),
                 (QStringList{lengths_[2], lengths_[3], lengths_[5], lengths_[21]}));

        dialog = window_->exportDialog(false);
        const QString pcap = QStringLiteral(SS_BINARY_DIR "/gui-export-range.pcap");
        QFile::remove(pcap);
        dialog->setPath(pcap);
        int pcapType = -1;
        for (const auto& format : ExportDialog::formatsFor(WTAP_ENCAP_ETHERNET))
            if (format.extension == "pcap" && pcapType < 0)
                pcapType = format.fileType;
        QVERIFY(pcapType >= 0);
        dialog->setFileType(pcapType);
        dialog->setRange({Scope::Range, "2-4,300-", false, false});
        QCOMPARE(dialog->countText(Scope::Range, false), QStringLiteral("37"));
        dialog->accept();
        QFile file(pcap);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray magic = file.read(4).toHex();
        QVERIFY2(magic == "d4c3b2a1" || magic == "a1b2c3d4", magic.constData());
        QCOMPARE(run("tshark", {"-r", pcap}).size(), 37);
    }

    // Edit → Find Packet: each kind of search finds the packets tshark's equivalent filter
    // finds, in list order, wrapping; Ctrl+N / Ctrl+B; bad input is refused with a message.
    void findPacket()
    {
        FindBar* bar = window_->findBar();
        PacketSearch& search = bar->search();
        auto frames = [](const QString& filter) {
            QStringList found = tshark({"-Y", filter, "-T", "fields", "-e", "frame.number"});
            std::vector<std::uint32_t> out;
            for (const QString& f : found)
                out.push_back(f.toUInt());
            return out;
        };
        auto findFrom = [&](std::uint32_t from, const SearchSpec& spec, bool forward = true) -> std::uint32_t {
            window_->goToPacket(from);
            bar->setSpec(spec);
            QSignalSpy found(&search, &PacketSearch::found);
            QSignalSpy none(&search, &PacketSearch::notFound);
            bar->find(forward);
            if (!QTest::qWaitFor([&] { return !found.isEmpty() || !none.isEmpty(); }, 30000))
                return 0;
            return found.isEmpty() ? 0 : current();
        };
        using Kind = SearchSpec::Kind;
        using Where = SearchSpec::Where;
        const auto requests = frames("http.request");
        QVERIFY(requests.size() >= 2);
        QCOMPARE(findFrom(1, {Kind::DisplayFilter, Where::List, "http.request"}), requests[0]);
        trigger("actionEditFindNext");
        QVERIFY(waitFor(&search, SIGNAL(found(int)), 30000));
        QCOMPARE(current(), requests[1]);
        QCOMPARE(findFrom(requests[0], {Kind::DisplayFilter, Where::List, "http.request"}, false), requests.back());
        QCOMPARE(findFrom(1, {Kind::Hex, Where::Bytes, "7f:00:00:42"}), frames("frame contains 7f:00:00:42").at(0));
        QCOMPARE(findFrom(333, {Kind::String, Where::Bytes, "MINEXMR"}), 1u); // round from the end
        QCOMPARE(findFrom(1, {Kind::String, Where::Bytes, "MINEXMR", true}), 0u); // case-sensitive: none
        QCOMPARE(findFrom(1, {Kind::String, Where::List, "404"}), frames("http.response.code == 404").at(0));
        QCOMPARE(findFrom(1, {Kind::String, Where::Details, "Standard query response"}),
                 frames("dns.flags.response == 1").at(0));
        QCOMPARE(findFrom(1, {Kind::Regex, Where::Bytes, "get /api/\\w+"}),
                 frames("frame matches \"GET /api/\\\\w+\"").at(0));
        // Many slices, with progress, for a search that finds nothing.
        search.setSliceBudget(0);
        QSignalSpy progress(&search, &PacketSearch::progress);
        QCOMPARE(findFrom(1, {Kind::String, Where::Bytes, "no such text anywhere"}), 0u);
        QVERIFY(progress.size() > 10);
        // Refused: a bad filter or hex says why and does not search.
        QSignalSpy said(bar, &FindBar::message);
        bar->setSpec({Kind::DisplayFilter, Where::List, "http.request ==="});
        bar->find(true);
        QVERIFY(!search.running());
        bar->setSpec({Kind::Hex, Where::Bytes, "7g"});
        bar->find(true);
        QVERIFY(!search.running());
        QCOMPARE(said.size(), 2);
        QVERIFY(said.at(1).at(0).toString().contains("hex"));
    }

    // View → Time Display Format: the Time column is tshark -t's, format by format (since
    // the previous displayed packet under a filter too); precision; name resolution as -N.
    void timeFormatsAndNameResolution()
    {
        const int time = model_->columnOfFormat(COL_CLS_TIME);
        auto column = [&](int c) {
            QStringList texts;
            for (int r = 0; r < model_->rowCount(); ++r)
                texts << model_->index(r, c).data().toString();
            return texts;
        };
        const struct {
            int type;
            const char* flag;
        } kFormats[] = {{TS_ABSOLUTE_WITH_YMD, "ad"}, {TS_ABSOLUTE_WITH_YDOY, "adoy"}, {TS_ABSOLUTE, "a"},
                        {TS_EPOCH, "e"},            {TS_DELTA, "d"},                 {TS_UTC_WITH_YMD, "ud"},
                        {TS_UTC_WITH_YDOY, "udoy"}, {TS_UTC, "u"},                   {TS_RELATIVE, "r"}};
        for (const auto& f : kFormats) {
            trigger(qPrintable(QStringLiteral("actionViewTimeFormat%1").arg(f.type)));
            QCOMPARE(column(time), tshark({"-t", f.flag, "-T", "fields", "-e", "_ws.col.Time"}));
        }
        filter("dns || http");
        trigger(qPrintable(QStringLiteral("actionViewTimeFormat%1").arg(TS_DELTA_DIS)));
        QCOMPARE(column(time), tshark({"-Y", "dns || http", "-t", "dd", "-T", "fields", "-e", "_ws.col.Time"}));
        trigger(qPrintable(QStringLiteral("actionViewTimePrecision%1").arg(TS_PREC_FIXED_MSEC)));
        QVERIFY(column(time).filter(QRegularExpression("^\\d+\\.\\d{3}$")).size() == model_->rowCount());
        window_->viewSettings()->setTimePrecision(TS_PREC_AUTO);
        window_->viewSettings()->setTimeFormat(TS_RELATIVE);

        const int info = model_->columnOfFormat(COL_INFO);
        const bool m = gbl_resolv_flags.mac_name, n = gbl_resolv_flags.network_name, t = gbl_resolv_flags.transport_name;
        window_->viewSettings()->setNameResolution(false, false, false);
        QCOMPARE(column(info), tshark({"-Y", "dns || http", "-n", "-T", "fields", "-e", "_ws.col.Info"}));
        window_->viewSettings()->setNameResolution(false, false, true);
        QCOMPARE(column(info), tshark({"-Y", "dns || http", "-N", "t", "-T", "fields", "-e", "_ws.col.Info"}));
        window_->viewSettings()->setNameResolution(m, n, t);
    }

    // Zoom changes the panes' font; Reload opens the file again on the same packet and filter.
    void zoomAndReload()
    {
        const int base = window_->packetView()->font().pointSize();
        window_->viewSettings()->zoom(2);
        QCOMPARE(window_->packetView()->font().pointSize(), base + 2);
        window_->viewSettings()->zoom(0);
        QCOMPARE(window_->packetView()->font().pointSize(), base);
        filter("tcp");
        window_->goToPacket(22);
        QSignalSpy loaded(&window_->session(), &CaptureSession::loadFinished);
        trigger("actionViewReload");
        QVERIFY(loaded.wait(30000));
        QVERIFY(QTest::qWaitFor([&] { return current() == 22u; }, 30000));
        QCOMPARE(window_->session().appliedFilter(), QStringLiteral("tcp"));
    }

    // The main toolbar: Wireshark's buttons in its order, each with an icon; Colorize turns
    // the colouring rules off and on; Ctrl+R is Reload (Restart only while capturing).
    void mainToolBar()
    {
        auto* bar = window_->findChild<QToolBar*>("mainToolBar");
        QVERIFY(bar);
        QStringList names;
        for (QAction* a : bar->actions())
            if (!a->isSeparator()) {
                names << a->objectName();
                QVERIFY2(!a->icon().isNull(), qPrintable(a->objectName()));
            }
        QCOMPARE(names, (QStringList{"actionCaptureStartStop", "actionCaptureRestart", "actionCaptureOptions",
                                     "actionFileOpen", "actionFileSaveAs", "actionFileClose", "actionViewReload",
                                     "actionEditFindPacket", "actionGoPreviousPacket", "actionGoNextPacket",
                                     "actionGoGoToPacket", "actionGoFirstPacket", "actionGoLastPacket",
                                     "actionGoAutoScroll", "actionViewColorizePacketList", "actionViewZoomIn",
                                     "actionViewZoomOut", "actionViewNormalSize", "actionViewResizeColumns"}));
        QVERIFY(row(22).data(Qt::BackgroundRole).isValid());
        trigger("actionViewColorizePacketList");
        QVERIFY(!row(22).data(Qt::BackgroundRole).isValid());
        trigger("actionViewColorizePacketList");
        QVERIFY(row(22).data(Qt::BackgroundRole).isValid());
        QVERIFY(window_->findChild<QAction*>("actionViewReload")->isEnabled());
        QVERIFY(!window_->findChild<QAction*>("actionCaptureRestart")->isEnabled());
        window_->goToPacket(1);
        trigger("actionGoLastPacket");
        QCOMPARE(current(), 333u);
    }

    // Apply as Column: a custom column of epan's, its texts tshark's for the same field;
    // removable from the header's menu. Process and Pod columns appear for a file with
    // process metadata (editcap-written comments, ptcpdump's keys) and go for one without.
    void columns()
    {
        const int before = model_->columnCount();
        const int stream = window_->applyAsColumn("tcp.stream");
        QCOMPARE(model_->columnCount(), before + 1);
        QCOMPARE(model_->headerData(stream, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Stream index"));
        QStringList ours;
        for (int r = 0; r < model_->rowCount(); ++r)
            ours << model_->index(r, stream).data().toString();
        QCOMPARE(ours, tshark({"-T", "fields", "-e", "tcp.stream"}));
        QCOMPARE(window_->applyAsColumn("tcp.stream"), stream); // once
        QMenu* menu = window_->columns()->headerMenu(stream, window_.get());
        QAction* remove = nullptr;
        for (QAction* a : menu->actions())
            if (a->text() == "Remove This Column")
                remove = a;
        QVERIFY(remove && remove->isEnabled());
        remove->trigger();
        delete menu;
        QCOMPARE(model_->columnCount(), before);
        QCOMPARE(window_->columns()->columnOf("tcp.stream"), -1);

        const QString tagged = QStringLiteral(SS_BINARY_DIR "/gui-process-columns.pcapng");
        QFile::remove(tagged);
        QCOMPARE(QProcess::execute("editcap", {"-a", "1:PID: 42\nCmd: /usr/bin/curl\nPodName: web-1\nPodNamespace: shop",
                                               "-a", "3:PID: 43\nCmd: /usr/bin/dig", kSample, tagged}),
                 0);
        QVERIFY(window_->openFile(tagged));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        const int process = window_->columns()->columnOf("proc.label");
        const int pod = window_->columns()->columnOf("k8s.label");
        QVERIFY(process >= 0 && pod >= 0);
        QCOMPARE(model_->headerData(process, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Process"));
        QCOMPARE(row(1, process).data().toString(), QStringLiteral("curl[42]"));
        QCOMPARE(row(1, pod).data().toString(), QStringLiteral("shop/web-1"));
        QCOMPARE(row(3, process).data().toString(), QStringLiteral("dig[43]"));
        QCOMPARE(row(2, process).data().toString(), QString());
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        QCOMPARE(window_->columns()->columnOf("proc.label"), -1);
        QCOMPARE(model_->columnCount(), before);
    }

    // File → Merge: the two files in time order, as mergecap writes them; a file that is not
    // a capture is refused and the open one stays.
    void mergeFiles()
    {
        const QString other = QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/pcap/curl-user.pcapng");
        QSignalSpy loaded(&window_->session(), &CaptureSession::loadFinished);
        const QString merged = window_->mergeWith(other);
        QVERIFY(!merged.isEmpty());
        QVERIFY(!loaded.isEmpty() || loaded.wait(30000));
        const QString reference = QStringLiteral(SS_BINARY_DIR "/gui-merge-reference.pcapng");
        QCOMPARE(QProcess::execute("mergecap", {"-w", reference, kSample, other}), 0);
        auto times = [](const QString& file) {
            return run("tshark", {"-r", file, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len"});
        };
        QCOMPARE(int(window_->session().totalFrames()), times(reference).size());
        QCOMPARE(times(merged), times(reference));
        QSignalSpy said(window_->statusBar(), &QStatusBar::messageChanged);
        QVERIFY(window_->mergeWith(QStringLiteral(SS_SOURCE_DIR "/README.md")).isEmpty());
        QCOMPARE(window_->session().path(), merged); // still open
        QVERIFY(!said.isEmpty() && said.last().at(0).toString().contains("README.md"));
        QFile::remove(merged);
    }

    // Loading tells the list about new frames in batches — at most every 100 ms, the first
    // slice's at once, the rest at the end — not after every slice: each row-count change
    // relayouts and repaints the list (a 1 M-packet load took 12.0 s that way, 9.1 s batched).
    void loadingAnnouncesFramesInBatches()
    {
        QAbstractItemModelTester tester(model_, QAbstractItemModelTester::FailureReportingMode::QtTest);
        CaptureSession& session = window_->session();
        session.setSliceBudget(1); // ~2,800 frames in many slices
        std::vector<std::pair<std::size_t, std::size_t>> announced;
        QObject guard;
        connect(&session, &CaptureSession::framesAdded, &guard,
                [&announced](std::size_t from, std::size_t count) { announced.emplace_back(from, count); });
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window_->openFile(QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/slices/node-mix.pcapng")));
        QVERIFY(waitFor(&session, SIGNAL(loadFinished(QString))));
        const qint64 ms = clock.elapsed();
        QVERIFY(!announced.empty());
        std::size_t next = 0;
        for (const auto& [from, count] : announced) { // contiguous, from the first frame
            QCOMPARE(from, next);
            next += count;
        }
        QCOMPARE(next, std::size_t(2817));
        QCOMPARE(model_->rowCount(), 2817);
        QVERIFY2(announced.size() <= std::size_t(2 + ms / 100),
                 qPrintable(QStringLiteral("%1 announcements in %2 ms").arg(announced.size()).arg(ms)));
    }

private:
    QModelIndex row(std::uint32_t frame, int column = 0) const
    {
        return model_->index(model_->rowOfFrame(frame), column);
    }
    void filter(const QString& text)
    {
        QSignalSpy applied(&window_->session(), &CaptureSession::filterApplied);
        window_->applyFilter(text);
        QVERIFY(!applied.isEmpty() || applied.wait(60000));
    }
    std::uint32_t current() const { return model_->frameAt(window_->packetView()->currentIndex().row()); }
    void trigger(const char* name)
    {
        QAction* action = window_->findChild<QAction*>(QString::fromLatin1(name));
        QVERIFY2(action, name);
        action->trigger();
    }

    EpanRuntime& runtime_;
    std::unique_ptr<MainWindow> window_;
    PacketListModel* model_ = nullptr;
    QStringList lengths_; // tshark's frame.len, by frame
};

QObject* makePacketListGuiTest(ss::EpanRuntime& runtime, QObject* parent)
{
    auto* test = new PacketListGuiTest(runtime);
    test->setParent(parent);
    return test;
}

#include "tst_gui_packet_list.moc"
