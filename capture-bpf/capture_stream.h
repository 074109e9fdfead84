// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "capture_request.h"
#include "capture_source.h"
#include "client_session.h"
#include "ipc_framing.h"

namespace ss {
class PcapngWriter;
}

namespace ss::helper {

// One capture streamed to one client: pcapng blocks as CaptureData, Statistics once a
// second, CaptureEnd. The capture loop never waits for the client: what it does not take
// waits in a bounded queue, and packets past that bound are dropped and counted (in the
// statistics and the interface statistics blocks), never silently. A client that goes away
// before its --duration/--count hands the capture to the spool, when there is one.
class CaptureStream {
public:
    CaptureStream(const CaptureSpec& spec, ipc::Channel& channel, const Peer& peer, const SessionContext& context);
    ~CaptureStream();
    CaptureStream(const CaptureStream&) = delete;
    CaptureStream& operator=(const CaptureStream&) = delete;

    void run(); // logs its end; reports a capture failure to the client

private:
    void onBlock(const std::uint8_t* data, std::size_t size);
    std::unique_ptr<CaptureSource> startSource(); // the kernel, or the flight recorder
    void sendPending();                 // pending blocks → one CaptureData frame
    bool flushToClient();               // false: the client is gone
    void toSpool();                     // the client went away
    bool clientWantsStop();             // Stop, or anything else from it
    void statistics(pb::Statistics* s) const;
    void warnUnknownNames();
    EndReason endOfRun();               // runs the loop; returns why it ended

    const CaptureSpec& spec_;
    ipc::Channel& channel_;
    const Peer& peer_;
    const SessionContext& context_;
    ipc::FrameReader reader_{ipc::kMaxRequestBytes};
    ipc::FrameWriter outbox_;
    std::string pending_, header_;      // blocks not framed yet; section + interface blocks
    std::uint64_t pendingPackets_ = 0;
    std::map<std::uint32_t, std::uint64_t> undelivered_; // per pcapng interface id
    std::uint64_t clientDrops_ = 0;
    bool clientGone_ = false;
    std::shared_ptr<SpooledCapture> spooled_;
    bool spoolFull_ = false;
    std::chrono::steady_clock::time_point begin_;
    std::unique_ptr<PcapngWriter> writer_;
    std::unique_ptr<CaptureSource> capture_;
};

} // namespace ss::helper
