// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "epan_includes.h"

namespace ss {

// One record read from wiretap: the record header and its bytes, reused across reads.
class WtapRecord {
public:
    WtapRecord();
    ~WtapRecord();
    WtapRecord(const WtapRecord&) = delete;
    WtapRecord& operator=(const WtapRecord&) = delete;

    wtap_rec* rec() { return &rec_; }
    Buffer* buf() { return &buf_; }
    const guint8* data() { return ws_buffer_start_ptr(&buf_); }
    void reset() { wtap_rec_reset(&rec_); }

private:
    wtap_rec rec_;
    Buffer buf_;
};

// A capture file opened through wiretap (pcap, pcapng, compressed, and every other format
// wiretap knows). Owns the wtap handle. Errors are EngineError with a message that names
// the file and the cause, worded as tshark words them.
class CaptureFile {
public:
    static std::unique_ptr<CaptureFile> open(const std::string& path, bool randomAccess);
    ~CaptureFile();
    CaptureFile(const CaptureFile&) = delete;
    CaptureFile& operator=(const CaptureFile&) = delete;

    wtap* handle() const { return wth_; }
    const std::string& path() const { return path_; }
    int fileTypeSubtype() const { return wtap_file_type_subtype(wth_); }

    // Sequential read. Returns false at the end of the file or on error; after false,
    // failed() tells which and errorMessage() describes it.
    bool readNext(WtapRecord& record, gint64* offset);
    bool failed() const { return err_ != 0; }
    // After the end of a file that grows (a live capture's): reading may go on.
    void clearEof() { wtap_cleareof(wth_); }
    std::string errorMessage() const;

    // Random access (needs randomAccess=true at open). Throws EngineError.
    void seekRead(gint64 offset, WtapRecord& record, std::uint32_t frameNumber);

    // Ends the sequential side; random access stays usable.
    void closeSequential() { wtap_sequential_close(wth_); }

private:
    CaptureFile(wtap* wth, std::string path) : wth_(wth), path_(std::move(path)) {}

    wtap* wth_;
    std::string path_;
    int err_ = 0;
    std::string errInfo_;
};

// Text for an error from opening a capture file (WTAP_ERR_* or errno).
std::string describeOpenError(const std::string& path, int err, const char* errInfo);
// Text for an error while reading records from a capture file.
std::string describeReadError(const std::string& path, int err, const char* errInfo);

} // namespace ss
