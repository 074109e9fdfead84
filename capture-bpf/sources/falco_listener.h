// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "event_hub.h"
#include "tls.h"

namespace httplib {
class Server;
}

namespace ss::sources {

// `--falco-listen HOST:PORT`: takes the alerts Falco's http_output and falcosidekick's
// webhook POST to "/" (JSON, one alert a request), over HTTP or, with a certificate and
// key, HTTPS. A body is bounded (1 MiB, 64 levels of nesting) before it is parsed; what is
// not an alert is answered 400 and counted.
class FalcoListener {
public:
    // Throws EngineError when the address cannot be listened on.
    FalcoListener(EventHub& hub, const std::string& listen, const ipc::TlsFiles& tls = {});
    ~FalcoListener();
    FalcoListener(const FalcoListener&) = delete;
    FalcoListener& operator=(const FalcoListener&) = delete;

    int port() const { return port_; }

private:
    EventHub& hub_;
    SourceCounters& counters_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
};

} // namespace ss::sources
