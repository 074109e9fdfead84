// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <memory>
#include <sys/socket.h>
#include <string>

#include "pod_source.h"

namespace ss::helper {

// The helper's IPC side: a Unix socket (mode 0660, group `group`) on which root and the
// group's members may list interfaces and run captures; everyone else is refused after
// the peer's credentials are checked (SO_PEERCRED). Each client is served on its own
// thread; a bad request gets an error and closes that connection, never the helper.
class HelperServer {
public:
    // `pods`: where the node's pods get their names (null: none; shared by the captures).
    // `spool`: where captures whose client went away go on (spool.h); "": they stop.
    HelperServer(std::string socketPath, std::string group, std::shared_ptr<bpf::PodSource> pods = {},
                 bool verbose = false, std::string spool = {});
    ~HelperServer();
    HelperServer(const HelperServer&) = delete;
    HelperServer& operator=(const HelperServer&) = delete;

    // Accepts clients until `stop` becomes true. Throws EngineError if the socket cannot
    // be set up.
    void run(const std::atomic<bool>& stop);

private:
    void bindSocket();
    void serve(int client);
    bool allowed(int client, std::string* who, ucred* peer) const;
    gid_t spoolGroup() const;

    std::string path_;
    std::string group_;
    std::shared_ptr<bpf::PodSource> pods_;
    bool verbose_; // -v: log every request, not only refusals and captures
    std::string spool_;
    int listener_ = -1;
};

} // namespace ss::helper
