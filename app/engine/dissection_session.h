// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <map>

#include <memory>

#include "epan_includes.h"

// epan.h only declares this struct: each application defines what its packet provider
// holds. Ours is what epan asks of a capture: frame timestamps by number, interface names.
struct packet_provider_data {
    wtap* wth = nullptr;
    const frame_data* ref = nullptr;
    frame_data* prev_dis = nullptr;
    frame_data* prev_cap = nullptr;
    frame_data_sequence* frames = nullptr; // kept by two-pass and random-access readers
    // Packet blocks the user changed (a packet comment), by frame number; owned (one
    // reference each), released with the session.
    std::map<guint32, wtap_block_t> modifiedBlocks;
};

namespace ss {

// The tvb a frame is dissected from, as Wireshark's frame_tvbuff makes it: a reported
// length past G_MAXINT (a damaged record claiming 4 GB) is G_MAXINT, not a negative gint.
inline tvbuff_t* frameTvb(const guint8* data, const frame_data& fd)
{
    return tvb_new_real_data(data, fd.cap_len, gint(fd.pkt_len > guint32(G_MAXINT) ? G_MAXINT : fd.pkt_len));
}

class CaptureFile;
class EpanRuntime;

// The per-file dissection state: an epan session bound to one capture file, the
// "previous/reference frame" bookkeeping epan's frame dissector needs, and the running
// totals (elapsed time, cumulative bytes). Owns epan_t and the frame_data_sequence.
class DissectionSession {
public:
    DissectionSession(EpanRuntime& runtime, CaptureFile& file);
    ~DissectionSession();
    DissectionSession(const DissectionSession&) = delete;
    DissectionSession& operator=(const DissectionSession&) = delete;

    epan_t* epan() const { return epan_; }
    packet_provider_data& provider() { return provider_; }
    const packet_provider_data& provider() const { return provider_; }
    int fileType() const { return fileType_; }

    // Starts keeping every frame (two-pass / random access).
    void keepFrames();
    frame_data_sequence* frames() const { return provider_.frames; }

    // frame_data_set_before_dissect + the reference-frame copy tshark makes.
    void beforeDissect(frame_data* fd);
    // frame_data_set_after_dissect: cumulative bytes.
    void afterDissect(frame_data* fd) { frame_data_set_after_dissect(fd, &cumBytes_); }
    // Remembers fd as the previous displayed / captured frame. In single-pass mode the
    // frame is copied, as fd dies with the packet; with kept frames it is referenced.
    void setPrevDisplayed(frame_data* fd);
    void setPrevCaptured(frame_data* fd);
    void resetPrevious();

    guint32 cumBytes() const { return cumBytes_; }
    // First to last packet dissected so far (tshark's cf->elapsed_time).
    const nstime_t& elapsed() const { return elapsed_; }

private:
    packet_provider_data provider_;
    epan_t* epan_ = nullptr;
    int fileType_ = 0;
    nstime_t elapsed_{};
    guint32 cumBytes_ = 0;
    frame_data refFrame_{};
    frame_data prevDisFrame_{};
    frame_data prevCapFrame_{};
};

// RAII epan_dissect_t.
class Dissection {
public:
    Dissection(DissectionSession& session, bool createTree, bool visibleTree)
        : edt_(epan_dissect_new(session.epan(), createTree, visibleTree)) {}
    ~Dissection() { epan_dissect_free(edt_); }
    Dissection(const Dissection&) = delete;
    Dissection& operator=(const Dissection&) = delete;

    epan_dissect_t* get() const { return edt_; }
    void reset() { epan_dissect_reset(edt_); }

private:
    epan_dissect_t* edt_;
};

} // namespace ss
