// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ss::helper {

// `stratoshark-helper --otlp URL`: live network spans. The helper has no epan, so the
// dissection happens in a companion process of the same package, `stratoshark export otlp`,
// which captures through this helper's own socket like any client (-i any) and sends spans
// to the collector (and, with --otlp-metrics, serves the HTTP duration histogram). The
// companion runs without root: uid nobody, the socket's group. It runs in sessions of
// `session` seconds, so that its capture file and epan's state stay bounded (a connection
// open across a session's end is ended there and begun again in the next span); it is started
// again after each session, after a failure with backoff (1 s doubling to 30 s).
class SpanCompanion {
public:
    struct Options {
        std::string program;   // the stratoshark CLI (--otlp-exporter, else beside the helper)
        std::string socket;    // this helper's socket
        std::string endpoint;  // --otlp
        std::string metrics;   // --otlp-metrics HOST:PORT ("": none)
        gid_t group = 0;       // the socket's group
        unsigned session = 600;
    };
    explicit SpanCompanion(Options options);
    ~SpanCompanion(); // stops the companion (SIGTERM, then SIGKILL after 5 s)
    SpanCompanion(const SpanCompanion&) = delete;
    SpanCompanion& operator=(const SpanCompanion&) = delete;

    // Whether `pid` is the companion running now (as `uid`, nobody).
    bool is(pid_t pid, uid_t uid);
    // The CLI next to `helper` (same folder, or the build tree's app/cli), else "stratoshark".
    static std::string findProgram(const std::string& helper);

private:
    void run();
    pid_t start();

    Options options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    pid_t child_ = -1;
    std::thread thread_;
};

} // namespace ss::helper
