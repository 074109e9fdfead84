// SPDX-License-Identifier: GPL-2.0-or-later
// stratoshark: tshark-compatible reading of capture files. Never loads Qt: the GUI is a
// separate program (ui/) so this binary runs in minimal containers.
#include "epan_runtime.h"
#include "error.h"
#include "options.h"
#include "capture_command.h"
#include "export_command.h"
#include "policy_command.h"
#include "live_capture.h"
#include "import_command.h"
#include "read_command.h"
#include "latency_command.h"
#include "timeline_command.h"
#include "ss_dissectors.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

using namespace ss;

namespace {

int printVersion()
{
    std::printf("Stratoshark %s (libwireshark %s)\n\n"
                "License GPLv2+: GNU GPL version 2 or later <https://www.gnu.org/licenses/gpl-2.0.html>\n"
                "This is free software; you are free to change and redistribute it.\n"
                "There is NO WARRANTY, to the extent permitted by law.\n",
                PROJECT_VERSION, epan_get_version());
    return 0;
}

// With a display, a terminal and nothing asking for text output, `stratoshark [-r] FILE`
// opens the GUI (a separate program next to this one, so this binary never loads Qt).
void startGuiIfWanted(int argc, char** argv, const cli::ParsedArgs& args)
{
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
        return;
    if (!isatty(STDOUT_FILENO) || (args.action != cli::Action::Read && argc > 1))
        return;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a != "-r" && a.rfind("-", 0) == 0)
            return; // any other option asks for the command line
    }
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return;
    self[n] = '\0';
    std::string gui = self;
    gui = gui.substr(0, gui.rfind('/') + 1);
    for (const char* candidate : {"stratoshark-gui", "../../ui/stratoshark-gui"}) {
        const std::string path = gui + candidate;
        if (access(path.c_str(), X_OK) == 0) {
            const std::string file = args.read.readFile;
            if (file.empty())
                execl(path.c_str(), "stratoshark-gui", static_cast<char*>(nullptr));
            else
                execl(path.c_str(), "stratoshark-gui", file.c_str(), static_cast<char*>(nullptr));
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "import") == 0) {
        // Needs wiretap (to read --into) but no dissection.
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.loadPlugins = false;
        EpanRuntime runtime(argv[0], runtimeOptions);
        return cli::runImport(argc - 1, argv + 1);
    }
    if (argc >= 2 && std::strcmp(argv[1], "export") == 0)
        return cli::runExport(argc - 1, argv + 1, argv[0]);
    if (argc >= 2 && std::strcmp(argv[1], "correlate") == 0)
        return cli::runCorrelate(argc - 1, argv + 1, argv[0]);
    if (argc >= 2 && std::strcmp(argv[1], "latency") == 0)
        return cli::runLatency(argc - 1, argv + 1, argv[0]);
    if (argc >= 2 && std::strcmp(argv[1], "timeline") == 0)
        return cli::runTimeline(argc - 1, argv + 1, argv[0]);
    if (argc >= 2 && std::strcmp(argv[1], "policy") == 0)
        return cli::runPolicy(argc - 1, argv + 1, argv[0]);
    if (argc >= 2 && std::strcmp(argv[1], "capture") == 0)
        return cli::runCapture(argc - 1, argv + 1); // no epan: the helper captures
    if (argc == 1) // no arguments at all: the GUI when there is a display
        startGuiIfWanted(argc, argv, cli::ParsedArgs{});
    cli::ParsedArgs args = cli::parseArguments(argc, argv);
    if (args.failed())
        return args.exitCode;
    if (args.action == cli::Action::Help) {
        cli::printUsage(stdout);
        return 0;
    }
    if (args.action == cli::Action::Version)
        return printVersion();
    if (args.action == cli::Action::ListInterfaces)
        return cli::listInterfaces(args.read); // no epan: the helpers answer
    startGuiIfWanted(argc, argv, args);

    // `-q -z conv,...`: the statistics fast path reads the file while epan starts; so does
    // the parallel reader's header pass for a big file.
    cli::EarlyScans early;
    if (args.action == cli::Action::Read) {
        auto requests = cli::fastStatisticsRequests(args.read);
        if (!requests.empty())
            early.statistics = std::async(std::launch::async, [path = args.read.readFile, requests] {
                return scanWithOwnReader(path, requests, fastScanThreads());
            });
        else
            early.parallel = cli::startHeaderCheck(args.read);
    }
    try {
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.builtinDissectors.push_back(dissect::stratosharkDissectors());
        EpanRuntime runtime(argv[0], runtimeOptions);
        if (args.action == cli::Action::Report)
            return cli::runReport(args.report);
        return cli::runRead(runtime, args.read, {}, &early);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
}
