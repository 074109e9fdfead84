// SPDX-License-Identifier: GPL-2.0-or-later
#include "live_capture.h"

#include "capture_command.h"
#include "capture_options.h"
#include "capture_output.h"
#include "capture_run.h"
#include "helper_targets.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace ss::cli {
using capture::CaptureOutput;
using capture::CaptureRun;
namespace {

std::atomic<bool> g_interrupted{false}; // set by SIGINT/SIGTERM only

void onInterrupt(int)
{
    g_interrupted = true;
}

ipc::TlsFiles tlsFiles(const ReadOptions::Live& live)
{
    ipc::TlsFiles files{live.tlsCa, live.tlsCert, live.tlsKey, live.tlsServerName};
    capture::tlsFromEnvironment(&files);
    return files;
}

std::vector<std::unique_ptr<ipc::HelperClient>> connect(const ReadOptions::Live& live)
{
    return capture::connectHelpers(live.helpers.empty() ? capture::defaultHelpers() : live.helpers, tlsFiles(live),
                                   "stratoshark");
}

// The interfaces -D lists, in order: "NAME" or "NODE/NAME" with several helpers.
std::vector<std::string> interfaceNames(std::vector<std::unique_ptr<ipc::HelperClient>>& helpers)
{
    std::vector<std::string> names;
    for (auto& h : helpers)
        for (const auto& i : h->listInterfaces())
            if (i.capturable())
                names.push_back(helpers.size() > 1 ? h->nodeName() + "/" + i.name() : i.name());
    return names;
}

// tshark's "'a'", "'a' and 'b'", "'a', 'b', and 'c'".
std::string quotedList(const std::vector<std::string>& names)
{
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            text += std::string(names.size() > 2 ? "," : "") + " " + (i == names.size() - 1 ? "and " : "");
        text += "'" + names[i] + "'";
    }
    return text;
}

std::string plural(std::uint64_t n, const char* what)
{
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

} // namespace

int listInterfaces(const ReadOptions& options)
{
    try {
        auto helpers = connect(options.live);
        int n = 0;
        for (const std::string& name : interfaceNames(helpers))
            std::printf("%d. %s%s\n", ++n, name.c_str(), name == "lo" ? " (Loopback)" : "");
        return 0;
    } catch (const ipc::HelperError& e) {
        std::fprintf(stderr, "stratoshark: %s\n", e.what());
        return 2;
    }
}

LiveCapture::~LiveCapture()
{
    output_.reset();
    if (temporary_)
        unlink(path_.c_str());
}

std::unique_ptr<LiveCapture> LiveCapture::start(const ReadOptions& o)
{
    std::unique_ptr<LiveCapture> live(new LiveCapture);
    pb::StartCapture request;
    std::vector<std::string> shown;
    try {
        auto helpers = connect(o.live);
        std::vector<std::string> listed;
        for (const std::string& i : o.live.interfaces) {
            if (i.find_first_not_of("0123456789") == std::string::npos) { // -i 2: the second of -D's list
                if (listed.empty())
                    listed = interfaceNames(helpers);
                const unsigned long n = std::stoul(i);
                if (n == 0 || n > listed.size()) {
                    std::fprintf(stderr, "stratoshark: There is no interface with that adapter index\n");
                    return nullptr;
                }
                request.add_interfaces(listed[n - 1].substr(listed[n - 1].find('/') + 1));
                shown.push_back(listed[n - 1]);
            } else if (i == "any") { // tshark's pseudo-interface: every interface that is up (and comes up)
                shown.push_back(i);
            } else {
                request.add_interfaces(i);
                shown.push_back(i);
            }
        }
        if (request.interfaces_size() > 0 && std::count(o.live.interfaces.begin(), o.live.interfaces.end(), "any")) {
            std::fprintf(stderr, "stratoshark: -i any takes every interface: name no other\n");
            return nullptr;
        }
        request.set_bpf_filter(o.live.captureFilter);
        request.set_snaplen(o.live.snaplen);
        request.set_buffer_bytes(o.live.bufferBytes);
        request.set_duration_ms(o.live.durationMs);
        request.set_max_packets(o.live.packets);
        request.set_metadata_filter(o.live.ebpfFilter);
        request.set_syscalls(o.live.syscalls);
        CaptureRun::Events events;
        events.wrote = [self = live.get()] {
            if (self->afterWrite_)
                self->afterWrite_();
        };
        live->run_ = std::make_unique<CaptureRun>(
            std::move(helpers),
            [out = &live->output_](std::string_view blocks) {
                if ((*out)->write(blocks))
                    return true;
                if (!(*out)->limitReached())
                    std::fprintf(stderr, "stratoshark: %s\n", (*out)->error().c_str());
                return false;
            },
            events);
        if (auto refused = live->run_->start(request)) {
            std::fprintf(stderr, "stratoshark: %s\n", refused->what());
            return nullptr;
        }
    } catch (const ipc::HelperError& e) {
        std::fprintf(stderr, "stratoshark: %s\n", e.what());
        return nullptr;
    }
    CaptureOutput::Options files;
    if (!o.writeFile.empty()) {
        files.path = live->path_ = o.writeFile;
        files.maxSize = o.live.filesizeKb * 1000;
    } else { // as tshark's dumpcap: a temporary file, read as it grows
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/stratoshark_XXXXXX.pcapng";
        const int fd = mkstemps(pattern.data(), 7);
        if (fd < 0) {
            std::fprintf(stderr, "stratoshark: cannot create a temporary file in %s\n", tmp && *tmp ? tmp : "/tmp");
            return nullptr;
        }
        close(fd);
        files.path = live->path_ = pattern;
        live->temporary_ = true;
    }
    live->output_ = std::make_unique<CaptureOutput>(files);
    if (!live->output_->open()) {
        std::fprintf(stderr, "stratoshark: %s\n", live->output_->error().c_str());
        return nullptr;
    }
    live->run_->writeStart(); // the section and interface blocks: the file can be opened now
    std::fprintf(stderr, "Capturing on %s\n", quotedList(shown).c_str());
    return live;
}

int LiveCapture::run(const std::function<void()>& afterWrite)
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    std::signal(SIGPIPE, SIG_IGN);
    afterWrite_ = afterWrite;
    const bool complete = run_->run(g_interrupted, false);
    const bool writeFailed = !output_->error().empty() && !output_->limitReached();
    output_->close();
    const pb::Statistics total = run_->total();
    std::fprintf(stderr, "%s captured\n", plural(run_->packetsWritten(), "packet").c_str());
    if (const std::uint64_t dropped = total.drops() + total.client_drops())
        std::fprintf(stderr, "%s dropped\n", plural(dropped, "packet").c_str());
    if (!complete)
        run_->printSummary("stratoshark");
    return complete && !writeFailed ? 0 : 2;
}

} // namespace ss::cli
