// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_server.h"

#include "endpoint.h"
#include "error.h"
#include "ipc_framing.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace ss::helper {
namespace {

// "10.1.0.1:51234" / "[fd00::1]:51234"
std::string addressText(const sockaddr_storage& addr)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (addr.ss_family == AF_INET) {
        const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
        inet_ntop(AF_INET, &in.sin_addr, host, sizeof host);
        return std::string(host) + ":" + std::to_string(ntohs(in.sin_port));
    }
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(in6.sin6_port));
}

std::string hostOf(const std::string& address)
{
    return address.substr(0, address.rfind(':'));
}

// Tells a client it cannot be served now, without a thread or a TLS handshake: one plain
// Error frame on the Unix socket; on the TLS port, just the close (and the helper's log).
void turnAway(ipc::UniqueFd fd, bool tls)
{
    if (tls)
        return;
    pb::Response r;
    r.mutable_error()->set_code(pb::Error::BUSY);
    r.mutable_error()->set_message("the helper serves as many clients as it allows; try again later");
    ipc::Channel channel(std::move(fd));
    ipc::writeMessage(channel, r, ipc::after(std::chrono::milliseconds(100)));
}

} // namespace

HelperServer::HelperServer(ServerOptions options) : options_(std::move(options))
{
    context_.capture.pods = options_.pods;
    context_.capture.nodeName = options_.nodeName;
    context_.limits = options_.limits;
    context_.verbose = options_.verbose;
    context_.stopping = &stopping_;
    context_.capturesRunning = &capturesRunning_;
    buffers_ = std::make_unique<BufferBudget>(options_.limits.bufferBytes);
    context_.buffers = buffers_.get();
    context_.groupName = options_.group;
    // The group is looked up once, here: getgrnam is not for client threads.
    if (const group* g = options_.group.empty() ? nullptr : getgrnam(options_.group.c_str()))
        context_.group = g->gr_gid;
    spool_ = std::make_unique<Spool>(options_.spoolDir, context_.group, options_.spoolLimits);
    context_.spool = spool_.get();
    if (!options_.listen.empty()) {
        tls_ = std::make_unique<ipc::TlsServer>(options_.tls, options_.allowedClients);
        bindTcp();
    }
    // Socket activation (systemd): the listening socket arrives as fd 3.
    const char* fds = std::getenv("LISTEN_FDS");
    const char* pid = std::getenv("LISTEN_PID");
    if (fds && pid && std::atoi(fds) == 1 && std::atoi(pid) == getpid())
        unixListener_ = 3;
    else if (!options_.socketPath.empty())
        bindUnix();
    if (options_.node.any()) { // after the TLS port: the recorder leaves its stream out too
        options_.node.ownSocket = options_.socketPath.empty() ? ipc::kDefaultSocket : options_.socketPath;
        node_ = std::make_unique<NodeServices>(options_.node, spool_.get(), context_.group, &context_.capture);
        spool_->setExtra([this] { return node_->running(); });
        node_->setClientCounter([this] {
            std::lock_guard lock(mutex_);
            std::uint64_t n = 0;
            for (const Running& r : sessions_)
                n += !r.done->load();
            return n;
        });
        node_->setCaptureCounter([this] { return capturesRunning_.load(); });
    }
}

HelperServer::~HelperServer()
{
    stopping_ = true;
    reap(true);
    if (node_) {
        spool_->setExtra({});
        node_.reset(); // after the sessions: they read the recorder
    }
    if (unixListener_ >= 0)
        close(unixListener_);
    if (tcpListener_ >= 0)
        close(tcpListener_);
    // Only the socket this helper made: another helper may have taken the path since.
    struct stat st {};
    if (ownsSocketFile_ && stat(options_.socketPath.c_str(), &st) == 0 && st.st_ino == socketInode_ &&
        st.st_dev == socketDevice_)
        unlink(options_.socketPath.c_str());
}

