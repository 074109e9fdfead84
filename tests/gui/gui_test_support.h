// SPDX-License-Identifier: GPL-2.0-or-later
// What the GUI test classes share: the bundled sample, running our CLI and tshark, the
// related-events story capture, waiting for a signal.
#pragma once

#include <QObject>
#include <QProcess>
#include <QSignalSpy>
#include <QString>
#include <QStringList>

#include <memory>

namespace guitest {

inline const QString kSample = QStringLiteral(SS_SOURCE_DIR "/resources/samples/sample.pcapng");

inline QStringList run(const QString& program, const QStringList& args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(program, args);
    p.waitForFinished(120000);
    QString out = QString::fromUtf8(p.readAllStandardOutput());
    if (out.endsWith('\n'))
        out.chop(1);
    return out.isEmpty() ? QStringList() : out.split('\n');
}

inline QStringList tshark(const QStringList& args)
{
    return run("tshark", QStringList{"-r", kSample} + args);
}

// ptcpdump's curl capture with tests/fixtures/related/'s alert, execs and flow imported.
inline QString makeStory()
{
    const QString story = QStringLiteral(SS_BINARY_DIR "/gui-related.pcapng");
    const QString events = QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/related/");
    QProcess import;
    import.start(QStringLiteral(SS_STRATOSHARK),
                 {"import", "--falco", events + "alert.json", "--tetragon", events + "exec.json", "--hubble",
                  events + "flow.json", "--into", QStringLiteral(SS_SOURCE_DIR "/tests/fixtures/pcap/curl-user.pcapng"),
                  "-w", story});
    return import.waitForFinished(60000) && import.exitCode() == 0 ? story : QString();
}

inline bool waitFor(QObject* sender, const char* signal, int timeoutMs = 60000)
{
    QSignalSpy spy(sender, signal);
    return spy.wait(timeoutMs) || spy.count() > 0;
}

// A shown main window with the bundled sample loaded (small slices, as on a big file); null
// when it does not load.
template <class Window, class Runtime>
std::unique_ptr<Window> windowOnSample(Runtime& runtime)
{
    auto window = std::make_unique<Window>(runtime);
    window->session().setSliceBudget(5);
    window->show();
    if (!window->openFile(kSample) || !waitFor(&window->session(), SIGNAL(loadFinished(QString))))
        return nullptr;
    return window;
}

} // namespace guitest

using namespace guitest;
