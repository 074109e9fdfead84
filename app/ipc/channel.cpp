// SPDX-License-Identifier: GPL-2.0-or-later
#include "channel.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace ss::ipc {
namespace {

void makeNonBlocking(int fd)
{
    const int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

std::string opensslError(const char* what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (!code)
        return what;
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    const char* reason = ERR_reason_error_string(code);
    return std::string(what) + ": " + (reason ? reason : text);
}

} // namespace

void UniqueFd::reset(int fd)
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = fd;
}

bool waitFor(int fd, short events, Deadline deadline)
{
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return false;
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, int(std::min<long long>(left, 1000)));
        if (n > 0)
            return true;
        if (n < 0 && errno != EINTR)
            return true; // let the read or write say what is wrong
    }
}

Channel::Channel(UniqueFd fd) : fd_(std::move(fd))
{
    makeNonBlocking(fd_.get());
}

Channel::Channel(UniqueFd fd, ssl_st* ssl) : fd_(std::move(fd)), ssl_(ssl)
{
    makeNonBlocking(fd_.get());
}

Channel::Channel(Channel&& other) noexcept
    : fd_(std::move(other.fd_)), ssl_(std::exchange(other.ssl_, nullptr)), wait_(other.wait_),
      timedOut_(other.timedOut_), error_(std::move(other.error_))
{
}

Channel::~Channel()
{
    if (ssl_)
        SSL_free(ssl_);
}

Channel::Io Channel::tlsResult(int ret, std::size_t* moved, bool reading)
{
    if (ret > 0) {
        *moved = std::size_t(ret);
        return Io::Done;
    }
    switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ:
        wait_ = POLLIN;
        return Io::WouldBlock;
    case SSL_ERROR_WANT_WRITE:
        wait_ = POLLOUT;
        return Io::WouldBlock;
    case SSL_ERROR_ZERO_RETURN:
        return Io::Closed;
    case SSL_ERROR_SYSCALL:
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_ = reading ? POLLIN : POLLOUT;
            return Io::WouldBlock;
        }
        error_ = errno ? std::strerror(errno) : "the peer closed the connection without TLS close_notify";
        ERR_clear_error();
        return reading && !errno ? Io::Closed : Io::Failed;
    default:
        error_ = opensslError(reading ? "TLS read" : "TLS write");
        return Io::Failed;
    }
}

Channel::Io Channel::readSome(void* data, std::size_t size, std::size_t* moved)
{
    *moved = 0;
    if (ssl_) {
        errno = 0;
        return tlsResult(SSL_read(ssl_, data, int(std::min<std::size_t>(size, 1 << 30))), moved, true);
    }
    for (;;) {
        const ssize_t n = ::recv(fd_.get(), data, size, 0);
        if (n > 0) {
            *moved = std::size_t(n);
            return Io::Done;
        }
        if (n == 0)
            return Io::Closed;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_ = POLLIN;
            return Io::WouldBlock;
        }
        if (errno == ECONNRESET)
            return Io::Closed;
        error_ = std::strerror(errno);
        return Io::Failed;
    }
}

Channel::Io Channel::writeSome(const void* data, std::size_t size, std::size_t* moved)
{
    *moved = 0;
    if (size == 0)
        return Io::Done;
    if (ssl_) {
        errno = 0;
        return tlsResult(SSL_write(ssl_, data, int(std::min<std::size_t>(size, 1 << 30))), moved, false);
    }
    for (;;) {
        const ssize_t n = ::send(fd_.get(), data, size, MSG_NOSIGNAL);
        if (n >= 0) {
            *moved = std::size_t(n);
            return Io::Done;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_ = POLLOUT;
            return Io::WouldBlock;
        }
        error_ = std::strerror(errno);
        return errno == EPIPE || errno == ECONNRESET ? Io::Closed : Io::Failed;
    }
}

bool Channel::buffered() const
{
    return ssl_ && SSL_pending(ssl_) > 0;
}

bool Channel::waitUntil(Deadline deadline)
{
    if (!waitFor(fd_.get(), wait_ ? wait_ : POLLIN, deadline)) {
        timedOut_ = true;
        error_ = "timed out";
        return false;
    }
    return true;
}

Channel::Io Channel::readExact(void* data, std::size_t size, Deadline deadline)
{
    auto* bytes = static_cast<char*>(data);
    std::size_t got = 0;
    while (got < size) {
        std::size_t n = 0;
        const Io io = readSome(bytes + got, size - got, &n);
        if (io == Io::Done) {
            got += n;
            continue;
        }
        if (io == Io::WouldBlock) {
            if (!waitUntil(deadline))
                return Io::Failed;
            continue;
        }
        if (io == Io::Closed && got == 0)
            return Io::Closed;
        if (io == Io::Closed)
            error_ = "the peer closed the connection mid-message";
        return Io::Failed;
    }
    return Io::Done;
}

Channel::Io Channel::writeAll(const void* data, std::size_t size, Deadline deadline)
{
    const auto* bytes = static_cast<const char*>(data);
    std::size_t sent = 0;
    while (sent < size) {
        std::size_t n = 0;
        const Io io = writeSome(bytes + sent, size - sent, &n);
        if (io == Io::Done) {
            sent += n;
            continue;
        }
        if (io == Io::WouldBlock) {
            if (!waitUntil(deadline))
                return Io::Failed;
            continue;
        }
        return io;
    }
    return Io::Done;
}

void Channel::shutdown()
{
    if (ssl_) {
        SSL_shutdown(ssl_); // one try: the socket is non-blocking, the peer's answer not awaited
        ERR_clear_error();
    }
}

std::pair<Channel, Channel> channelPair()
{
    int fds[2] = {-1, -1};
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
    return {Channel(UniqueFd(fds[0])), Channel(UniqueFd(fds[1]))};
}

} // namespace ss::ipc
