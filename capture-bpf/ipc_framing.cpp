// SPDX-License-Identifier: GPL-2.0-or-later
#include "ipc_framing.h"

#include <google/protobuf/message_lite.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace ss::ipc {
namespace {

bool writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

// 1 read everything, 0 closed before the first byte, -1 error or closed midway
int readAll(int fd, char* data, std::size_t size)
{
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            return got == 0 ? 0 : -1;
        if (n < 0)
            return -1;
        got += std::size_t(n);
    }
    return 1;
}

} // namespace

bool writeMessage(int fd, const google::protobuf::MessageLite& message)
{
    std::string body;
    if (!message.SerializeToString(&body))
        return false;
    const auto size = std::uint32_t(body.size());
    const char header[4] = {char(size), char(size >> 8), char(size >> 16), char(size >> 24)};
    return writeAll(fd, header, 4) && writeAll(fd, body.data(), body.size());
}

ReadResult readMessage(int fd, google::protobuf::MessageLite& message, std::size_t maxBytes)
{
    unsigned char header[4];
    const int h = readAll(fd, reinterpret_cast<char*>(header), 4);
    if (h == 0)
        return ReadResult::Closed;
    if (h < 0)
        return ReadResult::Error;
    const std::uint32_t size = header[0] | header[1] << 8 | header[2] << 16 | std::uint32_t(header[3]) << 24;
    if (size > maxBytes)
        return ReadResult::TooLarge;
    std::string body(size, '\0');
    if (size && readAll(fd, body.data(), size) != 1)
        return ReadResult::Error;
    return message.ParseFromString(body) ? ReadResult::Ok : ReadResult::Malformed;
}

} // namespace ss::ipc
