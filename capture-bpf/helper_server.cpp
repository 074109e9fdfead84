// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_server.h"

#include "error.h"
#include "helper.pb.h"
#include "ipc_framing.h"
#include "ebpf_filter.h"
#include "interfaces.h"
#include "pcapng_capture.h"
#include "pcapng_writer.h"
#include "spool.h"

#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <ctime>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace ss::helper {
namespace pb = stratoshark::helper::v1;
namespace {

using Clock = std::chrono::steady_clock;

// One connected client: its socket and who it is, for the helper's log (stderr: the
// journal under systemd). Refusals, captures and their ends are always logged; with -v
// also every request.
struct Peer {
    int fd;
    std::string who;
    bool verbose;
    uid_t uid;
    pid_t pid;

    void log(const std::string& line, bool always = true) const
    {
        if (!always && !verbose)
            return;
        static std::mutex mutex; // one line at a time from the client threads
        std::lock_guard lock(mutex);
        std::fprintf(stderr, "stratoshark-helper: %s: %s\n", who.c_str(), line.c_str());
    }
};

void sendError(const Peer& peer, pb::Error::Code code, const std::string& text)
{
    peer.log("refused (" + pb::Error::Code_Name(code) + "): " + text);
    pb::Response r;
    r.mutable_error()->set_code(code);
    r.mutable_error()->set_message(text);
    ipc::writeMessage(peer.fd, r);
}

// Is there a Stop (or a hang-up) from the client?
// What the client said during a capture: nothing, Stop (or another message: a protocol
// error ends the capture too), or it hung up.
enum class ClientSays { Nothing, Stop, Gone };

ClientSays clientSays(int fd)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0)
        return ClientSays::Nothing;
    if (p.revents & (POLLHUP | POLLERR))
        return ClientSays::Gone;
    pb::Request request;
    const auto result = ipc::readMessage(fd, request, ipc::kMaxRequestBytes);
    return result == ipc::ReadResult::Closed || result == ipc::ReadResult::Error ? ClientSays::Gone
                                                                                 : ClientSays::Stop;
}

void listInterfaces(const Peer& peer)
{
    const int fd = peer.fd;
    peer.log("list interfaces", false);
    pb::Response r;
    ifaddrs* list = nullptr;
    std::set<std::string> seen;
    if (getifaddrs(&list) == 0) {
        for (ifaddrs* i = list; i; i = i->ifa_next) {
            if (!i->ifa_name || !seen.insert(i->ifa_name).second)
                continue;
            auto* out = r.mutable_interfaces()->add_interfaces();
            out->set_name(i->ifa_name);
            out->set_index(if_nametoindex(i->ifa_name));
            out->set_up(i->ifa_flags & IFF_UP);
        }
        freeifaddrs(list);
    }
    ipc::writeMessage(fd, r);
}

struct SpoolPlace {
    std::string dir; // "" : no spool
    gid_t group;
};

