// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path: epan's conversation and endpoint tables (Ethernet, IPv4, IPv6,
// TCP, UDP) filled from a header walk of each frame instead of a dissection — the same
// epan functions, the same values, in frame order, so the tables and their printing are
// epan's own (issue 16: tshark's answer at the speed of reading the file).
//
// It gives up, and says why, wherever it cannot be sure epan would count the same: a frame
// frame_headers.h refuses, a link type other than Ethernet or raw IP, a record that is not
// a packet, a read error, a port epan gives to a dissector that finds packets inside
// (tunnels) or sets up other conversations (FTP, SIP, TFTP...), a protocol the profile
// disabled, names resolved from the capture. The caller then clears the tables and lets
// epan read the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ss {

class CaptureFile;
class ConversationTap;

class FastConversations {
public:
    // Whether the fast path can fill this tap at all (its table, no display filter).
    static bool handles(const ConversationTap& tap);

    explicit FastConversations(std::vector<ConversationTap*> taps);
    ~FastConversations();
    FastConversations(const FastConversations&) = delete;
    FastConversations& operator=(const FastConversations&) = delete;

    // Reads `file` from its start to its end. True when every record was understood and
    // the taps hold what epan would have given them; false with reason() otherwise (the
    // taps then hold part of the file: clear them).
    bool run(CaptureFile& file);
    const std::string& reason() const { return reason_; }
    std::uint64_t frames() const { return frames_; }

private:
    struct State;
    bool refuse(std::uint64_t frame, const std::string& why);

    std::vector<ConversationTap*> taps_;
    std::string reason_;
    std::uint64_t frames_ = 0;
};

} // namespace ss
