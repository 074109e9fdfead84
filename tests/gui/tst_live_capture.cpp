// SPDX-License-Identifier: GPL-2.0-or-later
// The GUI capturing through real helpers (tests/gui/live_capture.sh makes the lab: a veth,
// an HTTP server, helpers on a Unix socket and on TLS). QtTest, offscreen, one EpanRuntime.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <signal.h>

#include "capture_controls.h"
#include "capture_options_dialog.h"
#include "capture_session.h"
#include "epan_runtime.h"
#include "main_window.h"
#include "models/interface_model.h"
#include "models/packet_list_model.h"
#include "ss_dissectors.h"
#include "validated_edit.h"
#include "welcome_view.h"

using namespace ss;
using namespace ss::ui;

namespace {

QString env(const char* name)
{
    return qEnvironmentVariable(name);
}

// Three GETs from this namespace to the lab's server.
void traffic(int count = 3)
{
    for (int i = 0; i < count; ++i)
        QProcess::execute("curl", {"-s", "-o", "/dev/null", "--max-time", "5",
                                   QString("http://%1:8080/index.html").arg(env("SS_TEST_SERVER"))});
}

int run(const QStringList& args)
{
    QProcess p;
    p.start(SS_STRATOSHARK, args);
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).count('\n');
}

int rowsWith(PacketListModel* model, const QString& text)
{
    int n = 0;
    for (int r = 0; r < model->rowCount(); ++r)
        for (int c = 0; c < model->columnCount(); ++c)
            if (model->index(r, c).data().toString().contains(text)) {
                ++n;
                break;
            }
    return n;
}

// What the local helper wrote to its log (live_capture.sh keeps it beside the outputs).
QString helperLog()
{
    QFile f(env("SS_TEST_OUT") + "/helper-local.log");
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

void save(QWidget* widget, const QString& name)
{
    widget->grab().save(env("SS_TEST_OUT") + "/" + name);
}

} // namespace

class LiveCaptureTest : public QObject {
    Q_OBJECT
public:
    explicit LiveCaptureTest(EpanRuntime& runtime) : runtime_(runtime) {}

private slots:
    void init()
    {
        window_ = std::make_unique<MainWindow>(runtime_);
        window_->resize(1280, 860);
        window_->show();
        QFile::remove(env("STRATOSHARK_TARGETS"));
    }
    void cleanup()
    {
        if (window_->captureControls()->capturing()) {
            QSignalSpy done(window_->captureControls(), &CaptureControls::captureFinished);
            window_->captureControls()->stop();
            done.wait(20000);
        }
        window_.reset();
    }

