// SPDX-License-Identifier: GPL-2.0-or-later
#include "random_access.h"

#include "epan_runtime.h"
#include "error.h"

namespace ss {

RandomAccessCapture::RandomAccessCapture(EpanRuntime& runtime, const std::string& path)
    : file_(CaptureFile::open(path, true)), session_(runtime, *file_), columns_(runtime.prefs())
{
    session_.keepFrames();
}

void RandomAccessCapture::firstPass(const std::atomic<bool>* cancel, const PacketIndex::Progress& progress)
{
    Dissection dissection(session_, false, false);
    guint32 cumBytes = 0;
    auto dissectOnce = [&](std::uint32_t number, const PacketIndexEntry& entry, WtapRecord& record) {
        frame_data fd;
        frame_data_init(&fd, number, record.rec(), entry.fileOffset, cumBytes);
        session_.beforeDissect(&fd);
        epan_dissect_run(dissection.get(), session_.fileType(), record.rec(),
                         tvb_new_real_data(record.data(), fd.cap_len, fd.pkt_len), &fd, nullptr);
        session_.afterDissect(&fd);
        cumBytes = fd.cum_bytes;
        frame_data* kept = frame_data_sequence_add(session_.frames(), &fd);
        session_.setPrevDisplayed(kept);
        session_.setPrevCaptured(kept);
        dissection.reset();
        frames_ = number;
    };
    index_.build(*file_, cancel, progress, dissectOnce);
    error_ = index_.error();
    session_.resetPrevious();
}

void RandomAccessCapture::dissect(std::uint32_t number, const std::function<void(const Packet&)>& use)
{
    frame_data* fd = number ? frame_data_sequence_find(session_.frames(), number) : nullptr;
    if (!fd)
        throw EngineError("dissect frame " + std::to_string(number), file_->path(), "no such frame");
    WtapRecord record;
    file_->seekRead(fd->file_off, record, number);
    Dissection dissection(session_, true, true);
    // As Wireshark's GUI does: the previous displayed frame is the one before in the list.
    session_.provider().prev_dis = number > 1 ? frame_data_sequence_find(session_.frames(), number - 1) : nullptr;
    session_.provider().prev_cap = session_.provider().prev_dis;
    epan_dissect_run(dissection.get(), session_.fileType(), record.rec(),
                     tvb_new_real_data(record.data(), fd->cap_len, fd->pkt_len), fd, columns_.get());
    epan_dissect_fill_in_columns(dissection.get(), FALSE, TRUE);
    use(Packet{dissection.get(), columns_.get(), record.data(), fd->cap_len});
}

} // namespace ss
