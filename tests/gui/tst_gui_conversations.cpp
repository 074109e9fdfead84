// SPDX-License-Identifier: GPL-2.0-or-later
// GUI tests of Statistics → Conversations and Endpoints (QtTest, offscreen): the tables
// against tshark's, the fast path against epan's tap pass, name resolution and sorting as
// Wireshark 4.0 sorts them.
#include <QAbstractItemModelTester>
#include <QDataStream>
#include <QFile>
#include <QHeaderView>
#include <QPersistentModelIndex>
#include <QRegularExpression>
#include <QSet>
#include <QTableView>
#include <QTest>

#include <tuple>

#include "capture_session.h"
#include "conversation_dialog.h"
#include "epan_runtime.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "models/conversation_model.h"
#include "tst_gui_conversations.h"

using namespace ss;
using namespace ss::ui;

class ConversationGuiTest : public QObject {
    Q_OBJECT
public:
    explicit ConversationGuiTest(EpanRuntime& runtime) : runtime_(runtime) {}

private slots:
    void init()
    {
        window_ = std::make_unique<MainWindow>(runtime_);
        window_->session().setSliceBudget(5);
        window_->show();
    }
    void cleanup() { window_.reset(); }

    void conversationsEqualTshark_data()
    {
        QTest::addColumn<QString>("table");
        QTest::newRow("tcp") << "tcp";
        QTest::newRow("udp") << "udp";
        QTest::newRow("ip") << "ip";
        QTest::newRow("eth") << "eth";
    }

    void conversationsEqualTshark()
    {
        QFETCH(QString, table);
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        ConversationDialog* dialog = window_->showConversations();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        ConversationModel* model = dialog->model(table);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // tshark: "A:pa <-> B:pb  rxF rxSize  txF txSize  totF totSize ..." where <- is B→A,
        // -> is A→B, sizes are human-readable ("652 bytes", "276 kB"); names resolved as the box
        // resolves them (MAC, transport, network names from the capture's DNS: -N mntd).
        model->setResolveNames(true);
        const QRegularExpression row(R"(^(\S+)\s+<->\s+(\S+)\s+(\d+) (\S+ \S+)\s+(\d+) (\S+ \S+)\s+(\d+) (\S+ \S+))");
        QSet<QString> expected;
        for (const QString& line : tshark({"-q", "-z", "conv," + table, "-N", "mntd"})) {
            const auto m = row.match(line);
            if (m.hasMatch())
                expected << QStringList{m.captured(1), m.captured(2), m.captured(3), m.captured(4), m.captured(5),
                                        m.captured(6), m.captured(7), m.captured(8)}.join('|');
        }
        QVERIFY(!expected.isEmpty());
        auto size = [](const QVariant& bytes) {
            char* text = format_size(bytes.toLongLong(), FORMAT_SIZE_UNIT_BYTES, 0);
            const QString s = QString::fromUtf8(text);
            wmem_free(nullptr, text);
            return s;
        };
        QSet<QString> shown;
        const bool ports = model->hasPorts();
        for (int r = 0; r < model->rowCount(); ++r) {
            auto v = [&](int c) { return model->index(r, c).data(); };
            const QString a = v(ConversationModel::AddressA).toString() +
                              (ports ? ":" + v(ConversationModel::PortA).toString() : QString());
            const QString b = v(ConversationModel::AddressB).toString() +
                              (ports ? ":" + v(ConversationModel::PortB).toString() : QString());
            shown << QStringList{a, b, v(ConversationModel::PacketsBA).toString(), size(v(ConversationModel::BytesBA)),
                                 v(ConversationModel::PacketsAB).toString(), size(v(ConversationModel::BytesAB)),
                                 v(ConversationModel::Packets).toString(), size(v(ConversationModel::Bytes))}
                         .join('|');
        }
        QCOMPARE(shown, expected);
        QVERIFY(model->toCsv().count('\n') == model->rowCount() + 1);
    }

