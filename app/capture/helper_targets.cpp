// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_targets.h"

#include "endpoint.h"
#include "error.h"
#include "ipc_framing.h"

#include <cstdlib>

namespace ss::capture {

std::vector<std::string> defaultHelpers()
{
    if (const char* env = std::getenv("STRATOSHARK_HELPER"); env && *env)
        return {env};
    return {std::string("unix:") + ipc::kDefaultSocket};
}

void tlsFromEnvironment(ipc::TlsFiles* files)
{
    const auto fill = [](std::string* into, const char* name) {
        if (const char* env = std::getenv(name); into->empty() && env)
            *into = env;
    };
    fill(&files->ca, "STRATOSHARK_TLS_CA");
    fill(&files->cert, "STRATOSHARK_TLS_CERT");
    fill(&files->key, "STRATOSHARK_TLS_KEY");
    fill(&files->serverName, "STRATOSHARK_TLS_SERVER_NAME");
}

std::vector<std::unique_ptr<ipc::HelperClient>> connectHelpers(const std::vector<std::string>& specs,
                                                              const ipc::TlsFiles& files, const std::string& client)
{
    std::vector<ipc::Endpoint> endpoints;
    bool anyTls = false;
    for (const std::string& spec : specs) {
        std::string error;
        const auto endpoint = ipc::parseEndpoint(spec, &error);
        if (!endpoint)
            throw ipc::HelperError(ipc::HelperError::Kind::Unreachable, spec,
                                   "bad helper address \"" + spec + "\" (use " + error + ")");
        anyTls = anyTls || endpoint->kind == ipc::Endpoint::Kind::Tls;
        endpoints.push_back(*endpoint);
    }
    std::unique_ptr<ipc::TlsClient> tls;
    if (anyTls) {
        try {
            tls = std::make_unique<ipc::TlsClient>(files);
        } catch (const EngineError& e) {
            throw ipc::HelperError(ipc::HelperError::Kind::Unreachable, e.object(),
                                   e.step() + " \"" + e.object() + "\": " + e.what());
        }
    }
    std::vector<std::unique_ptr<ipc::HelperClient>> helpers;
    for (const ipc::Endpoint& e : endpoints)
        helpers.push_back(std::make_unique<ipc::HelperClient>(e, tls.get(), client));
    return helpers;
}

} // namespace ss::capture