void HelperServer::bindUnix()
{
    const std::string& path = options_.socketPath;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        throw EngineError("bind helper socket", path, "path too long for a Unix socket");
    std::strcpy(addr.sun_path, path.c_str());
    const std::string dir = path.substr(0, path.rfind('/'));
    if (!dir.empty())
        mkdir(dir.c_str(), 0755);
    unlink(path.c_str());
    unixListener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (unixListener_ < 0 || bind(unixListener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(unixListener_, 64) != 0)
        throw EngineError("bind helper socket", path, std::strerror(errno));
    ownsSocketFile_ = true;
    struct stat st {};
    if (stat(path.c_str(), &st) == 0)
        socketInode_ = st.st_ino, socketDevice_ = st.st_dev;
    if (chown(path.c_str(), 0, context_.group) != 0 || chmod(path.c_str(), 0660) != 0)
        throw EngineError("set helper socket permissions", path, std::strerror(errno));
}

void HelperServer::bindTcp()
{
    std::string host, port;
    if (!ipc::splitHostPort(options_.listen, &host, &port))
        throw EngineError("listen", options_.listen, "give HOST:PORT, [V6]:PORT or :PORT");
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int err = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found))
        throw EngineError("listen", options_.listen, gai_strerror(err));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
    // With no host: IPv6's any address, which takes IPv4 as well.
    const addrinfo* use = found;
    for (const addrinfo* a = found; a && host.empty(); a = a->ai_next)
        if (a->ai_family == AF_INET6)
            use = a;
    tcpListener_ = socket(use->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const int on = 1, off = 0;
    setsockopt(tcpListener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (use->ai_family == AF_INET6)
        setsockopt(tcpListener_, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (tcpListener_ < 0 || bind(tcpListener_, use->ai_addr, use->ai_addrlen) != 0 || listen(tcpListener_, 64) != 0)
        throw EngineError("listen", options_.listen, std::strerror(errno));
    // Our own stream to remote clients is never captured (it would feed on itself).
    bpf::ExcludedEndpoint e;
    e.port = std::uint16_t(std::stoul(port));
    e.text = options_.listen;
    if (use->ai_family == AF_INET) {
        e.family = AF_INET;
        std::memcpy(e.address.data(), &reinterpret_cast<const sockaddr_in*>(use->ai_addr)->sin_addr, 4);
        context_.capture.excluded.push_back(e);
    } else {
        const in6_addr& a6 = reinterpret_cast<const sockaddr_in6*>(use->ai_addr)->sin6_addr;
        e.family = AF_INET6;
        std::memcpy(e.address.data(), &a6, 16);
        context_.capture.excluded.push_back(e);
        if (IN6_IS_ADDR_UNSPECIFIED(&a6)) { // IPv4 clients of the dual-stack socket too
            e.family = AF_INET;
            e.address = {};
            context_.capture.excluded.push_back(e);
        }
    }
}

void HelperServer::run(const std::atomic<bool>& stop)
{
    while (!stop) {
        pollfd p[2] = {{unixListener_, POLLIN, 0}, {tcpListener_, POLLIN, 0}};
        if (::poll(p, 2, 200) > 0) {
            if (p[0].revents & POLLIN)
                accept(unixListener_, false);
            if (p[1].revents & POLLIN)
                accept(tcpListener_, true);
        }
        reap(false);
    }
    stopping_ = true;
    spool_->stopAll();
    reap(true);
}

void HelperServer::accept(int listener, bool tls)
{
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ipc::UniqueFd fd(accept4(listener, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC));
    if (!fd)
        return;
    std::string key, who;
    bool limited = true;
    if (tls) {
        who = addressText(addr);
        key = "address " + hostOf(who);
        const int on = 1;
        setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    } else {
        ucred cred{};
        socklen_t credLen = sizeof cred;
        getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &credLen);
        who = "uid " + std::to_string(cred.uid) + " (pid " + std::to_string(cred.pid) + ")";
        key = "uid " + std::to_string(cred.uid);
        limited = cred.uid != 0;
    }
    reap(false); // sessions that just ended do not count against this one
    if (!admit(key, limited, who)) {
        turnAway(std::move(fd), tls);
        return;
    }
    auto session = tls ? std::make_unique<ClientSession>(context_, std::move(fd), tls_.get(), who)
                       : std::make_unique<ClientSession>(context_, std::move(fd));
    launch(std::move(session), key, who);
}

bool HelperServer::admit(const std::string& key, bool limited, const std::string& who)
{
    std::lock_guard lock(mutex_);
    const bool full = sessions_.size() >= options_.limits.sessions;
    if (!full && !(limited && perClient_[key] >= options_.limits.perClient))
        return true;
    std::fprintf(stderr, "stratoshark-helper: %s: refused (BUSY): %s\n", who.c_str(),
                 full ? "as many clients as the helper allows" : "as many connections as one client may have");
    return false;
}

void HelperServer::launch(std::unique_ptr<ClientSession> session, const std::string& key, const std::string& who)
{
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard lock(mutex_);
    try {
        std::thread thread([session = std::move(session), done]() mutable {
            session->run();
            session.reset(); // the connection closes before the slot is marked free
            *done = true;
        });
        sessions_.push_back({std::move(thread), done, key});
        ++perClient_[key];
    } catch (const std::system_error& e) { // no thread to be had (a task limit): this client goes, the helper lives
        std::fprintf(stderr, "stratoshark-helper: %s: refused (BUSY): no thread for it: %s\n", who.c_str(), e.what());
    }
}

void HelperServer::reap(bool all)
{
    std::list<Running> finished;
    {
        std::lock_guard lock(mutex_);
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            if (all || it->done->load()) {
                if (--perClient_[it->key] == 0)
                    perClient_.erase(it->key);
                finished.splice(finished.end(), sessions_, it++);
            } else {
                ++it;
            }
        }
    }
    for (Running& r : finished)
        if (r.thread.joinable())
            r.thread.join();
}

} // namespace ss::helper
