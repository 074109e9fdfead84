// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "capture_file.h"
#include "columns.h"
#include "dissection_session.h"
#include "packet_index.h"

namespace ss {

class EpanRuntime;

// A capture opened for random access, as Wireshark's GUI uses one: one pass builds the
// compact index and lets epan see every frame once (conversations, reassembly, analysis
// flags); afterwards any frame can be re-read and dissected again with its full tree,
// columns and bytes, in any order.
class RandomAccessCapture {
public:
    RandomAccessCapture(EpanRuntime& runtime, const std::string& path);

    // Reads and dissects every frame once. Keeps what it read when cancelled or when the
    // file is damaged (error() then says where).
    void firstPass(const std::atomic<bool>* cancel = nullptr, const PacketIndex::Progress& progress = {});

    std::size_t frameCount() const { return frames_; }
    const PacketIndex& index() const { return index_; }
    const std::string& error() const { return error_; }
    const std::string& path() const { return file_->path(); }

    struct Packet {
        epan_dissect_t* edt;       // tree (visible) and columns filled in
        column_info* columns;
        const guint8* bytes;
        std::uint32_t length;
    };
    // Dissects frame `number` (1-based) and hands it to `use` while it is alive.
    // Throws EngineError for a frame that does not exist or cannot be re-read.
    void dissect(std::uint32_t number, const std::function<void(const Packet&)>& use);

private:
    std::unique_ptr<CaptureFile> file_;
    DissectionSession session_;
    Columns columns_;
    PacketIndex index_;
    std::size_t frames_ = 0;
    std::string error_;
};

} // namespace ss
