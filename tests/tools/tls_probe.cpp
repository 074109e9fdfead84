// SPDX-License-Identifier: GPL-2.0-or-later
// For the capture tests: the helper's TLS secret probes (tls_secrets_probe.h) on their own.
//   tls_probe SECONDS [PID]   attaches to PID's libcrypto (default: the host's, for every
//                             process that maps it, and to Go programs), says "ready" on stderr,
//                             then prints each key log line as it comes, for SECONDS or until
//                             SIGTERM/SIGINT.
#include "error.h"
#include "tls_secrets_probe.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace {
volatile std::sig_atomic_t stop = 0;
void onSignal(int) { stop = 1; }
} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: tls_probe SECONDS [PID]\n");
        return 1;
    }
    const int seconds = std::atoi(argv[1]);
    const int pid = argc > 2 ? std::atoi(argv[2]) : -1;
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    try {
        const std::string library = pid > 0 ? ss::bpf::TlsSecretsProbe::libcryptoOf(pid)
                                            : ss::bpf::TlsSecretsProbe::systemLibcrypto();
        if (library.empty()) {
            std::fprintf(stderr, "tls_probe: no libcrypto.so.3 %s\n", pid > 0 ? "in that process" : "on this host");
            return 2;
        }
        ss::bpf::TlsSecretsProbe probe([](const std::string& line, std::uint32_t) {
            std::printf("%s\n", line.c_str());
            std::fflush(stdout);
        });
        probe.attach(library, pid);
        if (pid <= 0)
            probe.watchGoPrograms(); // and Go programs, running or started from now on
        std::fprintf(stderr, "ready: %s\n", library.c_str());
        const std::time_t end = std::time(nullptr) + seconds;
        while (!stop && std::time(nullptr) < end)
            probe.poll(100);
        probe.poll(0);
        std::fprintf(stderr, "tls_probe: %llu secrets without their ClientHello\n",
                     static_cast<unsigned long long>(probe.withoutRandom()));
    } catch (const ss::EngineError& e) {
        std::fprintf(stderr, "tls_probe: %s %s: %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
    return 0;
}