void capture(const Peer& peer, const pb::StartCapture& start, const std::shared_ptr<bpf::PodSource>& pods,
             const SpoolPlace& spool)
{
    const int fd = peer.fd;
    if (!start.metadata_filter().empty()) {
        try {
            const bpf::EbpfFilter parsed(start.metadata_filter());
            if (parsed.needsPods() && !pods) {
                sendError(peer, pb::Error::UNSUPPORTED,
                          "--ebpf-filter: k8s.pod and k8s.ns need pod names, and this helper has none (start it "
                          "with --k8s-metadata FILE or in-cluster)");
                return;
            }
        } catch (const EngineError& e) {
            sendError(peer, pb::Error::BAD_REQUEST, std::string("--ebpf-filter: ") + e.what());
            return;
        }
    }
    std::vector<bpf::ClassicInsn> filter;
    if (!start.bpf_filter().empty()) {
        try {
            filter = bpf::compileTcpdumpFilter(start.bpf_filter());
        } catch (const EngineError& e) {
            sendError(peer, pb::Error::BAD_REQUEST, "--filter \"" + e.object() + "\": " + e.what());
            return;
        }
    }
    if (start.interfaces_size() > 64) {
        sendError(peer, pb::Error::BAD_REQUEST, "name at most 64 interfaces (or none: all that are up)");
        return;
    }
    const std::uint32_t snaplen = start.snaplen() ? start.snaplen() : 262;
    if (snaplen > SS_MAX_SNAPLEN) {
        sendError(peer, pb::Error::BAD_REQUEST, "snaplen above " + std::to_string(SS_MAX_SNAPLEN));
        return;
    }
    std::vector<bpf::PacketCapturer::Interface> interfaces;
    for (const auto& name : start.interfaces()) {
        const unsigned index = name.size() < IF_NAMESIZE ? if_nametoindex(name.c_str()) : 0;
        if (!index) {
            sendError(peer, pb::Error::NO_SUCH_INTERFACE, "no interface \"" + name + "\" on the helper's host");
            return;
        }
        if (!bpf::ethernetFramed(name)) {
            sendError(peer, pb::Error::UNSUPPORTED, "interface \"" + name + "\" does not carry Ethernet frames (only "
                                                  "Ethernet-framed devices and lo are captured yet)");
            return;
        }
        interfaces.push_back({name, int(index)});
    }
    const bool allInterfaces = interfaces.empty(); // and those that come up during the capture
    if (allInterfaces)
        interfaces = bpf::upInterfaces();
    std::vector<std::uint32_t> syscallNumbers;
    try {
        syscallNumbers = bpf::SyscallCapturer::parseList(start.syscalls().empty() ? "none" : start.syscalls());
    } catch (const EngineError& e) {
        sendError(peer, pb::Error::BAD_REQUEST, "--syscalls: \"" + e.object() + "\" is " + e.what());
        return;
    }
    std::string pending; // whole pcapng blocks not sent yet
    std::string header;  // the section and interface blocks, for a spool file
    PcapngWriter writer(
        [&](const std::uint8_t* data, std::size_t size) {
            pending.append(reinterpret_cast<const char*>(data), size);
            std::uint32_t type; // each call is one whole block
            std::memcpy(&type, data, sizeof type);
            if (pcapng::isHeaderBlock(type))
                header.append(reinterpret_cast<const char*>(data), size);
        },
        "Stratoshark helper (eBPF TC)");
    std::unique_ptr<SpoolFile> spooled; // the client went away: the capture goes on here
    auto flushData = [&]() {
        if (pending.empty())
            return true;
        if (spooled) {
            spooled->write(pending);
            pending.clear();
            return true;
        }
        pb::Response r;
        r.mutable_data()->set_pcapng(pending);
        if (!ipc::writeMessage(fd, r))
            return false; // `pending` stays, for a spool file
        pending.clear();
        return true;
    };
    std::string reason = "stopped";
    try {
        bpf::PcapngCapture capture(
            {interfaces, snaplen, start.max_packets(), syscallNumbers, filter, 0, start.metadata_filter(), pods,
             allInterfaces},
            writer);
        std::string names;
        for (const auto& i : interfaces)
            names += (names.empty() ? "" : ",") + i.name;
        peer.log("capture on " + (allInterfaces ? "all up interfaces (" + names + ")" : names) +
                 (start.bpf_filter().empty() ? "" : ", filter \"" + start.bpf_filter() + "\"") +
                 (start.metadata_filter().empty() ? "" : ", ebpf-filter \"" + start.metadata_filter() + "\"") +
                 (start.syscalls().empty() || start.syscalls() == "none" ? "" : ", syscalls " + start.syscalls()));
        const auto begin = Clock::now();
        auto lastStats = begin;
        auto statistics = [&](pb::Statistics* s) {
            s->set_packets(capture.packets());
            s->set_bytes(capture.bytes());
            s->set_drops(capture.kernelStats().ringbufDrops);
            s->set_records(capture.records());
            s->set_record_drops(capture.syscallDrops());
            s->set_elapsed_ms(std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begin).count()));
        };
        for (;;) {
            capture.poll(20);
            const ClientSays says = spooled ? ClientSays::Nothing : clientSays(fd);
            if (says == ClientSays::Stop)
                break;
            if (says == ClientSays::Gone || !flushData()) {
                reason = "client gone";
                // With a spool and a limit the client asked for, the capture goes on there.
                if (spool.dir.empty() || (!start.duration_ms() && !start.max_packets()))
                    break;
                spooled = std::make_unique<SpoolFile>(spool.dir, spool.group, peer.uid, peer.pid, header);
                peer.log("client gone; the capture goes on into " + spooled->path());
                flushData();
            }
            if (capture.countReached()) {
                reason = "count";
                break;
            }
            if (start.duration_ms() && Clock::now() - begin >= std::chrono::milliseconds(start.duration_ms())) {
                reason = "duration";
                break;
            }
            if (!spooled && Clock::now() - lastStats >= std::chrono::seconds(1)) {
                pb::Response r;
                statistics(r.mutable_statistics());
                ipc::writeMessage(fd, r);
                lastStats = Clock::now();
            }
        }
        capture.finish();
        flushData();
        pb::Response end;
        statistics(end.mutable_end()->mutable_statistics());
        end.mutable_end()->set_reason(reason);
        ipc::writeMessage(fd, end);
        peer.log("capture ended (" + reason + (spooled ? ", in " + spooled->path() : std::string()) + "): " +
                 std::to_string(capture.packets()) + " packets, " +
                 std::to_string(capture.kernelStats().ringbufDrops) + " dropped, " + std::to_string(capture.records()) +
                 " syscall records, " + std::to_string(capture.syscallDrops()) + " dropped");
    } catch (const EngineError& e) {
        try {
            flushData(); // what was captured before the failure
        } catch (const EngineError&) { // the spool file itself failed: the error below says the first cause
        }
        sendError(peer, pb::Error::CAPTURE_FAILED, e.step() + " \"" + e.object() + "\": " + e.what());
    }
}

} // namespace

HelperServer::HelperServer(std::string socketPath, std::string group, std::shared_ptr<bpf::PodSource> pods,
                           bool verbose, std::string spool)
    : path_(std::move(socketPath)), group_(std::move(group)), pods_(std::move(pods)), verbose_(verbose),
      spool_(std::move(spool))
{
}

