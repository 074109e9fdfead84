// SPDX-License-Identifier: GPL-2.0-or-later
// The helper's unit tests. Like the helper, this program also answers `compile-filter`: the
// bounded tcpdump-filter compiler runs the program it was started from (filter_compiler.h).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "filter_compiler.h"

#include <cstring>

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "compile-filter") == 0)
        return ss::bpf::compileFilterChild();
    ss::bpf::rememberOwnProgram();
    return Catch::Session().run(argc, argv);
}
