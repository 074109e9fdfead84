// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "epan_includes.h"

namespace ss {

class CaptureFile;

// Writes records read from a CaptureFile to a pcapng file (or "-" for standard output), or
// another format wiretap writes (`fileType`, a wtap file type/subtype: pcap for one link
// type), carrying the source's section header and interface blocks over where the format
// has them. Owns the wtap_dumper;
// the destructor closes it, so a file is complete up to the last record written.
class CaptureWriter {
public:
    CaptureWriter(const std::string& path, CaptureFile& source, int fileType = -1); // -1: pcapng
    ~CaptureWriter();
    CaptureWriter(const CaptureWriter&) = delete;
    CaptureWriter& operator=(const CaptureWriter&) = delete;

    // Copies interface blocks the source has read since the last call.
    void addNewInterfaces();
    // Throws EngineError naming the output file and the frame.
    void write(const wtap_rec* rec, const guint8* data, guint32 frameNumber);
    // Flushes and closes; throws on error. Called by the destructor if not before.
    void close();

private:
    std::string path_;
    CaptureFile& source_;
    wtap_dumper* dumper_ = nullptr;
    wtap_dump_params params_ = WTAP_DUMP_PARAMS_INIT; // must outlive the dumper
};

} // namespace ss

namespace ss {

// Copies the frames of `inputPath` for which `keep(frameNumber)` is true into a new file,
// pcapng or `fileType` (File → Export Specified Packets, Save As). Returns the number written; throws
// EngineError naming the file and the step.
// `changedBlock(frame)`, when given, returns a frame's changed packet block (a packet
// comment added in the GUI) to write instead of the file's, or null.
std::size_t exportFrames(const std::string& inputPath, const std::string& outputPath,
                         const std::function<bool(std::uint32_t)>& keep, int fileType = -1,
                         const std::function<wtap_block_t(std::uint32_t)>& changedBlock = {});

// File → Merge, as mergecap: the records of `inputs` into one pcapng file, in time order
// (or one file after the other with `append`), identical interfaces merged. Throws
// EngineError naming the input or output that failed.
void mergeCaptures(const std::vector<std::string>& inputs, const std::string& outputPath, bool append);

} // namespace ss
