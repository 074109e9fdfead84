// SPDX-License-Identifier: GPL-2.0-or-later
#include "userspace_filter.h"

#include "display_filter.h"
#include "epan_runtime.h"
#include "error.h"
#include "read_command.h"
#include "ss_dissectors.h"

#include <unistd.h>

#include <cstdio>

namespace ss::cli {

UserspaceFilter::UserspaceFilter(std::string expression) : expression_(std::move(expression))
{
    EpanRuntime::Options options;
    options.builtinDissectors.push_back(dissect::stratosharkDissectors());
    runtime_ = std::make_unique<EpanRuntime>("stratoshark", options);
}

UserspaceFilter::~UserspaceFilter() = default;

bool UserspaceFilter::compiles(std::string* error)
{
    DisplayFilter::Error e;
    if (DisplayFilter::compile(expression_, &e))
        return true;
    *error = e.message;
    return false;
}

int UserspaceFilter::apply(const std::string& capture, const std::string& output)
{
    ReadOptions options;
    options.readFile = capture;
    options.displayFilter = expression_;
    options.writeFile = output;
    options.quiet = true;
    int code;
    try {
        code = runRead(*runtime_, options);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark capture: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        code = 2;
    }
    if (code == 0)
        unlink(capture.c_str());
    else
        std::fprintf(stderr, "stratoshark capture: the unfiltered capture is kept in %s\n", capture.c_str());
    return code;
}

} // namespace ss::cli
