// SPDX-License-Identifier: GPL-2.0-or-later
#include "ipc_framing.h"

#include <google/protobuf/message_lite.h>

namespace ss::ipc {
namespace {

std::uint32_t lengthOf(const unsigned char* header)
{
    return header[0] | header[1] << 8 | header[2] << 16 | std::uint32_t(header[3]) << 24;
}

} // namespace

const char* describe(ReadResult result)
{
    switch (result) {
    case ReadResult::Ok: return "ok";
    case ReadResult::Closed: return "the connection was closed";
    case ReadResult::TooLarge: return "message too large";
    case ReadResult::Malformed: return "not a valid message";
    case ReadResult::Error: return "the connection broke";
    case ReadResult::Timeout: return "timed out";
    }
    return "?";
}

std::string frame(const google::protobuf::MessageLite& message)
{
    std::string out(4, '\0');
    message.AppendToString(&out);
    const auto size = std::uint32_t(out.size() - 4);
    for (int i = 0; i < 4; ++i)
        out[std::size_t(i)] = char(size >> (8 * i));
    return out;
}

bool writeMessage(Channel& channel, const google::protobuf::MessageLite& message, Deadline deadline)
{
    const std::string bytes = frame(message);
    return channel.writeAll(bytes.data(), bytes.size(), deadline) == Channel::Io::Done;
}

ReadResult readMessage(Channel& channel, google::protobuf::MessageLite& message, std::size_t maxBytes,
                       Deadline deadline)
{
    unsigned char header[4];
    switch (channel.readExact(header, 4, deadline)) {
    case Channel::Io::Done: break;
    case Channel::Io::Closed: return ReadResult::Closed;
    default: return channel.timedOut() ? ReadResult::Timeout : ReadResult::Error;
    }
    const std::uint32_t size = lengthOf(header);
    if (size > maxBytes)
        return ReadResult::TooLarge;
    std::string body(size, '\0');
    if (size && channel.readExact(body.data(), size, deadline) != Channel::Io::Done)
        return channel.timedOut() ? ReadResult::Timeout : ReadResult::Error;
    return message.ParseFromString(body) ? ReadResult::Ok : ReadResult::Malformed;
}

ReadResult FrameReader::fill(Channel& channel)
{
    if (offset_ > 0 && offset_ >= buffer_.size() / 2) { // keep the buffer from creeping
        buffer_.erase(0, offset_);
        offset_ = 0;
    }
    for (int rounds = 0; rounds < 64; ++rounds) { // bounded: other channels get their turn
        if (buffered() >= 4) {
            const std::uint32_t size = lengthOf(reinterpret_cast<const unsigned char*>(buffer_.data() + offset_));
            if (size > maxBytes_)
                return ReadResult::TooLarge;
        }
        char chunk[64 * 1024];
        std::size_t n = 0;
        switch (channel.readSome(chunk, sizeof chunk, &n)) {
        case Channel::Io::Done: buffer_.append(chunk, n); break;
        case Channel::Io::WouldBlock: return ReadResult::Ok;
        case Channel::Io::Closed: return ReadResult::Closed;
        case Channel::Io::Failed: return ReadResult::Error;
        }
    }
    return ReadResult::Ok;
}

ReadResult FrameReader::next(google::protobuf::MessageLite& message)
{
    if (buffered() < 4)
        return ReadResult::Timeout;
    const std::uint32_t size = lengthOf(reinterpret_cast<const unsigned char*>(buffer_.data() + offset_));
    if (size > maxBytes_)
        return ReadResult::TooLarge;
    if (buffered() < 4 + std::size_t(size))
        return ReadResult::Timeout;
    const bool ok = message.ParseFromArray(buffer_.data() + offset_ + 4, int(size));
    offset_ += 4 + size;
    if (offset_ == buffer_.size()) {
        buffer_.clear();
        offset_ = 0;
    }
    return ok ? ReadResult::Ok : ReadResult::Malformed;
}

void FrameWriter::push(std::string frame)
{
    pending_ += frame.size();
    frames_.push_back(std::move(frame));
}

Channel::Io FrameWriter::flush(Channel& channel)
{
    while (!frames_.empty()) {
        const std::string& front = frames_.front();
        std::size_t n = 0;
        const Channel::Io io = channel.writeSome(front.data() + offset_, front.size() - offset_, &n);
        if (io != Channel::Io::Done)
            return io;
        offset_ += n;
        pending_ -= n;
        if (offset_ == front.size()) {
            frames_.pop_front();
            offset_ = 0;
        }
    }
    return Channel::Io::Done;
}

std::vector<std::string> FrameWriter::takeUnsent()
{
    std::vector<std::string> out;
    const std::size_t keep = offset_ > 0 ? 1 : 0;
    while (frames_.size() > keep) {
        pending_ -= frames_.back().size();
        out.insert(out.begin(), std::move(frames_.back()));
        frames_.pop_back();
    }
    return out;
}

Channel::Io FrameWriter::drain(Channel& channel, Deadline deadline)
{
    for (;;) {
        const Channel::Io io = flush(channel);
        if (io != Channel::Io::WouldBlock)
            return io;
        if (!waitFor(channel.fd(), channel.waitEvents(), deadline))
            return Channel::Io::Failed;
    }
}

} // namespace ss::ipc
