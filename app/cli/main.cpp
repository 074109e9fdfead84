// SPDX-License-Identifier: GPL-2.0-or-later
// stratoshark: tshark-compatible reading of capture files. Never loads Qt: the GUI is a
// separate program (ui/) so this binary runs in minimal containers.
#include "epan_runtime.h"
#include "error.h"
#include "options.h"
#include "read_command.h"

#include <cstdio>
#include <cstring>

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

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && (std::strcmp(argv[1], "capture") == 0 || std::strcmp(argv[1], "import") == 0)) {
        std::fprintf(stderr, "stratoshark: \"%s\" is not part of this build yet\n", argv[1]);
        return 1;
    }
    cli::ParsedArgs args = cli::parseArguments(argc, argv);
    if (args.failed())
        return args.exitCode;
    if (args.action == cli::Action::Help) {
        cli::printUsage(stdout);
        return 0;
    }
    if (args.action == cli::Action::Version)
        return printVersion();

    try {
        EpanRuntime::Options runtimeOptions;
        EpanRuntime runtime(argv[0], runtimeOptions);
        if (args.action == cli::Action::Report)
            return cli::runReport(args.report);
        return cli::runRead(runtime, args.read);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
}
