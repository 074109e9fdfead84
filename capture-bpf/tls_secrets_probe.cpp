// SPDX-License-Identifier: GPL-2.0-or-later
#include "tls_secrets_probe.h"

#include "error.h"
#include "proc_pids.h"

#include "tls_secrets.h"
#include "tls_secrets.skel.h"

#include <bpf/libbpf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <set>
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

// The file offsets of functions `symbols` in the ELF file at `path` (its dynamic symbols,
// then the full table), as a uprobe takes them, in one pass. Throws EngineError naming the
// first one missing.
std::vector<std::uint64_t> functionFileOffsets(const std::string& path, const std::vector<const char*>& symbols)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw EngineError("open for its symbols", path, std::strerror(errno));
    elf_version(EV_CURRENT);
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    std::vector<std::uint64_t> values(symbols.size(), 0);
    std::size_t found = 0;
    for (Elf_Scn* scn = elf ? elf_nextscn(elf, nullptr) : nullptr; scn && found < symbols.size();
         scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB) || !sh.sh_entsize)
            continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        for (std::size_t i = 0; data && i < sh.sh_size / sh.sh_entsize && found < symbols.size(); ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, int(i), &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_value)
                continue;
            const char* name = elf_strptr(elf, sh.sh_link, sym.st_name);
            for (std::size_t k = 0; name && k < symbols.size(); ++k)
                if (!values[k] && std::strcmp(name, symbols[k]) == 0) {
                    values[k] = sym.st_value;
                    ++found;
                }
        }
    }
    std::vector<std::uint64_t> offsets(symbols.size(), 0);
    std::size_t headers = 0;
    if (elf && elf_getphdrnum(elf, &headers) == 0) {
        for (std::size_t i = 0; i < headers; ++i) {
            GElf_Phdr ph;
            if (!gelf_getphdr(elf, int(i), &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
                continue;
            for (std::size_t k = 0; k < symbols.size(); ++k)
                if (values[k] >= ph.p_vaddr && values[k] < ph.p_vaddr + ph.p_memsz)
                    offsets[k] = values[k] - ph.p_vaddr + ph.p_offset;
        }
    }
    if (elf)
        elf_end(elf);
    ::close(fd);
    for (std::size_t k = 0; k < symbols.size(); ++k)
        if (!offsets[k])
            throw EngineError("find " + std::string(symbols[k]), path, "no such function in its symbols");
    return offsets;
}

// bpf(BPF_LINK_CREATE) of a uprobe_multi link (Linux 6.6; its attribute layout, which the
// uapi headers of this Debian predate, spelled out).
UniqueFd attachUprobeMulti(int programFd, const std::string& path, std::uint64_t offset, bool ret, int pid)
{
    struct {
        std::uint32_t progFd, targetFd, attachType, flags;
        std::uint64_t path, offsets, refCtrOffsets, cookies;
        std::uint32_t cnt, flags2, pid;
        std::uint32_t pad[5];
    } attr{};
    attr.progFd = std::uint32_t(programFd);
    attr.attachType = kTraceUprobeMulti;
    attr.path = reinterpret_cast<std::uint64_t>(path.c_str());
    attr.offsets = reinterpret_cast<std::uint64_t>(&offset);
    attr.cnt = 1;
    attr.flags2 = ret ? 1 /* BPF_F_UPROBE_MULTI_RETURN */ : 0;
    attr.pid = pid > 0 ? std::uint32_t(pid) : 0;
    const int fd = int(::syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof attr));
    if (fd < 0)
        throw EngineError(std::string("attach a uprobe") + (ret ? " at return" : "") + " (uprobe_multi)", path,
                          std::strerror(errno));
    return UniqueFd(fd);
}