    // Capture → Options: the helper's interfaces with their rates, both filters checked as
    // typed, Start; rows appear while curl runs, coloured and counted; a display filter
    // typed during the capture applies to the new packets; Stop; Save As.
    void optionsStartStopSave()
    {
        CaptureControls* controls = window_->captureControls();
        CaptureOptionsDialog* dialog = controls->showOptions();
        QAbstractItemModelTester tester(dialog->interfaces(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString iface = env("SS_TEST_IFACE");
        QTRY_VERIFY_WITH_TIMEOUT(dialog->interfaces()->rowOf("local", iface) >= 0, 10000);
        // Rates come from the kernel's counters: traffic shows as packets per second.
        const int row = dialog->interfaces()->rowOf("local", iface);
        traffic(2);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->interfaces()->index(row, InterfaceModel::Traffic).data(InterfaceModel::RateRole).toDouble() > 0, 10000);
        dialog->interfaces()->check("local", iface, true);

        dialog->captureFilter()->setText("tcp port");
        QCOMPARE(dialog->captureFilter()->state(), ValidatedEdit::State::Invalid);
        QVERIFY(!dialog->startButton()->isEnabled());
        QCOMPARE(dialog->captureFilter()->palette().color(QPalette::Base), ValidatedEdit::colorFor(ValidatedEdit::State::Invalid));
        dialog->captureFilter()->setText("tcp port 8080");
        QCOMPARE(dialog->captureFilter()->state(), ValidatedEdit::State::Valid);
        // The eBPF filter is the helper's to judge: a field it cannot test is red, with its words.
        dialog->ebpfFilter()->setText("proc.name == curl && tcp.port == 80");
        QTRY_COMPARE_WITH_TIMEOUT(dialog->ebpfFilter()->state(), ValidatedEdit::State::Invalid, 10000);
        QVERIFY(dialog->ebpfFilter()->message().contains("cannot be filtered in the kernel"));
        dialog->ebpfFilter()->setText("proc.name == curl");
        QTRY_COMPARE_WITH_TIMEOUT(dialog->ebpfFilter()->state(), ValidatedEdit::State::Valid, 10000);
        QVERIFY(dialog->startButton()->isEnabled());
        // TLS secrets of the selected processes need the eBPF filter that selects them.
        QCOMPARE(dialog->tlsSecrets()->currentIndex(), 0); // off by default
        dialog->tlsSecrets()->setCurrentIndex(1);
        QVERIFY(dialog->startButton()->isEnabled());
        dialog->ebpfFilter()->setText("");
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->findChild<QLabel*>("tlsMessage")->isVisibleTo(dialog));
        dialog->tlsSecrets()->setCurrentIndex(2);
        QVERIFY(dialog->startButton()->isEnabled());
        QCOMPARE(dialog->settings().tlsSecrets, 2);
        dialog->tlsSecrets()->setCurrentIndex(0);
        QCOMPARE(dialog->settings().tlsSecrets, 0);
        dialog->ebpfFilter()->setText("proc.name == curl");
        QTRY_COMPARE_WITH_TIMEOUT(dialog->ebpfFilter()->state(), ValidatedEdit::State::Valid, 10000);
        QVERIFY(dialog->startButton()->isEnabled());
        // The kernel buffer, as Wireshark's "Buffer (MB)": 2 by default; 3 is rounded up to 4.
        QCOMPARE(dialog->bufferSize()->value(), 2);
        dialog->bufferSize()->setValue(3);
        save(dialog, "capture-options.png");

        QSignalSpy started(controls, &CaptureControls::captureStarted);
        dialog->startButton()->click();
        QVERIFY(started.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(helperLog().contains(", buffer 4 MiB"), 5000);
        QAbstractItemModelTester packets(window_->packetList(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        traffic();
        QTRY_VERIFY_WITH_TIMEOUT(rowsWith(window_->packetList(), "GET /index.html") == 3, 15000);
        // The status bar counts while capturing: packets, displayed, drops per node, time.
        QTRY_VERIFY_WITH_TIMEOUT(window_->findChild<QLabel*>("countLabel")->text().contains(
                                     QRegularExpression("^Capturing · Packets: [1-9][0-9]* · Displayed: [1-9][0-9]* · Dropped: node-a 0 · 00:0[0-9]$")),
                                 5000);
        QVERIFY(controls->capturing());
        // Auto Scroll in Live Capture: the newest packet is in view…
        QTableView* view = window_->packetView();
        QTRY_COMPARE_WITH_TIMEOUT(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum(), 5000);
        QVERIFY(view->verticalScrollBar()->maximum() > 0);
        save(window_.get(), "live-capture.png");
        // … until the user scrolls away: then new packets leave the view where it is.
        view->verticalScrollBar()->setValue(0);
        traffic(1);
        QTRY_VERIFY_WITH_TIMEOUT(rowsWith(window_->packetList(), "GET /index.html") == 4, 15000);
        QCOMPARE(view->verticalScrollBar()->value(), 0);
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum()); // following again
        // A display filter applied while capturing covers the packets still to come.
        window_->applyFilter("http.request");
        QTRY_VERIFY_WITH_TIMEOUT(window_->session().appliedFilter() == "http.request", 10000);
        QCOMPARE(window_->packetList()->rowCount(), 4);
        traffic(2);
        QTRY_COMPARE_WITH_TIMEOUT(window_->packetList()->rowCount(), 6, 15000);

        QSignalSpy finished(controls, &CaptureControls::captureFinished);
        controls->stop();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(controls->hasUnsaved());
        const QString saved = env("SS_TEST_OUT") + "/saved.pcapng";
        QVERIFY(controls->saveCapture(saved));
        QVERIFY(!controls->hasUnsaved());
        // What was saved is what stratoshark reads, the attributed requests among it.
        QCOMPARE(run({"-r", saved, "-Y", "http.request && proc.name == \"curl\""}), 6);
        QTRY_VERIFY_WITH_TIMEOUT(!window_->session().loading(), 10000);
        QCOMPARE(qsizetype(window_->session().totalFrames()), qsizetype(run({"-r", saved})));
    }

    // Restart (Ctrl+R): the same settings, a fresh capture.
    void restart()
    {
        CaptureControls* controls = window_->captureControls();
        CaptureSettings settings;
        settings.sources.push_back({capture::loadTargets().front(), {env("SS_TEST_IFACE").toStdString()}});
        QSignalSpy started(controls, &CaptureControls::captureStarted);
        controls->start(settings);
        QVERIFY(started.wait(20000));
        traffic(1);
        QTRY_VERIFY_WITH_TIMEOUT(window_->session().totalFrames() > 0, 15000);
        controls->restart();
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(controls->capturing(), 5000);
        traffic(1);
        QTRY_VERIFY_WITH_TIMEOUT(rowsWith(window_->packetList(), "GET /index.html") == 1, 15000);
    }

    // A remote helper over TLS: remembered with its files; a refused certificate is said in
    // the dialog.
    void tlsTargets()
    {
        CaptureControls* controls = window_->captureControls();
        CaptureOptionsDialog* dialog = controls->showOptions();
        const QString certs = env("SS_TEST_CERTS");
        QString error;
        QVERIFY(dialog->addTarget({"eve-node", env("SS_TEST_TLS").toStdString(),
                                   {(certs + "/ca.pem").toStdString(), (certs + "/client-eve.pem").toStdString(),
                                    (certs + "/client-eve.key").toStdString(), ""}},
                                  &error));
        CaptureSettings refused;
        refused.sources.push_back({*capture::findTarget(capture::loadTargets(), "eve-node"), {}});
        QSignalSpy finished(controls, &CaptureControls::captureFinished);
        controls->start(refused);
        QVERIFY(finished.wait(20000));
        QTRY_VERIFY(dialog->findChild<QLabel*>("captureError")->text().contains("refused the certificate CN=eve: not in its allowed clients"));

        QVERIFY(dialog->addTarget({"node-a", env("SS_TEST_TLS").toStdString(),
                                   {(certs + "/ca.pem").toStdString(), (certs + "/client-alice.pem").toStdString(),
                                    (certs + "/client-alice.key").toStdString(), ""}},
                                  &error));
        // Remembered: paths only, never a key's contents.
        QFile file(env("STRATOSHARK_TARGETS"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains("client-alice.key") && !stored.contains("PRIVATE KEY"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->interfaces()->rowOf("node-a", env("SS_TEST_IFACE")) >= 0, 10000);
        CaptureSettings tls;
        tls.sources.push_back({*capture::findTarget(capture::loadTargets(), "node-a"), {env("SS_TEST_IFACE").toStdString()}});
        QSignalSpy started(controls, &CaptureControls::captureStarted);
        controls->start(tls);
        QVERIFY(started.wait(20000));
        traffic(2);
        QTRY_VERIFY_WITH_TIMEOUT(rowsWith(window_->packetList(), "GET /index.html") == 2, 15000);
        // The helper's own TLS stream is not in the capture.
        QCOMPARE(rowsWith(window_->packetList(), "7443"), 0);
    }

    // A helper killed mid-capture: said in the bar, the packets kept, the window usable.
    void helperKilled()
    {
        CaptureControls* controls = window_->captureControls();
        CaptureSettings settings;
        settings.sources.push_back({{"doomed", env("SS_TEST_DOOMED").toStdString(), {}}, {env("SS_TEST_IFACE").toStdString()}});
        QSignalSpy started(controls, &CaptureControls::captureStarted);
        QSignalSpy finished(controls, &CaptureControls::captureFinished);
        controls->start(settings);
        QVERIFY(started.wait(20000));
        traffic(1);
        QTRY_VERIFY_WITH_TIMEOUT(window_->session().totalFrames() > 0, 15000);
        ::kill(env("SS_TEST_DOOMED_PID").toInt(), SIGKILL);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(controls->problem().contains("Lost doomed"));
        QTRY_VERIFY_WITH_TIMEOUT(!window_->session().loading(), 10000);
        QVERIFY(window_->session().totalFrames() > 0);
        window_->applyFilter("tcp");
        QTRY_VERIFY_WITH_TIMEOUT(window_->session().appliedFilter() == "tcp", 10000);
    }

    // The welcome page lists the interfaces; a double click captures on one.
    void welcome()
    {
        WelcomeView* welcome = window_->welcome();
        QAbstractItemModelTester tester(welcome->interfaces(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(welcome->interfaces()->rowOf("local", env("SS_TEST_IFACE")) >= 0, 10000);
        QSignalSpy started(window_->captureControls(), &CaptureControls::captureStarted);
        window_->captureOn("local", env("SS_TEST_IFACE"));
        QVERIFY(started.wait(20000));
        traffic(1);
        QTRY_VERIFY_WITH_TIMEOUT(rowsWith(window_->packetList(), "GET /index.html") == 1, 15000);
    }

private:
    EpanRuntime& runtime_;
    std::unique_ptr<MainWindow> window_;
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("StratosharkTest");
    EpanRuntime::Options options;
    options.programName = "stratoshark-gui";
    options.builtinDissectors.push_back(dissect::stratosharkDissectors());
    EpanRuntime runtime(argv[0], options);
    gchar* colorError = nullptr;
    color_filters_init(&colorError, nullptr);
    LiveCaptureTest test(runtime);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_live_capture.moc"
