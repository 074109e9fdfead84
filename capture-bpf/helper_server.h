// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <atomic>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client_session.h"
#include "node_services.h"
#include "pod_source.h"
#include "spool.h"
#include "tls.h"

namespace ss::helper {

struct ServerOptions {
    std::string socketPath;    // the Unix socket ("" with socket activation: fd 3)
    std::string group = "stratoshark";
    std::string listen;        // "HOST:PORT" for the TLS listener; "": none
    ipc::TlsFiles tls;         // cert, key; ca = the CA that signs clients
    std::vector<std::string> allowedClients;
    std::string nodeName;
    std::shared_ptr<bpf::PodSource> pods;
    bool verbose = false;
    std::string spoolDir;      // "": captures stop when their client goes
    SpoolLimits spoolLimits;
    SessionLimits limits;
    NodeOptions node; // live sources, flight recorder, triggers, retention
};

// The helper's IPC side: a Unix socket (mode 0660, group `group`) on which root and the
// group's members may list interfaces and run captures, and optionally a TCP port with
// TLS 1.3 and client certificates for remote clients. Each client is a ClientSession on a
// thread of its own, within SessionLimits; the server keeps them and waits for them when it
// stops, and nothing a client does can end it.
class HelperServer {
public:
    explicit HelperServer(ServerOptions options); // throws EngineError (sockets, TLS files)
    ~HelperServer();
    HelperServer(const HelperServer&) = delete;
    HelperServer& operator=(const HelperServer&) = delete;

    // Accepts clients until `stop` becomes true, then stops every capture and waits for the
    // sessions to end.
    void run(const std::atomic<bool>& stop);

private:
    void bindUnix();
    void bindTcp();
    void accept(int listener, bool tls);
    bool admit(const std::string& key, bool limited, const std::string& who);
    void launch(std::unique_ptr<ClientSession> session, const std::string& key, const std::string& who);
    void reap(bool all);

    ServerOptions options_;
    std::atomic<bool> stopping_{false};
    SessionContext context_;
    std::unique_ptr<Spool> spool_;
    std::unique_ptr<NodeServices> node_;
    std::unique_ptr<ipc::TlsServer> tls_;
    int unixListener_ = -1, tcpListener_ = -1;
    bool ownsSocketFile_ = false;
    ino_t socketInode_ = 0; // the socket file made, to remove only that one
    std::atomic<std::uint64_t> capturesRunning_{0};
    std::unique_ptr<BufferBudget> buffers_; // options_.limits.bufferBytes
    dev_t socketDevice_ = 0;

    struct Running {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
        std::string key; // counted per client
    };
    std::mutex mutex_;
    std::list<Running> sessions_;
    std::map<std::string, unsigned> perClient_;
};

} // namespace ss::helper
