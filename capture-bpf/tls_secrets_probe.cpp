// SPDX-License-Identifier: GPL-2.0-or-later
#include "tls_secrets_probe.h"

#include "error.h"

#include "tls_secrets.h"
#include "tls_secrets.skel.h"

#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ss::bpf {
namespace {

const char* labelName(std::uint8_t label)
{
    switch (label) {
    case SS_TLS_MASTER: return "CLIENT_RANDOM";
    case SS_TLS_CLIENT_HS: return "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    case SS_TLS_SERVER_HS: return "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    case SS_TLS_CLIENT_AP: return "CLIENT_TRAFFIC_SECRET_0";
    case SS_TLS_SERVER_AP: return "SERVER_TRAFFIC_SECRET_0";
    case SS_TLS_EXPORTER: return "EXPORTER_SECRET";
    case SS_TLS_CLIENT_EARLY: return "CLIENT_EARLY_TRAFFIC_SECRET";
    case SS_TLS_EARLY_EXPORTER: return "EARLY_EXPORTER_SECRET";
    default: return nullptr;
    }
}

void appendHex(std::string& out, const std::uint8_t* p, std::size_t n)
{
    static const char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(kDigits[p[i] >> 4]);
        out.push_back(kDigits[p[i] & 15]);
    }
}

} // namespace

void TlsSecretsProbe::SkeletonDeleter::operator()(tls_secrets* skel) const
{
    tls_secrets__destroy(skel);
}

void TlsSecretsProbe::LinkDeleter::operator()(bpf_link* link) const
{
    bpf_link__destroy(link);
}

TlsSecretsProbe::TlsSecretsProbe(Sink sink) : sink_(std::move(sink))
{
    skeleton_.reset(tls_secrets__open_and_load());
    if (!skeleton_)
        throw EngineError("load TLS secret probes", "tls_secrets.bpf.o", std::strerror(errno));
    ring_ = std::make_unique<RingReader>(bpf_map__fd(skeleton_->maps.ss_tls_events), "ss_tls_events", onEvent, this);
}

TlsSecretsProbe::~TlsSecretsProbe()
{
    links_.clear(); // detach before the programs go
    ring_.reset();
    skeleton_.reset();
}

void TlsSecretsProbe::attach(const std::string& library, int pid)
{
    struct Probe {
        bpf_program* program;
        const char* symbol;
        bool ret;
    };
    const Probe probes[] = {{skeleton_->progs.ss_tls_digest_update, "EVP_DigestUpdate", false},
                            {skeleton_->progs.ss_tls_kdf_derive, "EVP_KDF_derive", false},
                            {skeleton_->progs.ss_tls_kdf_derive_ret, "EVP_KDF_derive", true}};
    std::vector<std::unique_ptr<bpf_link, LinkDeleter>> links;
    for (const Probe& p : probes) {
        LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = p.ret, .func_name = p.symbol);
        bpf_link* link = bpf_program__attach_uprobe_opts(p.program, pid, library.c_str(), 0, &opts);
        if (!link)
            throw EngineError("attach a uprobe to " + std::string(p.symbol), library, std::strerror(errno));
        links.emplace_back(link);
    }
    for (auto& l : links)
        links_.push_back(std::move(l));
}

int TlsSecretsProbe::poll(int timeoutMs)
{
    return ring_->poll(timeoutMs);
}

int TlsSecretsProbe::onEvent(void* self, void* data, std::size_t size)
{
    auto* probe = static_cast<TlsSecretsProbe*>(self);
    if (size < sizeof(ss_tls_secret))
        return 0;
    const auto& secret = *static_cast<const ss_tls_secret*>(data);
    const std::string line = keyLogLine(secret);
    if (line.empty())
        ++probe->withoutRandom_;
    else
        probe->sink_(line, secret.pid);
    return 0;
}

std::string TlsSecretsProbe::keyLogLine(const ss_tls_secret& s)
{
    const char* label = labelName(s.label);
    if (!label || !s.has_random || s.secret_len == 0 || s.secret_len > SS_TLS_MAX_SECRET)
        return {};
    std::string line = label;
    line.push_back(' ');
    appendHex(line, s.random, SS_TLS_RANDOM);
    line.push_back(' ');
    appendHex(line, s.secret, s.secret_len);
    return line;
}

std::string TlsSecretsProbe::libcryptoOf(int pid)
{
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    std::string row;
    while (std::getline(maps, row)) {
        const std::size_t slash = row.find('/');
        if (slash == std::string::npos)
            continue;
        const std::string path = row.substr(slash);
        const std::size_t base = path.rfind('/');
        if (path.compare(base + 1, 15, "libcrypto.so.3") == 0 && path.size() == base + 1 + 14)
            return "/proc/" + std::to_string(pid) + "/root" + path;
    }
    return {};
}

std::string TlsSecretsProbe::systemLibcrypto()
{
    for (const char* dir : {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                            "/usr/lib64", "/usr/lib"}) {
        const std::string path = std::string(dir) + "/libcrypto.so.3";
        if (access(path.c_str(), R_OK) == 0)
            return path;
    }
    return {};
}

} // namespace ss::bpf