HelperServer::~HelperServer()
{
    if (listener_ >= 0) {
        close(listener_);
        if (!path_.empty())
            unlink(path_.c_str());
    }
}

gid_t HelperServer::spoolGroup() const
{
    const group* g = group_.empty() ? nullptr : getgrnam(group_.c_str());
    return g ? g->gr_gid : 0;
}

bool HelperServer::allowed(int client, std::string* who, ucred* peer) const
{
    ucred& cred = *peer;
    socklen_t len = sizeof cred;
    if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return false;
    *who = "uid " + std::to_string(cred.uid) + " (pid " + std::to_string(cred.pid) + ")";
    if (cred.uid == 0)
        return true;
    const group* g = group_.empty() ? nullptr : getgrnam(group_.c_str());
    if (!g)
        return false;
    if (cred.gid == g->gr_gid)
        return true;
    // The peer's own supplementary groups as they were when it connected (SO_PEERGROUPS),
    // not the user database's: a process that dropped the group does not get it back.
    std::vector<gid_t> groups(64);
    socklen_t size = socklen_t(groups.size() * sizeof(gid_t));
    if (getsockopt(client, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) != 0) {
        if (errno != ERANGE) // size now says how much is needed
            return false;
        groups.resize(size / sizeof(gid_t) + 1);
        size = socklen_t(groups.size() * sizeof(gid_t));
        if (getsockopt(client, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) != 0)
            return false;
    }
    for (std::size_t i = 0; i < size / sizeof(gid_t); ++i)
        if (groups[i] == g->gr_gid)
            return true;
    return false;
}

void HelperServer::serve(int client)
{
    std::string who;
    ucred cred{};
    const bool permitted = allowed(client, &who, &cred);
    const Peer peer{client, who, verbose_, cred.uid, cred.pid};
    if (!permitted) {
        sendError(peer, pb::Error::PERMISSION_DENIED,
                  who + " may not capture: only root and members of group \"" + group_ + "\" may");
        close(client);
        return;
    }
    pb::Request request;
    if (ipc::readMessage(client, request, ipc::kMaxRequestBytes) != ipc::ReadResult::Ok || !request.has_hello()) {
        sendError(peer, pb::Error::BAD_REQUEST, "expected a Hello first");
        close(client);
        return;
    }
    if (request.hello().protocol_version() != ipc::kProtocolVersion) {
        sendError(peer, pb::Error::UNSUPPORTED_VERSION,
                  "protocol version " + std::to_string(request.hello().protocol_version()) + " (helper speaks " +
                      std::to_string(ipc::kProtocolVersion) + ")");
        close(client);
        return;
    }
    peer.log("connected (" + request.hello().client() + ")", false);
    pb::Response reply;
    reply.mutable_hello()->set_protocol_version(ipc::kProtocolVersion);
    reply.mutable_hello()->set_helper("stratoshark-helper");
    ipc::writeMessage(client, reply);
    for (;;) {
        pb::Request next;
        const auto result = ipc::readMessage(client, next, ipc::kMaxRequestBytes);
        if (result == ipc::ReadResult::Closed || result == ipc::ReadResult::Error)
            break;
        if (result != ipc::ReadResult::Ok) {
            sendError(peer, pb::Error::BAD_REQUEST, result == ipc::ReadResult::TooLarge ? "request too large"
                                                                                         : "request is not a valid message");
            break;
        }
        if (next.has_list_interfaces())
            listInterfaces(peer);
        else if (next.has_start_capture())
            capture(peer, next.start_capture(), pods_, {spool_, spoolGroup()});
        else
            sendError(peer, pb::Error::BAD_REQUEST, "unexpected request");
    }
    close(client);
}

void HelperServer::run(const std::atomic<bool>& stop)
{
    // Socket activation (systemd): the listening socket arrives as fd 3.
    const char* fds = std::getenv("LISTEN_FDS");
    const char* pid = std::getenv("LISTEN_PID");
    if (fds && pid && std::atoi(fds) == 1 && std::atoi(pid) == getpid()) {
        listener_ = 3;
        path_.clear(); // systemd owns the socket file
    } else {
        bindSocket();
    }
    while (!stop) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0)
            continue;
        const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            continue;
        std::thread([this, client] { serve(client); }).detach();
    }
}

void HelperServer::bindSocket()
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof addr.sun_path)
        throw EngineError("bind helper socket", path_, "path too long for a Unix socket");
    std::strcpy(addr.sun_path, path_.c_str());
    const std::string dir = path_.substr(0, path_.rfind('/'));
    if (!dir.empty())
        mkdir(dir.c_str(), 0755);
    unlink(path_.c_str());
    listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 16) != 0)
        throw EngineError("bind helper socket", path_, std::strerror(errno));
    const group* g = group_.empty() ? nullptr : getgrnam(group_.c_str());
    if (chown(path_.c_str(), 0, g ? g->gr_gid : 0) != 0 || chmod(path_.c_str(), 0660) != 0)
        throw EngineError("set helper socket permissions", path_, std::strerror(errno));
}

} // namespace ss::helper
