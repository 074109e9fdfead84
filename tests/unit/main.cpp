// SPDX-License-Identifier: GPL-2.0-or-later
// One EpanRuntime for the whole test process: epan cannot be initialised twice.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "epan_runtime.h"
#include "ss_dissectors.h"
#include "test_support.h"

namespace {
ss::EpanRuntime* g_runtime = nullptr;
}

ss::EpanRuntime& testRuntime()
{
    return *g_runtime;
}

int main(int argc, char** argv)
{
    Catch::Session session;
    if (int rc = session.applyCommandLine(argc, argv))
        return rc;
    // Listing tests (test discovery at build time) needs no epan.
    if (session.configData().listTestNamesOnly || session.configData().listTests)
        return session.run();
    ss::EpanRuntime::Options options;
    options.loadPlugins = false;
    options.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
    ss::EpanRuntime runtime(argv[0], options);
    g_runtime = &runtime;
    timestamp_set_type(TS_RELATIVE);
    return session.run();
}
