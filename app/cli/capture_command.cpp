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
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
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
            std::printf("%s%s  %s  %s  %llu bytes%s\n", helpers.size() > 1 ? (h->nodeName() + ": ").c_str() : "",
                        c.name().c_str(), c.kind().empty() ? "capture" : c.kind().c_str(),
                        c.running() ? "running" : "ended", static_cast<unsigned long long>(c.bytes()),
                        c.owner().empty() ? "" : ("  " + c.owner()).c_str());
        if (!o.stopSpooled.empty())
            std::printf("%s: stopped %s\n", h->where().c_str(), o.stopSpooled.c_str());
    }
    return 0;
}

// --fetch-spool NAME: the file's bytes as the helper sends them, into --output.
int fetch(std::vector<std::unique_ptr<ipc::HelperClient>>& helpers, const CaptureOptions& o)
{
    if (helpers.size() != 1) {
        say("--fetch-spool copies from one helper: give one --helper");
        return 1;
    }
    pb::Request request;
    request.mutable_fetch_spooled()->set_name(o.fetchSpooled);
    helpers[0]->send(request);
    pb::Response r = helpers[0]->read(); // a refusal (no such file) is thrown
    const bool toStdout = o.output == "-";
    const std::string partial = o.output + ".part";
    std::FILE* out = toStdout ? stdout : std::fopen(partial.c_str(), "wb");
    if (!out) {
        say("cannot write \"" + partial + "\": " + std::strerror(errno));
        return 2;
    }
    std::uint64_t bytes = 0;
    bool ok = true;
    for (;;) {
        if (!r.has_file()) {
            say("the helper answered with something else than the file");
            ok = false;
            break;
        }
        if (std::fwrite(r.file().data().data(), 1, r.file().data().size(), out) != r.file().data().size()) {
            say("cannot write \"" + o.output + "\": " + std::strerror(errno));
            ok = false;
            break;
        }
        bytes += r.file().data().size();
        if (r.file().last())
            break;
        r = helpers[0]->read();
    }
    if (!toStdout && (std::fclose(out) != 0 || !ok || std::rename(partial.c_str(), o.output.c_str()) != 0)) {
        std::remove(partial.c_str());
        if (ok)
            say("cannot write \"" + o.output + "\": " + std::strerror(errno));
        return 2;
    }
    if (!toStdout)
        say("copied " + o.fetchSpooled + " from " + helpers[0]->where() + " to " + o.output + " (" +
            std::to_string(bytes) + " bytes)");
    return ok ? 0 : 2;
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
        if (!options->fetchSpooled.empty())
            return fetch(helpers, *options);
        return capture(std::move(helpers), *options);
    } catch (const ipc::HelperError& e) {
        say(e.what());
        return 2;
    }
}

} // namespace ss::cli
