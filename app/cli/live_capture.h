// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "options.h"

namespace ss::capture {
class CaptureOutput;
class CaptureRun;
} // namespace ss::capture

namespace ss::cli {

// `stratoshark -i IFACE [-f FILTER] [-c N] [-a duration:N] [-w FILE]`: tshark's live capture,
// through the helpers. As tshark has dumpcap write a file that it reads as it grows, the
// capture goes into the -w file (or a temporary one) in whole blocks, and the reader
// dissects what has arrived after each write.
class LiveCapture {
public:
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    // Connects, starts the capture on every helper and writes the file's first blocks.
    // nullptr after printing why (the exit status is 2).
    static std::unique_ptr<LiveCapture> start(const ReadOptions& options);

    // The file being written (the -w file, or a temporary one removed at the end).
    const std::string& path() const { return path_; }
    bool readable() const { return path_ != "-"; }

    // Captures until the helpers end (-c, -a, Ctrl+C); `afterWrite` after each write.
    // Prints "N packets captured" (and drops) as tshark does. Returns the exit status.
    int run(const std::function<void()>& afterWrite);

private:
    LiveCapture() = default;

    std::unique_ptr<capture::CaptureRun> run_;
    std::unique_ptr<capture::CaptureOutput> output_;
    std::string path_;
    bool temporary_ = false;
    std::function<void()> afterWrite_;
};

// `stratoshark -D`: the helpers' interfaces, numbered as -i takes them.
int listInterfaces(const ReadOptions& options);

} // namespace ss::cli
