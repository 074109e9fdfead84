// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_command.h"

#include "capture_output.h"
#include "userspace_filter.h"

#include "helper.pb.h"
#include "ipc_framing.h"

#include <getopt.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace ss::cli {
namespace pb = stratoshark::helper::v1;
namespace {

std::atomic<bool> g_interrupted{false}; // set by SIGINT/SIGTERM only

void onInterrupt(int)
{
    g_interrupted = true;
}

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark capture [--helper unix:PATH] -i IFACE [-i IFACE]... [--duration TIME]\n"
               "                           [--count N] [--snaplen N] [--syscalls LIST|default|all|none]\n"
               "                           [--filter EXPR] [--ebpf-filter EXPR [--allow-userspace-filter]]\n"
               "                           [--max-size SIZE]\n"
               "                           [--ring-size SIZE [--ring-files N] [--max-age TIME]]\n"
               "                           --output FILE|-\n"
               "       stratoshark capture [--helper unix:PATH] --list-interfaces\n"
               "Without -i: every interface that is up, and those that come up during the capture.\n"
               "TIME is like 30s, 5m, 2h or 7d; SIZE like 100MB, 512kB or 1GiB. A ring writes\n"
               "FILE_00001_<time>.pcapng, … and keeps the newest N files / those younger than TIME.\n"
               "The privileged stratoshark-helper captures; this command only asks it (root or a\n"
               "member of the helper's group).\n",
               out);
}

int connectHelper(const std::string& spec)
{
    std::string path = spec.rfind("unix:", 0) == 0 ? spec.substr(5) : spec;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        std::fprintf(stderr, "stratoshark capture: helper socket path too long: %s\n", path.c_str());
        return -1;
    }
    std::strcpy(addr.sun_path, path.c_str());
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        std::fprintf(stderr, "stratoshark capture: cannot reach the helper at %s: %s%s\n", path.c_str(),
                     std::strerror(err),
                     err == EACCES ? " (only root and members of the helper's group may capture)"
                                   : " (is stratoshark-helper running?)");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

// Reads one response, an error from the helper included; false (and says why) when the
// connection broke.
bool readAnyResponse(int fd, pb::Response& r)
{
    const auto result = ipc::readMessage(fd, r, ipc::kMaxResponseBytes);
    if (result != ipc::ReadResult::Ok)
        std::fprintf(stderr, "stratoshark capture: the helper closed the connection%s\n",
                     result == ipc::ReadResult::Closed ? "" : " mid-message");
    return result == ipc::ReadResult::Ok;
}

void printRefusal(const pb::Error& error)
{
    std::fprintf(stderr, "stratoshark capture: helper refused: %s (%s)\n", error.message().c_str(),
                 pb::Error::Code_Name(error.code()).c_str());
}

// Reads one response; prints the helper's error. Returns false on error or hang-up.
bool readResponse(int fd, pb::Response& r)
{
    if (!readAnyResponse(fd, r))
        return false;
    if (r.has_error()) {
        printRefusal(r.error());
        return false;
    }
    return true;
}

void printProgress(const pb::Statistics& s, bool final)
{
    char records[96] = "";
    if (s.records() || s.record_drops())
        std::snprintf(records, sizeof records, ", %llu syscall records (%llu dropped)",
                      static_cast<unsigned long long>(s.records()), static_cast<unsigned long long>(s.record_drops()));
    std::fprintf(stderr, "%s%llu packets, %llu bytes, %llu dropped%s, %.1f s%s", final ? "" : "\r",
                 static_cast<unsigned long long>(s.packets()), static_cast<unsigned long long>(s.bytes()),
                 static_cast<unsigned long long>(s.drops()), records, double(s.elapsed_ms()) / 1000.0,
                 final ? "\n" : "   ");
}

} // namespace

std::optional<std::uint64_t> parseDurationMs(const std::string& text)
{
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || value < 0)
        return std::nullopt;
    const std::string unit(end);
    double factor;
    if (unit.empty() || unit == "s")
        factor = 1000;
    else if (unit == "ms")
        factor = 1;
    else if (unit == "m")
        factor = 60000;
    else if (unit == "h")
        factor = 3600000;
    else if (unit == "d")
        factor = 86400000;
    else
        return std::nullopt;
    return static_cast<std::uint64_t>(value * factor);
}

