// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace google::protobuf {
class MessageLite;
}

namespace ss::ipc {

constexpr std::uint32_t kProtocolVersion = 1;
constexpr std::size_t kMaxRequestBytes = 64 * 1024;     // what the helper accepts from a client
constexpr std::size_t kMaxResponseBytes = 16 << 20;     // what a client accepts from the helper
constexpr const char* kDefaultSocket = "/run/stratoshark/helper.sock";

// One message on a stream socket: u32 little-endian length, then the protobuf bytes.
bool writeMessage(int fd, const google::protobuf::MessageLite& message);

enum class ReadResult { Ok, Closed, TooLarge, Malformed, Error };
ReadResult readMessage(int fd, google::protobuf::MessageLite& message, std::size_t maxBytes);

} // namespace ss::ipc
