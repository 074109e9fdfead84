// SPDX-License-Identifier: GPL-2.0-or-later
#include "random_access.h"

#include <algorithm>

#include "epan_runtime.h"
#include "error.h"

namespace ss {

RandomAccessCapture::RandomAccessCapture(EpanRuntime& runtime, const std::string& path)
    : file_(CaptureFile::open(path, true)), session_(runtime, *file_), columns_(runtime.prefs())
{
    session_.keepFrames();
}

bool RandomAccessCapture::loadSome(std::size_t maxFrames)
{
    if (loaded_)
        return false;
    if (!firstPassDissection_)
        firstPassDissection_ = std::make_unique<Dissection>(session_, false, false);
    epan_dissect_t* edt = firstPassDissection_->get();
    auto dissectOnce = [&](std::uint32_t number, const PacketIndexEntry& entry, WtapRecord& record) {
        frame_data fd;
        frame_data_init(&fd, number, record.rec(), entry.fileOffset, session_.cumBytes());
        session_.beforeDissect(&fd);
        // With taps: listeners registered for the first pass (the GUI's expert summary) see it.
        epan_dissect_run_with_taps(edt, session_.fileType(), record.rec(),
                                   frameTvb(record.data(), fd), &fd, nullptr);
        session_.afterDissect(&fd);
        frame_data* kept = frame_data_sequence_add(session_.frames(), &fd);
        session_.setPrevDisplayed(kept);
        session_.setPrevCaptured(kept);
        epan_dissect_reset(edt);
        frames_ = number;
    };
    if (index_.readSome(*file_, maxFrames, dissectOnce))
        return true;
    if (following_ && index_.error().empty()) {
        file_->clearEof(); // more will come: read on from here next time
        return false;
    }
    firstPassDissection_.reset();
    session_.resetPrevious();
    loaded_ = true;
    return false;
}

void RandomAccessCapture::firstPass()
{
    while (loadSome(4096)) {
    }
}

void RandomAccessCapture::dissect(std::uint32_t number, const Request& request,
                                  const std::function<void(const Packet&)>& use)
{
    frame_data* fd = frameAt(number);
    if (!fd)
        throw EngineError("dissect frame " + std::to_string(number), file_->path(), "no such frame");
    WtapRecord record;
    file_->seekRead(fd->file_off, record, number);
    column_info* cinfo = request.columns ? columns_.get() : nullptr;
    const bool customColumns = cinfo && have_custom_cols(cinfo); // their fields need a tree
    Dissection dissection(session_, request.tree || request.filter || request.colorize || customColumns,
                          request.tree && request.visibleTree);
    epan_dissect_t* edt = dissection.get();
    if (customColumns)
        col_custom_prime_edt(edt, cinfo);
    if (request.filter)
        epan_dissect_prime_with_dfilter(edt, request.filter);
    if (request.colorize) {
        color_filters_prime_edt(edt);
        fd->need_colorize = 1;
    }
    // As in Wireshark's packet list: the previous frame is the one before in the file; the
    // previous displayed one (frame.time_delta_displayed) is the one before in the display.
    if (auto it = std::lower_bound(displayed_.begin(), displayed_.end(), number);
        it != displayed_.end() && *it == number) {
        fd->passed_dfilter = 1;
        fd->prev_dis_num = it == displayed_.begin() ? number : *(it - 1);
    }
    frame_data* previous = number > 1 ? frame_data_sequence_find(session_.frames(), number - 1) : nullptr;
    session_.provider().prev_dis = previous;
    session_.provider().prev_cap = previous;
    tvbuff_t* tvb = frameTvb(record.data(), *fd);
    if (request.taps)
        epan_dissect_run_with_taps(edt, session_.fileType(), record.rec(), tvb, fd, cinfo);
    else
        epan_dissect_run(edt, session_.fileType(), record.rec(), tvb, fd, cinfo);
    if (cinfo)
        epan_dissect_fill_in_columns(edt, request.columnFilters, TRUE);
    const bool matched = request.filter ? dfilter_apply_edt(request.filter, edt) : true;
    const color_filter_t* color = request.colorize ? color_filters_colorize_packet(edt) : nullptr;
    use(Packet{number, edt, cinfo, record.data(), fd->cap_len, matched, color});
}

frame_data* RandomAccessCapture::frameAt(std::uint32_t number) const
{
    return number && number <= frames_ ? frame_data_sequence_find(session_.frames(), number) : nullptr;
}

wtap_block_t RandomAccessCapture::currentBlock(std::uint32_t number, frame_data& fd)
{
    if (wtap_block_t changed = modifiedBlock(number))
        return wtap_block_ref(changed);
    WtapRecord record;
    file_->seekRead(fd.file_off, record, number);
    return record.rec()->block ? wtap_block_ref(record.rec()->block) : nullptr; // outlives the record
}

std::vector<std::string> RandomAccessCapture::comments(std::uint32_t number)
{
    frame_data* fd = frameAt(number);
    if (!fd)
        throw EngineError("read comments of frame " + std::to_string(number), file_->path(), "no such frame");
    std::vector<std::string> out;
    wtap_block_t block = currentBlock(number, *fd);
    for (guint i = 0; block && i < wtap_block_count_option(block, OPT_COMMENT); ++i) {
        char* text = nullptr;
        if (wtap_block_get_nth_string_option_value(block, OPT_COMMENT, i, &text) == WTAP_OPTTYPE_SUCCESS && text)
            out.emplace_back(text);
    }
    if (block)
        wtap_block_unref(block);
    return out;
}

void RandomAccessCapture::setComments(std::uint32_t number, const std::vector<std::string>& comments)
{
    frame_data* fd = frameAt(number);
    if (!fd)
        throw EngineError("set comments of frame " + std::to_string(number), file_->path(), "no such frame");
    wtap_block_t current = currentBlock(number, *fd);
    wtap_block_t block = current ? wtap_block_make_copy(current) : wtap_block_create(WTAP_BLOCK_PACKET);
    if (current)
        wtap_block_unref(current);
    while (wtap_block_count_option(block, OPT_COMMENT) > 0)
        wtap_block_remove_nth_option_instance(block, OPT_COMMENT, 0);
    for (const std::string& c : comments)
        if (!c.empty())
            wtap_block_add_string_option(block, OPT_COMMENT, c.data(), c.size());
    auto& blocks = session_.provider().modifiedBlocks;
    if (auto it = blocks.find(number); it != blocks.end())
        wtap_block_unref(it->second);
    blocks[number] = block;
    fd->has_modified_block = 1;
}

wtap_block_t RandomAccessCapture::modifiedBlock(std::uint32_t number) const
{
    const auto& blocks = session_.provider().modifiedBlocks;
    auto it = blocks.find(number);
    return it == blocks.end() ? nullptr : it->second;
}

namespace {

bool isSet(const frame_data* fd, RandomAccessCapture::Flag which)
{
    switch (which) {
    case RandomAccessCapture::Flag::Marked: return fd->marked;
    case RandomAccessCapture::Flag::Ignored: return fd->ignored;
    case RandomAccessCapture::Flag::TimeReference: return fd->ref_time;
    }
    return false;
}

} // namespace

bool RandomAccessCapture::flag(std::uint32_t number, Flag which) const
{
    frame_data* fd = frameAt(number);
    return fd && isSet(fd, which);
}

void RandomAccessCapture::setFlag(std::uint32_t number, Flag which, bool on)
{
    frame_data* fd = frameAt(number);
    if (!fd || isSet(fd, which) == on)
        return;
    std::size_t& count = flaggedCount_[std::size_t(which)];
    count = on ? count + 1 : count - 1;
    switch (which) {
    case Flag::Marked: fd->marked = on; break;
    case Flag::Ignored: fd->ignored = on; break;
    case Flag::TimeReference:
        fd->ref_time = on;
        recomputeReferences();
        break;
    }
}

std::vector<std::uint32_t> RandomAccessCapture::flagged(Flag which) const
{
    std::vector<std::uint32_t> frames;
    for (std::uint32_t n = 1; n <= frames_; ++n)
        if (isSet(frame_data_sequence_find(session_.frames(), n), which))
            frames.push_back(n);
    return frames;
}

void RandomAccessCapture::setDisplayed(const std::vector<std::uint32_t>& displayed)
{
    // Kept, not applied to every frame_data: a million frames touched at once stalled the
    // GUI (≈ 40 ms, several times that on a slow machine). dissect() sets the one frame's.
    displayed_ = displayed;
}

void RandomAccessCapture::recomputeReferences()
{
    const frame_data* reference = nullptr;
    guint32 cumBytes = 0;
    for (std::uint32_t n = 1; n <= frames_; ++n) {
        frame_data* fd = frame_data_sequence_find(session_.frames(), n);
        if (!reference || fd->ref_time)
            reference = fd;
        fd->frame_ref_num = reference != fd ? reference->num : 0;
        cumBytes = fd->ref_time ? fd->pkt_len : cumBytes + fd->pkt_len;
        fd->cum_bytes = cumBytes;
    }
}

} // namespace ss
