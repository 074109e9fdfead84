// SPDX-License-Identifier: GPL-2.0-or-later
#include "falco_listener.h"

#include "endpoint.h"
#include "error.h"
#include "wall_clock.h"

#include <httplib.h>

namespace ss::sources {

FalcoListener::FalcoListener(EventHub& hub, const std::string& listen, const ipc::TlsFiles& tls)
    : hub_(hub), counters_(hub.counters("falco " + listen))
{
    std::string host, port;
    if (!ipc::splitHostPort(listen, &host, &port))
        throw EngineError("listen for Falco", listen, "give HOST:PORT or :PORT");
    if (!tls.cert.empty())
        server_ = std::make_unique<httplib::SSLServer>(tls.cert.c_str(), tls.key.c_str());
    else
        server_ = std::make_unique<httplib::Server>();
    if (!server_->is_valid())
        throw EngineError("listen for Falco", listen, "cannot use the TLS certificate " + tls.cert);
    server_->set_payload_max_length(events::kMaxEventBytes);
    server_->set_read_timeout(5, 0);
    server_->set_write_timeout(5, 0);
    server_->new_task_queue = [] { return new httplib::ThreadPool(2); };
    server_->Post("/", [this](const httplib::Request& request, httplib::Response& response) {
        events::LiveEvent event;
        std::string why;
        if (!events::convertEvent(events::EventSource::Falco, request.body, wallClockNs(), &event, &why)) {
            ++counters_.unparsable;
            response.status = 400;
            response.set_content("not a Falco alert: " + why + "\n", "text/plain");
            return;
        }
        ++counters_.received;
        hub_.publish({events::EventSource::Falco, std::move(event), &counters_});
        response.status = 200;
    });
    const std::string bindHost = host.empty() ? "0.0.0.0" : host;
    port_ = std::stoi(port);
    if (!server_->bind_to_port(bindHost, port_))
        throw EngineError("listen for Falco", listen, "the address cannot be bound");
    counters_.connected = true;
    thread_ = std::thread([this] { server_->listen_after_bind(); });
}

FalcoListener::~FalcoListener()
{
    server_->stop();
    if (thread_.joinable())
        thread_.join();
}

} // namespace ss::sources
