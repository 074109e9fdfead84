// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "channel.h"

namespace google::protobuf {
class MessageLite;
}

namespace ss::ipc {

// Version 2: TLS transport, whole packets by default, watermarks for merging, typed refusals.
constexpr std::uint32_t kProtocolVersion = 2;
constexpr std::size_t kMaxRequestBytes = 64 * 1024;     // what the helper accepts from a client
constexpr std::size_t kMaxResponseBytes = 16 << 20;     // what a client accepts from the helper
constexpr const char* kDefaultSocket = "/run/stratoshark/helper.sock";

// One message on a stream: u32 little-endian length, then the protobuf bytes.
std::string frame(const google::protobuf::MessageLite& message);

enum class ReadResult { Ok, Closed, TooLarge, Malformed, Error, Timeout };
const char* describe(ReadResult result);

// Blocking, bounded by `deadline`.
bool writeMessage(Channel& channel, const google::protobuf::MessageLite& message, Deadline deadline);
ReadResult readMessage(Channel& channel, google::protobuf::MessageLite& message, std::size_t maxBytes,
                       Deadline deadline);

// Messages as they arrive, without blocking: fill() takes what the channel has, next()
// hands out each whole message. A length over `maxBytes` is refused before its body is read.
class FrameReader {
public:
    explicit FrameReader(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    // Ok when data came or none was there; Closed, Error or TooLarge end the stream.
    ReadResult fill(Channel& channel);
    // Ok with the next message parsed, Malformed, or Timeout meaning "no whole message yet".
    ReadResult next(google::protobuf::MessageLite& message);
    std::size_t buffered() const { return buffer_.size() - offset_; }

private:
    std::size_t maxBytes_;
    std::string buffer_;
    std::size_t offset_ = 0;
};

// Frames waiting to go out, written as far as the peer takes them without blocking (the
// helper's capture loop never waits for a slow client; it counts what does not fit).
class FrameWriter {
public:
    void push(std::string frame);
    std::size_t pendingBytes() const { return pending_; }
    bool empty() const { return frames_.empty(); }
    // Writes what the channel takes now: Done (all written), WouldBlock, Closed or Failed.
    Channel::Io flush(Channel& channel);
    // Writes everything, waiting up to the deadline.
    Channel::Io drain(Channel& channel, Deadline deadline);
    // The frames not begun yet, taken out (a frame half-written stays: the peer has part of it).
    std::vector<std::string> takeUnsent();

private:
    std::deque<std::string> frames_;
    std::size_t offset_ = 0; // into frames_.front()
    std::size_t pending_ = 0;
};

} // namespace ss::ipc
