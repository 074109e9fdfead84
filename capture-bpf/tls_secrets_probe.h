// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

#include "ebpf_filter.h"
#include "ring_reader.h"

struct tls_secrets;
struct ss_tls_secret;
struct bpf_link;

namespace ss::bpf {

// BPF_TRACE_UPROBE_MULTI (Linux 6.6 uapi; Debian 12's headers end before it).
constexpr unsigned kTraceUprobeMulti = 48;

// A file descriptor closed on destruction (a BPF link: closing it detaches the probe).
class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    UniqueFd& operator=(UniqueFd&& o) noexcept
    {
        std::swap(fd_, o.fd_);
        return *this;
    }
    ~UniqueFd();
    int get() const { return fd_; }

private:
    int fd_;
};

// TLS secrets of the processes that use OpenSSL 3, taken by uprobes on their libcrypto
// (tls_secrets.h: public API only, no struct offsets) and turned into NSS key log lines
// (SSLKEYLOGFILE) — what a capture writes as Decryption Secrets Blocks.
class TlsSecretsProbe {
public:
    // `line`: one key log line without its end; `pid`: the process whose secret it is.
    using Sink = std::function<void(const std::string& line, std::uint32_t pid)>;

    // Loads the programs (attached by attach()). Throws EngineError naming the step.
    explicit TlsSecretsProbe(Sink sink);
    ~TlsSecretsProbe();
    TlsSecretsProbe(const TlsSecretsProbe&) = delete;
    TlsSecretsProbe& operator=(const TlsSecretsProbe&) = delete;

    // Attaches to the libcrypto at `library` (a path as this process sees it: for a process
    // in a container, through /proc/PID/root) for process `pid`, or every process mapping
    // it (-1), by uprobe_multi links. Throws EngineError naming the library and the symbol.
    void attach(const std::string& library, int pid);

    // OpenSSL 3: attaches to every distinct libcrypto.so.3 (device and inode) the host and
    // its running processes map, for every process mapping it, and from now on to the new
    // ones selected processes bring when they start (a container's own copy): at the exec,
    // the library the process's root has in the system's library folders (before its loader
    // maps it); then its maps, 10 ms, 100 ms and 1 s after the exec (a library elsewhere, or
    // loaded later). Throws EngineError when the first library cannot be attached; a later
    // one that cannot is counted (lateFailures()).
    void watchOpenSsl();
    std::size_t libraries() const { return libraries_.size(); }
    std::uint64_t lateFailures() const { return lateFailures_; }

    // Go programs (crypto/tls is linked into each binary): attaches to the binaries of the
    // running processes and, from now on, of each selected process that starts (the exec
    // tracepoint) — one attachment per binary, for every process that runs it. A program
    // whose first handshake comes before its binary is attached (a few ms after its exec)
    // loses those secrets; later runs of the same binary lose none.
    void watchGoPrograms();
    std::size_t goBinaries() const { return goBinaries_.size(); }

    // Reads the secrets (and exec events) that came, and looks at the maps of processes
    // whose time has come (watchOpenSsl()).
    int poll(int timeoutMs);
    // Readable when secrets or exec events wait.
    int epollFd() const;
    // The `--ebpf-filter` maps (meta_filter.h): fill them before attach(); none set: every
    // process's secrets.
    MetaFilterMaps metaFilterMaps() const;
    // Secrets dropped because their handshake's ClientHello was not seen (a process that
    // was already mid-handshake when the probe attached).
    std::uint64_t withoutRandom() const { return withoutRandom_; }

    // The libcrypto.so.3 process `pid` maps, as a path this process can open (through
    // /proc/PID/root), or empty.
    static std::string libcryptoOf(int pid);
    // The host's own libcrypto.so.3 (the multiarch and lib64 folders), or empty.
    static std::string systemLibcrypto();
    // One path per distinct libcrypto.so.3 (device and inode) the host and its running
    // processes map — a container's own copy through /proc/PID/root.
    static std::vector<std::string> libcryptos();
    // The key log line for one secret; empty when it cannot be made (no client random).
    static std::string keyLogLine(const ss_tls_secret& secret);

    // The function Go's crypto/tls calls with every secret.
    static constexpr const char* kGoKeyLogSymbol = "crypto/tls.(*Config).writeKeyLog";

private:
    static int onEvent(void* self, void* data, std::size_t size);
    // Attaches to the binary process `pid` runs if it is a Go program with crypto/tls and was
    // not attached before.
    void attachGoBinaryOf(int pid);
    // Attaches to the library at `path` unless its device and inode were seen; true when it
    // is (now or before) attached.
    bool attachLibcrypto(const std::string& path);
    // A selected process started: its root's system libcrypto now, its maps later.
    void lookAtNewProcess(int pid);
    void scanDueProcesses();
    struct SkeletonDeleter {
        void operator()(tls_secrets* skel) const;
    };
    std::unique_ptr<tls_secrets, SkeletonDeleter> skeleton_;
    std::vector<UniqueFd> links_;
    bpf_link* execLink_ = nullptr;
    std::set<std::pair<dev_t, ino_t>> goBinaries_, notGo_; // binaries looked at
    std::set<std::pair<dev_t, ino_t>> libraries_;          // libcryptos attached
    bool watchingOpenSsl_ = false;
    std::multimap<std::uint64_t, std::pair<int, unsigned>> scans_; // due (CLOCK_MONOTONIC ns) → pid, step
    std::uint64_t lateFailures_ = 0;
    std::unique_ptr<RingReader> ring_;
    Sink sink_;
    std::uint64_t withoutRandom_ = 0;
};

} // namespace ss::bpf