// Where Debian, Fedora and Alpine-style images keep libcrypto.so.3.
constexpr const char* kLibraryDirs[] = {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                                        "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib"};
// When a started process's maps are looked at, after its exec.
constexpr std::uint64_t kScanDelaysNs[] = {10'000'000, 100'000'000, 1'000'000'000};
constexpr std::size_t kMaxScans = 4096;

std::uint64_t monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1'000'000'000 + std::uint64_t(ts.tv_nsec);
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


TlsSecretsProbe::TlsSecretsProbe(Sink sink) : sink_(std::move(sink))
{
    skeleton_.reset(tls_secrets__open());
    if (!skeleton_)
        throw EngineError("open TLS secret probes", "tls_secrets.bpf.o", std::strerror(errno));
    // uprobe_multi links (bpf(BPF_LINK_CREATE)) need CAP_BPF and CAP_PERFMON only, where a
    // uprobe perf event needs CAP_SYS_ADMIN, which the helper does not keep.
    for (bpf_program* p : {skeleton_->progs.ss_tls_digest_update, skeleton_->progs.ss_tls_kdf_derive,
                           skeleton_->progs.ss_tls_kdf_derive_ret, skeleton_->progs.ss_tls_go_keylog})
        bpf_program__set_expected_attach_type(p, static_cast<bpf_attach_type>(kTraceUprobeMulti));
    if (const int err = tls_secrets__load(skeleton_.get()))
        throw EngineError("load TLS secret probes", "tls_secrets.bpf.o", std::strerror(-err));
    ring_ = std::make_unique<RingReader>(bpf_map__fd(skeleton_->maps.ss_tls_events), "ss_tls_events", onEvent, this);
}

TlsSecretsProbe::~TlsSecretsProbe()
{
    if (execLink_)
        bpf_link__destroy(execLink_);
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
    std::vector<const char*> symbols;
    for (const Probe& p : probes)
        symbols.push_back(p.symbol);
    const std::vector<std::uint64_t> offsets = functionFileOffsets(library, symbols);
    std::vector<UniqueFd> links;
    for (std::size_t k = 0; k < std::size(probes); ++k)
        links.push_back(attachUprobeMulti(bpf_program__fd(probes[k].program), library, offsets[k], probes[k].ret, pid));
    for (auto& l : links)
        links_.push_back(std::move(l));
}

MetaFilterMaps TlsSecretsProbe::metaFilterMaps() const
{
    return {bpf_map__fd(skeleton_->maps.ss_meta_config), bpf_map__fd(skeleton_->maps.ss_meta_pids),
            bpf_map__fd(skeleton_->maps.ss_meta_comms), bpf_map__fd(skeleton_->maps.ss_meta_cgroups)};
}

int TlsSecretsProbe::poll(int timeoutMs)
{
    const int n = ring_->poll(timeoutMs);
    scanDueProcesses();
    return n;
}

int TlsSecretsProbe::epollFd() const
{
    return ring_->epollFd();
}

void TlsSecretsProbe::watchOpenSsl()
{
    const std::vector<std::string> paths = libcryptos();
    for (const std::string& path : paths) {
        struct stat st {};
        if (stat(path.c_str(), &st) != 0)
            continue;
        attach(path, -1); // the first ones must attach: throws
        libraries_.insert({st.st_dev, st.st_ino});
    }
    watchingOpenSsl_ = true;
    watchGoPrograms(); // the same exec events tell of new libraries
}

bool TlsSecretsProbe::attachLibcrypto(const std::string& path)
{
    struct stat st {};
    if (path.empty() || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    if (libraries_.count({st.st_dev, st.st_ino}))
        return true;
    try {
        attach(path, -1);
        libraries_.insert({st.st_dev, st.st_ino});
        return true;
    } catch (const EngineError&) { // not OpenSSL 3's, or gone
        ++lateFailures_;
        libraries_.insert({st.st_dev, st.st_ino}); // not tried again
        return false;
    }
}

void TlsSecretsProbe::lookAtNewProcess(int pid)
{
    const std::string root = "/proc/" + std::to_string(pid) + "/root";
    for (const char* dir : kLibraryDirs)
        attachLibcrypto(root + dir + "/libcrypto.so.3");
    if (scans_.size() < kMaxScans)
        scans_.emplace(monotonicNs() + kScanDelaysNs[0], std::make_pair(pid, 0u));
}

void TlsSecretsProbe::scanDueProcesses()
{
    const std::uint64_t now = scans_.empty() ? 0 : monotonicNs();
    while (!scans_.empty() && scans_.begin()->first <= now) {
        const auto [pid, step] = scans_.begin()->second;
        scans_.erase(scans_.begin());
        if (attachLibcrypto(libcryptoOf(pid)))
            continue; // it maps one, attached: nothing more to look for
        const unsigned next = step + 1;
        if (next < std::size(kScanDelaysNs) && scans_.size() < kMaxScans &&
            access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0)
            scans_.emplace(now + kScanDelaysNs[next] - kScanDelaysNs[step], std::make_pair(pid, next));
    }
}

void TlsSecretsProbe::watchGoPrograms()
{
    if (!execLink_) {
        execLink_ = bpf_program__attach(skeleton_->progs.ss_tls_exec);
        if (!execLink_)
            throw EngineError("attach the exec tracepoint", "sched_process_exec", std::strerror(errno));
    }
    forEachPid([this](int pid) { attachGoBinaryOf(pid); });
}

void TlsSecretsProbe::attachGoBinaryOf(int pid)
{
    const std::string exe = "/proc/" + std::to_string(pid) + "/exe";
    struct stat st {};
    if (stat(exe.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return;
    const std::pair<dev_t, ino_t> key{st.st_dev, st.st_ino};
    if (goBinaries_.count(key) || notGo_.count(key))
        return;
    try {
        const std::uint64_t offset = functionFileOffsets(exe, {kGoKeyLogSymbol})[0];
        links_.push_back(attachUprobeMulti(bpf_program__fd(skeleton_->progs.ss_tls_go_keylog), exe, offset, false, 0));
        goBinaries_.insert(key);
    } catch (const EngineError&) { // not Go, no crypto/tls, stripped, or gone: nothing to take
        if (notGo_.size() < 65536)
            notGo_.insert(key);
    }
}

int TlsSecretsProbe::onEvent(void* self, void* data, std::size_t size)
{
    auto* probe = static_cast<TlsSecretsProbe*>(self);
    if (size < sizeof(ss_tls_secret))
        return 0;
    const auto& secret = *static_cast<const ss_tls_secret*>(data);
    if (secret.label == SS_TLS_EXEC) {
        if (probe->watchingOpenSsl_) // first: a container's library is one lookup, a binary's symbols many
            probe->lookAtNewProcess(int(secret.pid));
        probe->attachGoBinaryOf(int(secret.pid));
        return 0;
    }
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
    for (const char* dir : kLibraryDirs) {
        const std::string path = std::string(dir) + "/libcrypto.so.3";
        if (access(path.c_str(), R_OK) == 0)
            return path;
    }
    return {};
}

std::vector<std::string> TlsSecretsProbe::libcryptos()
{
    std::vector<std::string> paths;
    std::set<std::pair<dev_t, ino_t>> seen;
    auto add = [&](const std::string& path) {
        struct stat st {};
        if (!path.empty() && stat(path.c_str(), &st) == 0 && seen.insert({st.st_dev, st.st_ino}).second)
            paths.push_back(path);
    };
    add(systemLibcrypto());
    forEachPid([&](int pid) { add(libcryptoOf(pid)); });
    return paths;
}

} // namespace ss::bpf

ss::bpf::UniqueFd::~UniqueFd()
{
    if (fd_ >= 0)
        ::close(fd_);
}
