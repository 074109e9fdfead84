// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_command.h"

#include "capture_options.h"
#include "capture_output.h"
#include "capture_run.h"
#include "helper_client.h"
#include "helper_targets.h"
#include "tls.h"
#include "userspace_filter.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>

namespace ss::cli {
using capture::CaptureRun;
namespace {

std::atomic<bool> g_interrupted{false}; // set by SIGINT/SIGTERM only

void onInterrupt(int)
{
    g_interrupted = true;
}

constexpr const char* kProgram = "stratoshark capture";

void say(const std::string& text)
{
    std::fprintf(stderr, "%s: %s\n", kProgram, text.c_str());
}

} // namespace

namespace {

int listInterfaces(std::vector<std::unique_ptr<ipc::HelperClient>>& helpers)
{
    for (auto& h : helpers) {
        const std::string prefix = helpers.size() > 1 ? h->nodeName() + "/" : "";
        for (const auto& i : h->listInterfaces())
            std::printf("%u. %s%s%s\n", i.index(), prefix.c_str(), i.name().c_str(), i.up() ? "" : " (down)");
    }
    return 0;
}

int spool(std::vector<std::unique_ptr<ipc::HelperClient>>& helpers, const CaptureOptions& o)
{
    for (auto& h : helpers) {
        pb::Request request;
        if (o.listSpooled)
            request.mutable_list_spooled();
        else
            request.mutable_stop_spooled()->set_name(o.stopSpooled);
        h->send(request);
        const pb::Response r = h->read();
        for (const auto& c : r.spooled().captures())
            std::printf("%s%s  %s  %llu bytes%s\n", helpers.size() > 1 ? (h->nodeName() + ": ").c_str() : "",
                        c.name().c_str(), c.running() ? "running" : "ended", static_cast<unsigned long long>(c.bytes()),
                        c.owner().empty() ? "" : ("  " + c.owner()).c_str());
        if (!o.stopSpooled.empty())
            std::printf("%s: stopped %s\n", h->where().c_str(), o.stopSpooled.c_str());
    }
    return 0;
}

// Where the capture goes, and the user-space fallback of --ebpf-filter if it is needed.
int capture(std::vector<std::unique_ptr<ipc::HelperClient>> helpers, CaptureOptions& o)
{
    std::unique_ptr<UserspaceFilter> fallback;
    if (o.allowUserspaceFilter && !o.request.metadata_filter().empty()) {
        fallback = std::make_unique<UserspaceFilter>(o.request.metadata_filter());
        std::string error;
        if (!fallback->compiles(&error)) {
            say("--ebpf-filter \"" + o.request.metadata_filter() + "\": " + error);
            return 2;
        }
    }
    std::unique_ptr<CaptureOutput> out;
    CaptureRun run(std::move(helpers), [&](std::string_view blocks) {
        if (out->write(blocks))
            return true;
        if (!out->limitReached())
            say(out->error());
        return false;
    });
    auto refused = run.start(o.request);
    if (refused && fallback && refused->code() == pb::Error::FILTER_NOT_IN_KERNEL) {
        say(std::string("not in the kernel (") + refused->what() + "); capturing everything and filtering here at the end");
        o.request.clear_metadata_filter();
        refused = run.start(o.request);
    } else if (!refused) {
        fallback.reset(); // the kernel runs it
    }
    if (refused) {
        say(refused->what());
        return 2;
    }
    const std::string finalOutput = o.output;
    if (fallback)
        o.files.path = (o.output == "-" ? std::string("stratoshark-capture") : o.output) + ".unfiltered-" +
                       std::to_string(getpid()) + ".pcapng";
    out = std::make_unique<CaptureOutput>(o.files);
    if (!out->open()) {
        say(out->error());
        run.run(g_interrupted, false); // stops at once: nothing can be written
        return 2;
    }
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const bool complete = run.run(g_interrupted, isatty(STDERR_FILENO));
    const bool writeFailed = !out->error().empty() && !out->limitReached();
    run.printSummary(kProgram, out->limitReached() ? "max-size" : "");
    if (out->limitReached())
        say(std::to_string(out->packetsWritten()) + " packets fit in --max-size");
    if (out->filesWritten() > 1 || o.files.ringSize)
        say(std::to_string(out->filesWritten()) + " files written");
    out->close();
    if (!complete || writeFailed)
        return 2;
    if (fallback)
        return fallback->apply(o.files.path, finalOutput);
    return 0;
}

} // namespace

int runCapture(int argc, char** argv)
{
    int exitCode = 0;
    auto options = parseCaptureOptions(argc, argv, &exitCode);
    if (!options)
        return exitCode;
    std::signal(SIGPIPE, SIG_IGN);
    try {
        auto helpers = capture::connectHelpers(options->helpers, options->tls, "stratoshark capture");
        if (options->listInterfaces)
            return listInterfaces(helpers);
        if (options->listSpooled || !options->stopSpooled.empty())
            return spool(helpers, *options);
        return capture(std::move(helpers), *options);
    } catch (const ipc::HelperError& e) {
        say(e.what());
        return 2;
    }
}

} // namespace ss::cli
