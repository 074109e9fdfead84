// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "capture_file.h"
#include "dissection_session.h"
#include "options.h"

namespace ss {
class CaptureWriter;
class DisplayFilter;
class EpanRuntime;
} // namespace ss

namespace ss::cli {

class PacketPrinter;

// Runs the passes over one capture file the way tshark does: one pass, or with -2 a first
// pass (read filter, dependencies between frames) and a second pass over the kept frames.
// Prints through the PacketPrinter and writes through the CaptureWriter when given.
class FileProcessor {
public:
    struct Parts {
        DisplayFilter* readFilter = nullptr;
        DisplayFilter* displayFilter = nullptr;
        PacketPrinter* printer = nullptr; // null when not printing packets
        CaptureWriter* writer = nullptr;  // null unless -w
        column_info* columns = nullptr;
    };

    FileProcessor(EpanRuntime& runtime, const ReadOptions& options, CaptureFile& file, const Parts& parts);

    // Returns true when every record was read; otherwise error() says what broke and where.
    bool run();
    const std::string& error() const { return error_; }
    // First to last packet read so far.
    nstime_t elapsed() const { return session_.elapsed(); }

    // One worker of a parallel read (parallel_read.h): frames it does not `own` are read and
    // counted (time reference, previous captured frame, numbering) but not dissected, and
    // `beforePrint` is called with the frame number of each packet it prints.
    struct Worker {
        std::function<bool(WtapRecord&)> owns;
        std::function<void(guint32 frame)> beforePrint;
    };
    void setWorker(Worker worker) { worker_ = std::move(worker); }

    // A live capture's file, growing by whole blocks as it is read: startLive() once, then
    // readMore() each time more was written (it reads up to the current end).
    void startLive();
    bool readMore();

private:
    bool singlePass();
    void startSinglePass();
    bool readAvailable();
    bool firstPass();
    bool secondPass();
    // Dissects one frame for output: filter, print, taps, previous-frame bookkeeping.
    bool dissectAndOutput(frame_data& fd, WtapRecord& record, epan_dissect_t* edt, guint tapFlags, bool onlyPass);
    void printPacket(epan_dissect_t* edt);
    column_info* columnsFor(guint tapFlags) const;
    bool visibleTree() const;
    void primeFields(epan_dissect_t* edt) const;

    const ReadOptions& options_;
    CaptureFile& file_;
    Parts parts_;
    DissectionSession session_;
    bool doDissection_ = false;
    // -T fields: epan builds only the requested fields (a tree that is not "visible",
    // primed with their ids) instead of a full text tree. Empty when not applicable.
    std::vector<int> fieldIds_;
    guint32 count_ = 0;
    guint32 frameNumber_ = 0;
    guint tapFlags_ = 0;
    std::unique_ptr<Dissection> dissection_; // single pass
    std::string error_;
    Worker worker_;
};

} // namespace ss::cli
