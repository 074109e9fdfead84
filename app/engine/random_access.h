// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "capture_file.h"
#include "columns.h"
#include "dissection_session.h"
#include "packet_index.h"

namespace ss {

class EpanRuntime;

// A capture opened for random access, as Wireshark's GUI uses one: a first pass builds the
// compact index and lets epan see every frame once (conversations, reassembly, analysis
// flags); afterwards any frame can be re-read and dissected again with its full tree,
// columns and bytes, in any order. The first pass can run in slices (loadSome) so that a
// GUI thread never blocks for long. epan is single-threaded: use one thread for all calls.
class RandomAccessCapture {
public:
    RandomAccessCapture(EpanRuntime& runtime, const std::string& path);

    // Reads and dissects up to `maxFrames` more frames; false once the file is done.
    bool loadSome(std::size_t maxFrames);
    // A live capture's file grows while it is read: while following, the end of the file is
    // only "nothing more yet" (loadSome returns false and reading goes on later); stop
    // following once the capture has ended, then load the rest.
    void setFollowing(bool following) { following_ = following; }
    bool following() const { return following_; }
    // Reads everything (loadSome until done).
    void firstPass();
    bool loaded() const { return loaded_; }

    std::size_t frameCount() const { return frames_; }
    const PacketIndex& index() const { return index_; }
    const std::string& error() const { return index_.error(); }
    const std::string& path() const { return file_->path(); }
    int fileType() const { return session_.fileType(); }
    // The file's link-layer encapsulation (WTAP_ENCAP_PER_PACKET when interfaces differ).
    int fileEncap() const { return wtap_file_encap(file_->handle()); }

    struct Request {
        bool tree = true;          // build a protocol tree
        bool visibleTree = true;   // with every item's text (for display)
        bool columns = true;       // fill in the packet-list columns
        bool columnFilters = false; // and each column's filter expression (col_expr)
        bool colorize = false;     // run the colouring rules
        bool taps = false;         // run tap listeners (statistics, follow)
        dfilter_t* filter = nullptr; // evaluate this display filter
    };
    struct Packet {
        std::uint32_t number;
        epan_dissect_t* edt;       // alive only during the callback
        column_info* columns;
        const guint8* bytes;
        std::uint32_t length;
        bool matched;              // the request's filter matched (true without a filter)
        const color_filter_t* color; // the colouring rule that matched, or null
    };
    // Dissects frame `number` (1-based) and hands it to `use` while it is alive.
    // Throws EngineError for a frame that does not exist or cannot be re-read.
    void dissect(std::uint32_t number, const Request& request, const std::function<void(const Packet&)>& use);
    void dissect(std::uint32_t number, const std::function<void(const Packet&)>& use)
    {
        dissect(number, Request{}, use);
    }

    // The user's flags on a frame — Wireshark's Mark, Ignore and Set Time Reference — kept
    // in its frame_data, so filters see them (frame.marked, frame.ignored, frame.ref_time)
    // and columns show them (an ignored frame is not dissected; a reference frame's Time is
    // *REF* and later frames count from it). Frames that do not exist are left alone.
    enum class Flag { Marked, Ignored, TimeReference };
    bool flag(std::uint32_t number, Flag which) const;
    void setFlag(std::uint32_t number, Flag which, bool on);
    // The frames with `which` set, ascending.
    std::vector<std::uint32_t> flagged(Flag which) const;
    // How many frames have `which` set (kept as flags change: no walk over the frames).
    std::size_t flaggedCount(Flag which) const { return flaggedCount_[std::size_t(which)]; }

    // A frame's packet comments (pcapng's opt_comment): as read, or as set here. Setting
    // keeps the rest of the packet block (flags, verdicts) and shows at once in dissection
    // (frame.comment, the tree's "Packet comments"); no comment removes them. Exports
    // write the changed blocks (modifiedBlock). Throws EngineError for a missing frame.
    std::vector<std::string> comments(std::uint32_t number);
    void setComments(std::uint32_t number, const std::vector<std::string>& comments);
    // The frame's changed packet block, null when unchanged (borrowed).
    wtap_block_t modifiedBlock(std::uint32_t number) const;
    std::size_t modifiedCount() const { return session_.provider().modifiedBlocks.size(); }
    // The preferences' column list changed (a column added or removed): build the columns again.
    void rebuildColumns(e_prefs* prefs) { columns_.rebuild(prefs); }

    // The frames a display filter shows (ascending): each remembers the displayed frame
    // before it, for "seconds since previous displayed packet" (frame.time_delta_displayed).
    void setDisplayed(const std::vector<std::uint32_t>& displayed);

private:
    frame_data* frameAt(std::uint32_t number) const; // null when there is no such frame
    // The frame's packet block as dissection sees it (changed here, else the file's), with
    // a reference of its own for the caller to drop; null when the record has none.
    wtap_block_t currentBlock(std::uint32_t number, frame_data& fd);
    // Each frame's reference frame (the last time reference at or before it, else the first
    // frame) and cumulative bytes, as Wireshark recomputes them after a change.
    void recomputeReferences();

    std::unique_ptr<CaptureFile> file_;
    DissectionSession session_;
    Columns columns_;
    PacketIndex index_;
    std::unique_ptr<Dissection> firstPassDissection_;
    std::size_t frames_ = 0;
    std::array<std::size_t, 3> flaggedCount_{}; // by Flag
    bool loaded_ = false;
    bool following_ = false;
    std::vector<std::uint32_t> displayed_; // ascending; empty until a filter pass ends
};

} // namespace ss