int runCapture(int argc, char** argv)
{
    static const option kOptions[] = {
        {"helper", required_argument, nullptr, 'H'},  {"output", required_argument, nullptr, 'o'},
        {"duration", required_argument, nullptr, 'd'}, {"count", required_argument, nullptr, 'c'},
        {"snaplen", required_argument, nullptr, 's'}, {"filter", required_argument, nullptr, 'f'},
        {"ebpf-filter", required_argument, nullptr, 'e'}, {"list-interfaces", no_argument, nullptr, 'L'},
        {"syscalls", required_argument, nullptr, 'S'}, {"max-size", required_argument, nullptr, 'M'},
        {"ring-size", required_argument, nullptr, 'R'}, {"ring-files", required_argument, nullptr, 'N'},
        {"max-age", required_argument, nullptr, 'A'}, {"allow-userspace-filter", no_argument, nullptr, 'U'},
        {"help", no_argument, nullptr, 'h'},          {nullptr, 0, nullptr, 0}};
    CaptureOutput::Options files;
    const auto size = [](const char* option, const char* text, std::uint64_t* into) {
        const auto bytes = CaptureOutput::parseSize(text);
        if (!bytes)
            std::fprintf(stderr, "stratoshark capture: bad %s \"%s\" (use e.g. 100MB, 512kB, 1GiB)\n", option, text);
        else
            *into = *bytes;
        return bytes.has_value();
    };
    std::string helper = std::string("unix:") + ipc::kDefaultSocket, output;
    pb::Request startRequest;
    std::optional<pb::Response> pending; // a response read ahead (the stream's first part)
    bool started = false;
    pb::StartCapture& start = *startRequest.mutable_start_capture();
    bool list = false, allowUserspace = false;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "i:w:c:s:h", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 'H': helper = optarg; break;
        case 'i': start.add_interfaces(optarg); break;
        case 'o':
        case 'w': output = optarg; break;
        case 'd': {
            const auto ms = parseDurationMs(optarg);
            if (!ms) {
                std::fprintf(stderr, "stratoshark capture: bad --duration \"%s\" (use e.g. 30s, 5m, 2h)\n", optarg);
                return 1;
            }
            start.set_duration_ms(*ms);
            break;
        }
        case 'c': start.set_max_packets(std::strtoull(optarg, nullptr, 10)); break;
        case 's': start.set_snaplen(std::uint32_t(std::strtoul(optarg, nullptr, 10))); break;
        case 'f': start.set_bpf_filter(optarg); break;
        case 'e': start.set_metadata_filter(optarg); break;
        case 'S': start.set_syscalls(optarg); break;
        case 'L': list = true; break;
        case 'U': allowUserspace = true; break;
        case 'M':
            if (!size("--max-size", optarg, &files.maxSize))
                return 1;
            break;
        case 'R':
            if (!size("--ring-size", optarg, &files.ringSize))
                return 1;
            break;
        case 'N': {
            char* end = nullptr;
            const unsigned long n = std::strtoul(optarg, &end, 10);
            if (*end || n == 0 || n > 100000) {
                std::fprintf(stderr, "stratoshark capture: bad --ring-files \"%s\" (1 to 100000)\n", optarg);
                return 1;
            }
            files.ringFiles = unsigned(n);
            break;
        }
        case 'A': {
            const auto ms = parseDurationMs(optarg);
            if (!ms || *ms == 0) {
                std::fprintf(stderr, "stratoshark capture: bad --max-age \"%s\" (use e.g. 12h, 7d)\n", optarg);
                return 1;
            }
            files.maxAgeMs = *ms;
            break;
        }
        case 'h': usage(stdout); return 0;
        default:
            std::fprintf(stderr, "stratoshark capture: unknown option \"%s\"\n", argv[optind - 1]);
            usage(stderr);
            return 1;
        }
    }
    if (!list && output.empty()) {
        std::fprintf(stderr, "stratoshark capture: --output FILE (or - for standard output) is needed\n");
        usage(stderr);
        return 1;
    }
    if ((files.ringFiles || files.maxAgeMs) && !files.ringSize) {
        std::fprintf(stderr, "stratoshark capture: --ring-files and --max-age need --ring-size (when to start a new file)\n");
        return 1;
    }
    if (!list && output == "-" && isatty(STDOUT_FILENO)) {
        std::fprintf(stderr, "stratoshark capture: not writing pcapng to a terminal; redirect --output -\n");
        return 1;
    }

    const int fd = connectHelper(helper);
    if (fd < 0)
        return 2;
    pb::Request hello;
    hello.mutable_hello()->set_protocol_version(ipc::kProtocolVersion);
    hello.mutable_hello()->set_client("stratoshark capture");
    pb::Response r;
    if (!ipc::writeMessage(fd, hello) || !readResponse(fd, r) || !r.has_hello()) {
        close(fd);
        return 2;
    }
    if (list) {
        pb::Request req;
        req.mutable_list_interfaces();
        if (!ipc::writeMessage(fd, req) || !readResponse(fd, r) || !r.has_interfaces()) {
            close(fd);
            return 2;
        }
        for (const auto& i : r.interfaces().interfaces())
            std::printf("%u. %s%s\n", i.index(), i.name().c_str(), i.up() ? "" : " (down)");
        close(fd);
        return 0;
    }

    // --allow-userspace-filter: checked as a display filter now, used if the helper cannot
    // run it in the kernel (then everything goes into a temporary file first).
    std::unique_ptr<UserspaceFilter> fallback;
    if (allowUserspace && !start.metadata_filter().empty()) {
        if (files.ringSize || files.maxSize) {
            std::fprintf(stderr, "stratoshark capture: --allow-userspace-filter works on one file, not with "
                                 "--ring-size or --max-size\n");
            close(fd);
            return 1;
        }
        fallback = std::make_unique<UserspaceFilter>(start.metadata_filter());
        std::string error;
        if (!fallback->compiles(&error)) {
            std::fprintf(stderr, "stratoshark capture: --ebpf-filter \"%s\": %s\n", start.metadata_filter().c_str(),
                         error.c_str());
            close(fd);
            return 2;
        }
        if (!ipc::writeMessage(fd, startRequest)) {
            std::fprintf(stderr, "stratoshark capture: the helper closed the connection\n");
            close(fd);
            return 2;
        }
        if (!readAnyResponse(fd, r)) {
            close(fd);
            return 2;
        }
        if (r.has_error() && r.error().message().rfind("--ebpf-filter", 0) == 0) {
            std::fprintf(stderr, "stratoshark capture: not in the kernel (%s); capturing everything and filtering "
                                 "here at the end\n", r.error().message().c_str());
            start.clear_metadata_filter();
        } else if (r.has_error()) {
            printRefusal(r.error());
            close(fd);
            return 2;
        } else {
            fallback.reset(); // the kernel runs it: the stream is already coming (r is its first part)
            pending = std::move(r);
            started = true;
        }
    }
    const std::string finalOutput = output;
    if (fallback)
        output = (output == "-" ? std::string("stratoshark-capture") : output) + ".unfiltered-" +
                 std::to_string(getpid()) + ".pcapng";
    files.path = output;
    CaptureOutput out(files);
    if (!out.open()) {
        std::fprintf(stderr, "stratoshark capture: %s\n", out.error().c_str());
        close(fd);
        return 2;
    }
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    std::signal(SIGPIPE, SIG_IGN);
    const bool progress = isatty(STDERR_FILENO);
    int exitCode = 2;
    if (started || ipc::writeMessage(fd, startRequest)) {
        bool stopSent = false, writing = true;
        for (;;) {
            if ((g_interrupted || !writing) && !stopSent) { // Ctrl+C, a limit: ask the helper to finish
                pb::Request stop;
                stop.mutable_stop();
                ipc::writeMessage(fd, stop);
                stopSent = true;
            }
            if (pending) {
                r = std::move(*pending);
                pending.reset();
            } else if (!readResponse(fd, r)) {
                break;
            }
            if (r.has_data()) {
                // Whole blocks only: the file is valid up to the last one written.
                if (writing && !out.write(r.data().pcapng())) {
                    writing = false;
                    if (!out.limitReached()) {
                        std::fprintf(stderr, "stratoshark capture: %s\n", out.error().c_str());
                        exitCode = 3; // reported below once the helper has stopped
                    }
                }
            } else if (r.has_statistics()) {
                out.expire(); // --max-age also while no new file starts
                if (progress)
                    printProgress(r.statistics(), false);
            } else if (r.has_end()) {
                if (progress)
                    std::fputc('\n', stderr);
                std::fprintf(stderr, "stratoshark capture: %s: ",
                             out.limitReached() ? "max-size" : r.end().reason().c_str());
                printProgress(r.end().statistics(), true);
                if (out.limitReached())
                    std::fprintf(stderr, "stratoshark capture: %llu packets fit in --max-size\n",
                                 static_cast<unsigned long long>(out.packetsWritten()));
                if (out.filesWritten() > 1 || files.ringSize)
                    std::fprintf(stderr, "stratoshark capture: %llu files written\n",
                                 static_cast<unsigned long long>(out.filesWritten()));
                exitCode = exitCode == 3 ? 2 : 0;
                break;
            }
        }
    }
    close(fd);
    if (fallback && exitCode == 0) {
        out.close();
        return fallback->apply(output, finalOutput);
    }
    return exitCode == 3 ? 2 : exitCode;
}

} // namespace ss::cli
