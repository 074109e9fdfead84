// SPDX-License-Identifier: GPL-2.0-or-later
#include "file_processor.h"

#include "capture_writer.h"
#include "display_filter.h"
#include "error.h"
#include "packet_printer.h"

#include <cstdio>
#include <cstdlib>

namespace ss::cli {
namespace {

dfilter_t* raw(DisplayFilter* f)
{
    return f ? f->get() : nullptr;
}

} // namespace

FileProcessor::FileProcessor(EpanRuntime& runtime, const ReadOptions& options, CaptureFile& file,
                             const Parts& parts)
    : options_(options), file_(file), parts_(parts), session_(runtime, file)
{
    doDissection_ = parts_.printer || parts_.readFilter || parts_.displayFilter ||
                    tap_listeners_require_dissection();
    if (options_.format == OutputFormat::Fields && options_.outputOnly.empty()) {
        for (const auto& name : options_.fields) {
            if (name.rfind("_ws.col.", 0) == 0)
                continue; // column fields come from the column texts
            const int id = proto_registrar_get_id_byname(name.c_str());
            if (id < 0) {
                fieldIds_.clear(); // unknown here: print from the full tree as tshark does
                break;
            }
            fieldIds_.push_back(id);
        }
        if (fieldIds_.empty())
            fieldIds_.push_back(-1); // only column fields: nothing to prime, still no text tree
    }
}

bool FileProcessor::visibleTree() const
{
    return parts_.printer && options_.printDetails && fieldIds_.empty();
}

void FileProcessor::primeFields(epan_dissect_t* edt) const
{
    for (int id : fieldIds_)
        if (id >= 0)
            epan_dissect_prime_with_hfid(edt, id);
}

bool FileProcessor::run()
{
    // Resolve names as packets are read: one pass cannot fix up earlier output.
    set_resolution_synchrony(TRUE);
    if (!options_.twoPass)
        return singlePass();
    if (!firstPass())
        return false;
    return secondPass();
}

column_info* FileProcessor::columnsFor(guint tapFlags) const
{
    const bool printing = parts_.printer && parts_.printer->wantsColumns();
    return ((tapFlags & TL_REQUIRES_COLUMNS) || printing) ? parts_.columns : nullptr;
}

void FileProcessor::printPacket(epan_dissect_t* edt)
{
    if (!parts_.printer)
        return;
    if (!parts_.printer->print(edt) || std::ferror(stdout)) {
        std::fprintf(stderr, "stratoshark: An error occurred while printing packets: %s.\n", g_strerror(errno));
        std::exit(2);
    }
    if (options_.lineBuffered)
        std::fflush(stdout);
}

bool FileProcessor::dissectAndOutput(frame_data& fd, WtapRecord& record, epan_dissect_t* edt, guint tapFlags,
                                     bool onlyPass)
{
    bool passed = true;
    wtap_block_t block = nullptr;
    if (edt) {
        if (parts_.displayFilter)
            epan_dissect_prime_with_dfilter(edt, raw(parts_.displayFilter));
        primeFields(edt);
        if (onlyPass) // in two-pass mode postdissectors got their fields in pass one
            prime_epan_dissect_with_postdissector_wanted_hfids(edt);
        col_custom_prime_edt(edt, parts_.columns);
        session_.beforeDissect(&fd);
        // epan_dissect_run unrefs the record's block; -w still needs it.
        block = wtap_block_ref(record.rec()->block);
        epan_dissect_run_with_taps(edt, session_.fileType(), record.rec(),
                                   frameTvb(record.data(), fd), &fd,
                                   columnsFor(tapFlags));
        if (parts_.displayFilter)
            passed = dfilter_apply_edt(raw(parts_.displayFilter), edt);
    }
    if (passed) {
        session_.afterDissect(&fd);
        if (worker_.beforePrint)
            worker_.beforePrint(fd.num);
        printPacket(edt);
        session_.setPrevDisplayed(&fd);
    }
    session_.setPrevCaptured(&fd);
    if (edt) {
        epan_dissect_reset(edt);
        if (onlyPass) // a kept frame (two-pass) lives on in the frame sequence
            frame_data_destroy(&fd);
        record.rec()->block = block;
    }
    return passed;
}

bool FileProcessor::singlePass()
{
    startSinglePass();
    return readAvailable();
}

void FileProcessor::startSinglePass()
{
    tapFlags_ = union_of_tap_listener_flags();
    if (doDissection_) {
        const bool tree = parts_.displayFilter || options_.printDetails || have_filtering_tap_listeners() ||
                          (tapFlags_ & TL_REQUIRES_PROTO_TREE) || postdissectors_want_hfids() ||
                          have_custom_cols(parts_.columns);
        dissection_ = std::make_unique<Dissection>(session_, tree, visibleTree());
    }
}

void FileProcessor::startLive()
{
    set_resolution_synchrony(TRUE);
    startSinglePass();
}

bool FileProcessor::readMore()
{
    file_.clearEof(); // the file has grown since the last end
    return readAvailable();
}

bool FileProcessor::readAvailable()
{
    WtapRecord record;
    gint64 offset = 0;
    while (file_.readNext(record, &offset)) {
        ++frameNumber_;
        if (parts_.writer)
            parts_.writer->addNewInterfaces();
        frame_data fd;
        frame_data_init(&fd, ++count_, record.rec(), offset, session_.cumBytes());
        if (worker_.owns && !worker_.owns(record)) { // another worker's flow
            session_.beforeDissect(&fd);
            session_.setPrevCaptured(&fd);
            frame_data_destroy(&fd);
            record.reset();
            continue;
        }
        if (dissectAndOutput(fd, record, dissection_ ? dissection_->get() : nullptr, tapFlags_, true) && parts_.writer)
            parts_.writer->write(record.rec(), record.data(), frameNumber_);
        record.reset();
        if (options_.maxPackets > 0 && frameNumber_ >= guint32(options_.maxPackets))
            return true;
    }
    if (file_.failed()) {
        error_ = file_.errorMessage();
        return false;
    }
    return true;
}

bool FileProcessor::firstPass()
{
    session_.keepFrames();
    std::unique_ptr<Dissection> dissection;
    if (doDissection_) {
        const bool tree = parts_.readFilter || parts_.displayFilter || postdissectors_want_hfids();
        dissection = std::make_unique<Dissection>(session_, tree, false);
    }
    epan_dissect_t* edt = dissection ? dissection->get() : nullptr;
    WtapRecord record;
    gint64 offset = 0;
    guint32 frameNumber = 0;
    while (file_.readNext(record, &offset)) {
        ++frameNumber;
        frame_data fd;
        frame_data_init(&fd, count_ + 1, record.rec(), offset, session_.cumBytes());
        bool passed = true;
        if (edt) {
            if (parts_.readFilter)
                epan_dissect_prime_with_dfilter(edt, raw(parts_.readFilter));
            if (parts_.displayFilter)
                epan_dissect_prime_with_dfilter(edt, raw(parts_.displayFilter));
            prime_epan_dissect_with_postdissector_wanted_hfids(edt);
            session_.beforeDissect(&fd);
            epan_dissect_run(edt, session_.fileType(), record.rec(),
                             frameTvb(record.data(), fd), &fd, nullptr);
            if (parts_.readFilter)
                passed = dfilter_apply_edt(raw(parts_.readFilter), edt);
        }
        if (passed) {
            session_.afterDissect(&fd);
            frame_data* kept = frame_data_sequence_add(session_.frames(), &fd);
            session_.setPrevDisplayed(kept);
            session_.setPrevCaptured(kept);
            // Frames a displayed frame depends on (reassembly) are shown too.
            if (edt && parts_.displayFilter && dfilter_apply_edt(raw(parts_.displayFilter), edt))
                g_slist_foreach(edt->pi.dependent_frames, find_and_mark_frame_depended_upon, session_.frames());
            ++count_;
        } else {
            frame_data_destroy(&fd);
        }
        if (edt)
            epan_dissect_reset(edt);
        record.reset();
        if (passed && options_.maxPackets > 0 && frameNumber >= options_.maxPackets)
            break;
    }
    const bool ok = !file_.failed();
    if (!ok)
        error_ = file_.errorMessage();
    file_.closeSequential();
    postseq_cleanup_all_protocols();
    session_.resetPrevious();
    return ok;
}

bool FileProcessor::secondPass()
{
    if (parts_.writer)
        parts_.writer->addNewInterfaces();
    const guint tapFlags = union_of_tap_listener_flags();
    std::unique_ptr<Dissection> dissection;
    if (doDissection_) {
        const bool tree = parts_.displayFilter || options_.printDetails || have_filtering_tap_listeners() ||
                          (tapFlags & TL_REQUIRES_PROTO_TREE) || have_custom_cols(parts_.columns);
        dissection = std::make_unique<Dissection>(session_, tree, visibleTree());
    }
    epan_dissect_t* edt = dissection ? dissection->get() : nullptr;
    WtapRecord record;
    for (guint32 n = 1; n <= count_; ++n) {
        frame_data* fd = frame_data_sequence_find(session_.frames(), n);
        try {
            file_.seekRead(fd->file_off, record, n);
        } catch (const EngineError& e) {
            error_ = e.what();
            return false;
        }
        const bool passed = dissectAndOutput(*fd, record, edt, tapFlags, false);
        if ((passed || fd->dependent_of_displayed) && parts_.writer)
            parts_.writer->write(record.rec(), record.data(), n);
        record.reset();
    }
    return true;
}

} // namespace ss::cli
