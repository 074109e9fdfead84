// SPDX-License-Identifier: GPL-2.0-or-later
#include "endpoint.h"

#include "error.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace ss::ipc {

bool splitHostPort(const std::string& text, std::string* host, std::string* port)
{
    std::size_t colon;
    if (!text.empty() && text[0] == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return false;
        *host = text.substr(1, close - 1);
        colon = close + 1;
    } else {
        colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon)
            return false;
        *host = text.substr(0, colon);
    }
    *port = text.substr(colon + 1);
    if (port->empty() || port->size() > 5 || port->find_first_not_of("0123456789") != std::string::npos)
        return false;
    const unsigned long n = std::stoul(*port);
    return n > 0 && n < 65536;
}

std::optional<Endpoint> parseEndpoint(const std::string& spec, std::string* error)
{
    Endpoint e;
    if (spec.rfind("unix:", 0) == 0 || spec.rfind('/', 0) == 0) {
        e.kind = Endpoint::Kind::Unix;
        e.path = spec.rfind("unix:", 0) == 0 ? spec.substr(5) : spec;
        if (e.path.empty() || e.path.size() >= sizeof(sockaddr_un::sun_path)) {
            *error = "a Unix socket path of 1 to " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes";
            return std::nullopt;
        }
        return e;
    }
    if (spec.rfind("tls://", 0) == 0) {
        e.kind = Endpoint::Kind::Tls;
        if (!splitHostPort(spec.substr(6), &e.host, &e.port) || e.host.empty()) {
            *error = "tls://HOST:PORT (e.g. tls://node-a:7443)";
            return std::nullopt;
        }
        return e;
    }
    *error = "unix:PATH or tls://HOST:PORT";
    return std::nullopt;
}

UniqueFd connectSocket(const Endpoint& endpoint, Deadline deadline)
{
    const std::string where = endpoint.text();
    if (endpoint.kind == Endpoint::Kind::Unix) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, endpoint.path.c_str(), sizeof addr.sun_path - 1);
        UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!fd || connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw ConnectError(where, std::strerror(errno), errno);
        return fd;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    addrinfo* found = nullptr;
    if (const int err = getaddrinfo(endpoint.host.c_str(), endpoint.port.c_str(), &hints, &found))
        throw ConnectError(where, gai_strerror(err));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
    std::string why = "no address";
    for (const addrinfo* a = found; a; a = a->ai_next) {
        UniqueFd fd(socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol));
        if (!fd)
            continue;
        if (connect(fd.get(), a->ai_addr, a->ai_addrlen) == 0)
            return fd;
        if (errno != EINPROGRESS) {
            why = std::strerror(errno);
            continue;
        }
        if (!waitFor(fd.get(), POLLOUT, deadline)) {
            why = "timed out";
            continue;
        }
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err == 0)
            return fd;
        why = std::strerror(err);
    }
    throw ConnectError(where, why);
}

} // namespace ss::ipc