    // The whole file's tables come from the statistics fast path (counted from the headers on
    // a worker thread) and equal, row for row and in order, those of a tap pass through epan.
    void conversationsFastPathEqualsTapPass()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        for (const bool endpoints : {false, true}) {
            ConversationDialog* dialog = endpoints ? window_->showEndpoints() : window_->showConversations();
            QVERIFY(waitFor(dialog, SIGNAL(computed())));
            QVERIFY2(dialog->hint().contains("counted from the headers"), qPrintable(dialog->hint()));
            // The filters too: fast rows carry the fast path's filter callbacks, tap rows epan's.
            auto filters = [&] {
                QStringList all;
                for (const char* table : {"eth", "ip", "ipv6", "tcp", "udp"})
                    for (int r = 0; r < dialog->model(table)->rowCount(); ++r)
                        for (int d = 0; d < 3; ++d)
                            all << dialog->model(table)->filterFor(r, d);
                return all;
            };
            QStringList fast;
            for (const char* table : {"eth", "ip", "ipv6", "tcp", "udp"})
                fast << dialog->model(table)->toCsv();
            const QStringList fastFilters = filters();
            QVERIFY(dialog->model("udp")->rowCount() > 0);
            qputenv("STRATOSHARK_STATS_PATH", "epan");
            dialog->recompute();
            QVERIFY(waitFor(dialog, SIGNAL(computed())));
            qunsetenv("STRATOSHARK_STATS_PATH");
            QCOMPARE(dialog->hint(), QString("All packets"));
            QStringList epan;
            for (const char* table : {"eth", "ip", "ipv6", "tcp", "udp"})
                epan << dialog->model(table)->toCsv();
            QCOMPARE(fast, epan);
            QCOMPARE(fastFilters, filters());
            dialog->close();
        }
    }

    // Statistics → Endpoints: every endpoint's packets and bytes, total, sent and received,
    // as `tshark -z endpoints,TABLE` prints them.
    void endpointsEqualTshark_data()
    {
        QTest::addColumn<QString>("table");
        QTest::newRow("tcp") << "tcp";
        QTest::newRow("udp") << "udp";
        QTest::newRow("ip") << "ip";
        QTest::newRow("eth") << "eth";
    }

    void endpointsEqualTshark()
    {
        QFETCH(QString, table);
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        ConversationDialog* dialog = window_->showEndpoints();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        ConversationModel* model = dialog->model(table);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model->setResolveNames(true);
        const bool ports = model->hasPorts();
        const QRegularExpression row(ports ? R"(^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$)"
                                           : R"(^(\S+)\s+()(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$)");
        QSet<QString> expected;
        for (const QString& line : tshark({"-q", "-z", "endpoints," + table, "-N", "mntd"}))
            if (const auto m = row.match(line); m.hasMatch())
                expected << QStringList{m.captured(1), m.captured(2), m.captured(3), m.captured(4), m.captured(5),
                                        m.captured(6), m.captured(7), m.captured(8)}.join('|');
        QVERIFY(!expected.isEmpty());
        QSet<QString> shown;
        for (int r = 0; r < model->rowCount(); ++r) {
            auto v = [&](int c) { return model->index(r, c).data().toString(); };
            shown << QStringList{v(ConversationModel::AddressA), v(ConversationModel::PortA), v(ConversationModel::Packets),
                                 v(ConversationModel::Bytes), v(ConversationModel::PacketsAB), v(ConversationModel::BytesAB),
                                 v(ConversationModel::PacketsBA), v(ConversationModel::BytesBA)}.join('|');
        }
        QCOMPARE(shown, expected);
        QCOMPARE(model->headerData(ConversationModel::PacketsAB, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("Tx Packets"));
        QVERIFY(dialog->view(table)->isColumnHidden(ConversationModel::AddressB));
        model->setResolveNames(false);
        const QString filter = model->filterFor(0, 0);
        QVERIFY2(filter.contains(model->index(0, ConversationModel::AddressA).data().toString()), qPrintable(filter));
    }

    void conversationNameResolutionChangesNames()
    {
        QVERIFY(window_->openFile(kSample));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        ConversationDialog* dialog = window_->showConversations();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        ConversationModel* tcp = dialog->model("tcp");
        QVERIFY(tcp && tcp->rowCount() > 0);
        QAbstractItemModelTester tester(tcp, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QPersistentModelIndex port;
        for (int r = 0; r < tcp->rowCount() && !port.isValid(); ++r)
            if (tcp->index(r, ConversationModel::PortB).data().toString() == "8080")
                port = tcp->index(r, ConversationModel::PortB);
        QVERIFY(port.isValid());
        const QString addressB = tcp->index(port.row(), ConversationModel::AddressB).data().toString();
        // Sorted by an address, resolving names sorts again (by the names): the row held
        // stays the same conversation.
        tcp->sort(ConversationModel::AddressB, Qt::DescendingOrder);
        tcp->setResolveNames(true);
        QCOMPARE(port.data().toString(), QStringLiteral("http-alt")); // epan's services file
        tcp->setResolveNames(false);
        QCOMPARE(port.data().toString(), QStringLiteral("8080"));
        QCOMPARE(tcp->index(port.row(), ConversationModel::AddressB).data().toString(), addressB);
    }


    // Sorted as Wireshark 4.0's TrafficDataFilterProxy sorts: the dialog opens sorted by
    // Address A ascending; an IPv4 address as a number (9.x before 10.0.0.9 before
    // 10.0.0.10, where text would put them the other way round), equal addresses by the
    // other address, then by the port; ports as numbers; ties in epan's order. New rows (a
    // recompute) come in the current order.
    void conversationsSortAsWireshark()
    {
        // UDP datagrams, one conversation each: source, destination, their ports.
        const struct {
            const char *src, *dst;
            quint16 sport, dport;
        } kDatagrams[] = {{"10.0.0.10", "10.0.0.9", 40000, 53}, {"10.0.0.9", "10.0.0.100", 5353, 123},
                          {"10.0.0.10", "10.0.0.2", 7, 53},      {"9.1.1.1", "10.0.0.9", 1000, 53},
                          {"10.0.0.10", "10.0.0.9", 999, 53},    {"10.0.0.10", "10.0.0.9", 1000, 53}};
        auto ipv4 = [](const char* dotted) {
            quint32 n = 0;
            for (const QString& part : QString::fromLatin1(dotted).split('.'))
                n = n << 8 | part.toUInt();
            return n;
        };
        const QString path = QStringLiteral(SS_BINARY_DIR "/gui-conversation-sort.pcap");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QDataStream out(&file);
        out.setByteOrder(QDataStream::LittleEndian);
        out << quint32(0xa1b2c3d4) << quint16(2) << quint16(4) << qint32(0) << quint32(0) << quint32(65535)
            << quint32(1); // pcap, Ethernet
        quint32 second = 1700000000;
        for (const auto& d : kDatagrams) {
            QByteArray frame = QByteArray::fromHex("020000000001020000000002" "0800"); // Ethernet, IPv4
            QDataStream ip(&frame, QIODevice::Append); // big-endian
            const quint16 payload = 12;                // an empty DNS header's size
            ip << quint8(0x45) << quint8(0) << quint16(20 + 8 + payload) << quint16(1) << quint16(0) << quint8(64)
               << quint8(17) << quint16(0) << ipv4(d.src) << ipv4(d.dst) << d.sport << d.dport << quint16(8 + payload) << quint16(0);
            frame.append(QByteArray(payload, '\0'));
            out << ++second << quint32(0) << quint32(frame.size()) << quint32(frame.size());
            out.writeRawData(frame.constData(), int(frame.size()));
        }
        file.close();

        QVERIFY(window_->openFile(path));
        QVERIFY(waitFor(&window_->session(), SIGNAL(loadFinished(QString))));
        ConversationDialog* dialog = window_->showConversations();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        ConversationModel* udp = dialog->model("udp");
        QAbstractItemModelTester tester(udp, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(udp->rowCount(), 6);
        auto column = [&](int c) {
            QStringList cells;
            for (int r = 0; r < udp->rowCount(); ++r)
                cells << udp->index(r, c).data().toString();
            return cells.join(' ');
        };
        QCOMPARE(dialog->view("udp")->horizontalHeader()->sortIndicatorSection(), int(ConversationModel::AddressA));
        QCOMPARE(column(ConversationModel::AddressA), "9.1.1.1 10.0.0.9 10.0.0.10 10.0.0.10 10.0.0.10 10.0.0.10");
        QCOMPARE(column(ConversationModel::AddressB), "10.0.0.9 10.0.0.100 10.0.0.2 10.0.0.9 10.0.0.9 10.0.0.9");
        QCOMPARE(column(ConversationModel::PortA), "1000 5353 7 999 1000 40000");
        udp->sort(ConversationModel::AddressB, Qt::DescendingOrder);
        QCOMPARE(column(ConversationModel::AddressB), "10.0.0.100 10.0.0.9 10.0.0.9 10.0.0.9 10.0.0.9 10.0.0.2");
        QCOMPARE(column(ConversationModel::AddressA), "10.0.0.9 10.0.0.10 10.0.0.10 10.0.0.10 9.1.1.1 10.0.0.10");
        // Ports as numbers; the two 1000s in epan's order (9.1.1.1's row came first).
        udp->sort(ConversationModel::PortA, Qt::AscendingOrder);
        QCOMPARE(column(ConversationModel::PortA), "7 999 1000 1000 5353 40000");
        QCOMPARE(column(ConversationModel::AddressA).section(' ', 2, 3), "9.1.1.1 10.0.0.10");
        // A recompute keeps the order the user chose.
        dialog->recompute();
        QVERIFY(waitFor(dialog, SIGNAL(computed())));
        QCOMPARE(column(ConversationModel::PortA), "7 999 1000 1000 5353 40000");
    }

private:
    EpanRuntime& runtime_;
    std::unique_ptr<MainWindow> window_;
};

QObject* makeConversationGuiTest(ss::EpanRuntime& runtime, QObject* parent)
{
    auto* test = new ConversationGuiTest(runtime);
    test->setParent(parent);
    return test;
}

#include "tst_gui_conversations.moc"
