// SPDX-License-Identifier: GPL-2.0-or-later
// stratoshark-gui [FILE] — the desktop analyzer. `stratoshark` starts it when a display
// exists and no output option was given.
#include "color_rules.h"
#include "epan_runtime.h"
#include "profiles.h"
#include "error.h"
#include "capture_session.h"
#include "load_probe.h"
#include "main_window.h"
#include "screenshot_tour.h"
#include "ss_dissectors.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QStyleHints>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("Stratoshark");
    QApplication::setApplicationName("Stratoshark");
    QCommandLineParser parser;
    parser.setApplicationDescription("Stratoshark: network and process analyzer");
    parser.addHelpOption();
    QCommandLineOption screenshots("screenshots", "Save a screenshot of each main state and dialog into DIR (named PNGs), then quit.", "DIR");
    parser.addOption(screenshots);
    QCommandLineOption measure("measure", "Time loading FILE and applying FILTER, print the figures, quit.", "FILTER");
    parser.addOption(measure);
    QCommandLineOption quitAfterLoad("quit-after-load", "Quit once FILE is loaded (benchmarks).");
    parser.addOption(quitAfterLoad);
    QCommandLineOption measureLive("measure-live", "Capture on IFACE through the local helper, print UI stalls "
                                                   "and memory, quit (benchmarks).", "IFACE");
    parser.addOption(measureLive);
    QCommandLineOption measureSeconds("measure-seconds", "How long --measure-live captures.", "SECONDS", "10");
    parser.addOption(measureSeconds);
    QCommandLineOption profile({"C", "profile"}, "Start with the configuration profile NAME (Wireshark's -C).", "NAME");
    parser.addOption(profile);
    parser.addPositionalArgument("file", "Capture file to open.");
    parser.process(app);

    try {
        ss::EpanRuntime::Options options;
        options.programName = "stratoshark-gui";
        options.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
        ss::EpanRuntime runtime(argv[0], options);
        // The profile named on the command line, else the one used last (as Wireshark does).
        const QString profileName =
            parser.isSet(profile) ? parser.value(profile) : QSettings().value("profile/last").toString();
        if (!profileName.isEmpty() && profileName != ss::profiles::kDefault) {
            if (ss::profiles::exists(profileName.toStdString()))
                runtime.useProfile(profileName.toStdString());
            else if (parser.isSet(profile))
                throw ss::EngineError("use profile", profileName.toStdString(), "Configuration Profile \"" +
                                                                                  profileName.toStdString() +
                                                                                  "\" does not exist");
        }
        if (const std::string problem = ss::colorrules::load(); !problem.empty())
            std::fprintf(stderr, "stratoshark-gui: colouring rules: %s\n", problem.c_str());
        ss::ui::MainWindow window(runtime);
        window.resize(1280, 860);
        window.show();
        std::unique_ptr<ss::ui::ScreenshotTour> tour;
        if (parser.isSet(screenshots)) {
            tour = std::make_unique<ss::ui::ScreenshotTour>(window, parser.value(screenshots));
            tour->start();
        }
        std::unique_ptr<ss::ui::LoadProbe> probe;
        if (parser.isSet(measure)) {
            probe = std::make_unique<ss::ui::LoadProbe>(window, parser.value(measure));
            probe->start();
        }
        std::unique_ptr<ss::ui::LiveProbe> live;
        if (parser.isSet(measureLive)) {
            live = std::make_unique<ss::ui::LiveProbe>(window, parser.value(measureLive),
                                                       parser.value(measureSeconds).toInt());
            live->start();
        }
        if (parser.isSet(quitAfterLoad))
            QObject::connect(&window.session(), &ss::ui::CaptureSession::loadFinished, &app, &QApplication::quit,
                             Qt::QueuedConnection);
        if (!parser.positionalArguments().isEmpty()) {
            // --quit-after-load runs unattended (benchmarks, tests): a file that does not open
            // ends it with the reason and status 2, as tshark -r, instead of a dialog or a wait.
            const QString file = parser.positionalArguments().first();
            QString error;
            if (!window.openFile(file, parser.isSet(quitAfterLoad) ? &error : nullptr) &&
                parser.isSet(quitAfterLoad)) {
                std::fprintf(stderr, "stratoshark-gui: cannot open \"%s\": %s\n", file.toLocal8Bit().constData(),
                             error.toLocal8Bit().constData());
                return 2;
            }
        }
        return app.exec();
    } catch (const ss::EngineError& e) {
        std::fprintf(stderr, "stratoshark-gui: %s %s: %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
}
