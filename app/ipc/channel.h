// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

struct ssl_st;

namespace ss::ipc {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline after(std::chrono::milliseconds d)
{
    return Clock::now() + d;
}

// A file descriptor closed when it goes out of scope.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        if (this != &other)
            reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release()
    {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

// One connected byte stream to a peer: a Unix or TCP socket, with TLS on top for tls://
// peers. The socket is non-blocking; the calls that wait take a deadline, so a peer that
// stops reading or writing never holds the caller longer than it allows.
class Channel {
public:
    enum class Io { Done, WouldBlock, Closed, Failed };

    explicit Channel(UniqueFd fd);      // plain; makes the socket non-blocking
    Channel(UniqueFd fd, ssl_st* ssl);  // TLS with the handshake done; takes the SSL
    ~Channel();
    Channel(Channel&& other) noexcept;
    Channel& operator=(Channel&&) = delete;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    int fd() const { return fd_.get(); }
    bool tls() const { return ssl_ != nullptr; }

    // What is there, up to `size`, without waiting: Done (with *moved > 0), WouldBlock,
    // Closed (the peer ended the stream), Failed (error() says why).
    Io readSome(void* data, std::size_t size, std::size_t* moved);
    Io writeSome(const void* data, std::size_t size, std::size_t* moved);
    // Decrypted bytes waiting inside TLS: readable although poll() says nothing.
    bool buffered() const;
    // The poll() events the last WouldBlock waits for (TLS may have to write to read).
    short waitEvents() const { return wait_; }

    // Waits until `size` bytes are read / written or the deadline passes. Closed when the
    // stream ended before the first byte of a read; Failed when it ended midway or timed out
    // (timedOut() tells).
    Io readExact(void* data, std::size_t size, Deadline deadline);
    Io writeAll(const void* data, std::size_t size, Deadline deadline);
    bool timedOut() const { return timedOut_; }

    // Ends TLS politely (close_notify), without waiting for the peer's.
    void shutdown();
    const std::string& error() const { return error_; }

private:
    bool waitUntil(Deadline deadline);
    Io tlsResult(int ret, std::size_t* moved, bool reading);

    UniqueFd fd_;
    ssl_st* ssl_ = nullptr;
    short wait_ = 0;
    bool timedOut_ = false;
    std::string error_;
};

// Both ends of a connected Unix socket pair, as channels (tests).
std::pair<Channel, Channel> channelPair();

// Poll events for `fd` until `deadline`; false on time-out. `events` as in poll().
bool waitFor(int fd, short events, Deadline deadline);

} // namespace ss::ipc
