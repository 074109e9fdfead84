// SPDX-License-Identifier: GPL-2.0-or-later
#include "span_companion.h"
#include "endpoint.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ss::helper {
namespace {

constexpr uid_t kNobody = 65534;

// The port of an http(s)://HOST[:PORT][/…] URL (the scheme's when none); 0 if unreadable.
int endpointPort(const std::string& url)
{
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos)
        return 0;
    std::string hostPort = url.substr(scheme + 3);
    hostPort = hostPort.substr(0, hostPort.find('/'));
    const std::size_t colon = hostPort.rfind(':');
    if (colon == std::string::npos || hostPort.back() == ']')
        return url.compare(0, scheme, "https") == 0 ? 443 : 80;
    const int port = std::atoi(hostPort.c_str() + colon + 1);
    return port > 0 && port < 65536 ? port : 0;
}

// The port of --otlp-metrics HOST:PORT (or [V6]:PORT), 0 if it has none.
int metricsPort(const std::string& listen)
{
    std::string host, port;
    return ipc::splitHostPort(listen, &host, &port) ? std::stoi(port) : 0;
}

} // namespace

std::string SpanCompanion::findProgram(const std::string& helper)
{
    const std::string dir = helper.find('/') == std::string::npos ? "" : helper.substr(0, helper.rfind('/') + 1);
    for (const char* candidate : {"stratoshark", "../app/cli/stratoshark"}) {
        const std::string path = dir + candidate;
        if (!dir.empty() && access(path.c_str(), X_OK) == 0)
            return path;
    }
    return "stratoshark";
}

bool SpanCompanion::is(pid_t pid, uid_t uid)
{
    std::lock_guard lock(mutex_);
    return pid > 0 && pid == child_ && uid == kNobody;
}

SpanCompanion::SpanCompanion(Options options) : options_(std::move(options))
{
    thread_ = std::thread([this] { run(); });
}

SpanCompanion::~SpanCompanion()
{
    {
        std::unique_lock lock(mutex_);
        stop_ = true;
        if (child_ > 0) {
            kill(child_, SIGTERM); // it ends its capture and sends what it has
            if (!wake_.wait_for(lock, std::chrono::seconds(5), [this] { return child_ < 0; }))
                kill(child_, SIGKILL);
        }
    }
    wake_.notify_all();
    thread_.join();
}

pid_t SpanCompanion::start()
{
    std::vector<std::string> args{options_.program, "export", "otlp", "-i", "any", "--helper",
                                  "unix:" + options_.socket, "-a", "duration:" + std::to_string(options_.session),
                                  "--endpoint", options_.endpoint};
    if (!options_.metrics.empty()) {
        args.push_back("--metrics");
        args.push_back(options_.metrics);
    }
    // Its own traffic is not the network's spans: its exports, and the scrapes of its
    // histogram (each would add a span and count itself in the histogram it reads).
    std::string own;
    for (const int port : {endpointPort(options_.endpoint), metricsPort(options_.metrics)})
        if (port)
            own += (own.empty() ? "not tcp port " : " and not tcp port ") + std::to_string(port);
    if (!own.empty()) {
        args.push_back("-f");
        args.push_back(own);
    }
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    // The environment, with nobody's HOME: root's Wireshark profile is not its to read.
    std::vector<std::string> env{"HOME=/nonexistent"};
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "HOME=", 5) != 0)
            env.emplace_back(*e);
    std::vector<char*> envp;
    for (std::string& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    // The child: no root, the socket's group, nothing of the helper's descriptors but stdio.
    for (int fd = 3; fd < 1024; ++fd)
        close(fd);
    if (setgroups(0, nullptr) != 0 || setgid(options_.group) != 0 || setuid(kNobody) != 0) {
        std::fprintf(stderr, "stratoshark-helper: --otlp: drop privileges for \"%s\": %s\n", options_.program.c_str(),
                     std::strerror(errno));
        _exit(126);
    }
    if (chdir("/") != 0)
        _exit(126);
    execvpe(argv[0], argv.data(), envp.data());
    std::fprintf(stderr, "stratoshark-helper: --otlp: run \"%s\" as nobody: %s (--otlp-exporter names it; it and its "
                         "folders must be readable by nobody)\n",
                 options_.program.c_str(), std::strerror(errno));
    _exit(127);
}

void SpanCompanion::run()
{
    std::chrono::seconds backoff{1};
    std::unique_lock lock(mutex_);
    while (!stop_) {
        const pid_t pid = start();
        if (pid < 0) {
            std::fprintf(stderr, "stratoshark-helper: --otlp: fork: %s\n", std::strerror(errno));
        } else {
            child_ = pid;
            lock.unlock();
            int status = 0;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            lock.lock();
            child_ = -1;
            wake_.notify_all();
            const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (clean) {
                backoff = std::chrono::seconds(1);
                continue; // a session ended: the next one at once
            }
            if (!stop_)
                std::fprintf(stderr, "stratoshark-helper: --otlp: the span exporter ended (%s %d); again in %lld s\n",
                             WIFEXITED(status) ? "status" : "signal",
                             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                             static_cast<long long>(backoff.count()));
        }
        wake_.wait_for(lock, backoff, [this] { return stop_; });
        backoff = std::min<std::chrono::seconds>(backoff * 2, std::chrono::seconds(30));
    }
}

} // namespace ss::helper
