// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ss::capture {

// Where `stratoshark capture` puts the pcapng blocks the helper streams: one file (or
// standard output), or a ring of files like dumpcap's `-b`: OUT_00001_20261127093000.pcapng,
// … Each file of a ring starts with the section header and every interface block seen so
// far, so each opens on its own, then the TLS secrets blocks that came in the last
// secretsRepeatMs (at most kMaxRepeatedSecrets bytes): the helper writes a handshake's
// secrets up to its hold (100 ms) before the handshake's packets, and a cut between them
// would leave that session undecrypted. A file is only ever cut between whole blocks.
class CaptureOutput {
public:
    struct Options {
        std::string path;           // "-": standard output
        std::uint64_t maxSize = 0;  // --max-size: stop before the output grows past this
        std::uint64_t ringSize = 0; // --ring-size: start a new file before this size
        unsigned ringFiles = 0;     // --ring-files: keep at most this many (0: all)
        std::uint64_t maxAgeMs = 0; // --max-age: delete ring files older than this
        bool holdsSecrets = false;  // files hold secrets (--tls-secrets): mode 0640, as the helper's spool
        std::uint64_t secretsRepeatMs = 2000; // a ring's new file repeats the secrets that came this recently
    };
    explicit CaptureOutput(Options options);
    ~CaptureOutput();
    CaptureOutput(const CaptureOutput&) = delete;
    CaptureOutput& operator=(const CaptureOutput&) = delete;

    // Opens the (first) file; false with error() set when it cannot.
    bool open();
    // Writes whole blocks. False when --max-size is reached (the blocks that fit are
    // written) or on a write error (error() says which).
    bool write(std::string_view blocks);
    // Closes the file being written (also done on destruction).
    void close();
    // Deletes ring files past --max-age (also called on each new file).
    void expire();
    const std::string& error() const { return error_; }
    bool limitReached() const { return limitReached_; }
    std::uint64_t filesWritten() const { return sequence_; }
    std::uint64_t packetsWritten() const { return packets_; }
    // The file being written ("" before open()).
    std::string currentPath() const { return ringFiles_.empty() ? options_.path : ringFiles_.back(); }

    // Decryption Secrets Blocks repeated at the start of each new ring file, at most.
    static constexpr std::size_t kMaxRepeatedSecrets = 4u << 20;

    // "10MB", "512k", "1G", plain bytes (powers of 1000 as dumpcap's kB; KiB/MiB/GiB 1024).
    static std::optional<std::uint64_t> parseSize(const std::string& text);
    // The name of ring file `n` started at `when` (OUT.pcapng → OUT_00001_YYYYMMDDhhmmss.pcapng).
    static std::string ringName(const std::string& path, std::uint64_t n, std::time_t when);

private:
    bool startFile();
    bool writeBlocks(std::string_view blocks);
    bool writeBytes(const char* data, std::size_t size);
    void keepSecrets(std::string block);
    bool ring() const { return options_.ringSize || options_.ringFiles || options_.maxAgeMs; }

    Options options_;
    std::FILE* file_ = nullptr;
    std::uint64_t fileBytes_ = 0, totalBytes_ = 0, filePackets_ = 0;
    std::uint64_t committed_ = 0; // bytes of the current file known written (flushed)
    std::uint64_t sequence_ = 0, packets_ = 0;
    std::string header_; // the section header and the interface blocks so far
    // Recent Decryption Secrets Blocks (a ring's) and when they came, newest last.
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> secrets_;
    std::size_t secretsBytes_ = 0;
    std::deque<std::string> ringFiles_;
    std::string error_;
    bool limitReached_ = false;
    bool swap_ = false; // the section's byte order is not ours
};

} // namespace ss::capture
