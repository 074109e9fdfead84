// SPDX-License-Identifier: GPL-2.0-or-later
#include "spool.h"

#include "error.h"
#include "wall_clock.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>

namespace ss::helper {
namespace {

std::atomic<unsigned> g_sequence{0}; // names made by this helper process, across threads

// Owner names go into file names: letters, digits, '-' and '.' only.
std::string fileSafe(const std::string& text)
{
    std::string out;
    for (const char c : text.substr(0, 64))
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
    return out;
}

} // namespace

SpooledCapture::SpooledCapture(const std::string& dir, const std::string& owner, gid_t group,
                               const std::string& header, const SpoolLimits& limits)
    : owner_(owner), maxBytes_(limits.bytes), deadline_(std::chrono::steady_clock::now() + limits.duration),
      startedNs_(wallClockNs())
{
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        name_ = std::string(stamp) + "-" + fileSafe(owner) + "-" + std::to_string(++g_sequence) + ".pcapng";
        path_ = dir + "/" + name_;
        fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        throw EngineError("create spool file", path_, std::strerror(errno));
    if (fchown(fd, 0, group) != 0) { // readable by the group that may capture
        const int err = errno;
        close(fd);
        unlink(path_.c_str());
        throw EngineError("give spool file to the group", path_, std::strerror(err));
    }
    file_ = fdopen(fd, "wb");
    if (!file_) {
        close(fd);
        throw EngineError("open spool file", path_, std::strerror(errno));
    }
    write(header, 0);
}

SpooledCapture::~SpooledCapture()
{
    if (file_)
        std::fclose(file_);
}

bool SpooledCapture::write(const std::string& blocks, std::uint64_t packets)
{
    if (bytes_ + blocks.size() > maxBytes_)
        return false;
    if ((!blocks.empty() && std::fwrite(blocks.data(), 1, blocks.size(), file_) != blocks.size()) ||
        std::fflush(file_) != 0) {
        const int err = errno;
        // Whole blocks only: cut back to what was written before this write.
        std::fflush(file_);
        if (ftruncate(fileno(file_), off_t(bytes_.load())) == 0)
            std::fseek(file_, 0, SEEK_END);
        throw EngineError("write spool file", path_, std::strerror(err));
    }
    bytes_ += blocks.size();
    packets_ += packets;
    return true;
}

pb::SpooledCapture SpooledCapture::describe() const
{
    pb::SpooledCapture c;
    c.set_name(name_);
    c.set_owner(owner_);
    c.set_running(running_);
    c.set_bytes(bytes_);
    c.set_packets(packets_);
    c.set_started_ns(startedNs_);
    return c;
}

Spool::Spool(std::string dir, gid_t group, SpoolLimits limits) : dir_(std::move(dir)), group_(group), limits_(limits) {}

std::shared_ptr<SpooledCapture> Spool::start(const std::string& owner, const std::string& header, std::string* why)
{
    std::lock_guard lock(mutex_);
    unsigned running = 0;
    for (auto it = running_.begin(); it != running_.end();)
        if (it->second.expired())
            it = running_.erase(it);
        else
            ++running, ++it;
    if (running >= limits_.captures) {
        *why = std::to_string(running) + " spooled captures run already (the limit)";
        return nullptr;
    }
    auto capture = std::make_shared<SpooledCapture>(dir_, owner, group_, header, limits_);
    running_[capture->name()] = capture;
    return capture;
}

std::vector<pb::SpooledCapture> Spool::list() const
{
    std::vector<pb::SpooledCapture> out;
    std::set<std::string> running;
    std::lock_guard lock(mutex_);
    for (const auto& [name, weak] : running_)
        if (const auto capture = weak.lock()) {
            out.push_back(capture->describe());
            out.back().set_kind("capture");
            running.insert(name);
        }
    if (extra_)
        for (auto& c : extra_()) {
            running.insert(c.name());
            out.push_back(std::move(c));
        }
    for (const char* sub : {"", "recorder/", "archive/"}) {
        DIR* folder = opendir((dir_ + "/" + sub).c_str());
        for (dirent* e = folder ? readdir(folder) : nullptr; e; e = readdir(folder)) {
            const std::string name = sub + std::string(e->d_name);
            if (!name.ends_with(".pcapng") || running.count(name))
                continue;
            struct stat st {};
            if (fstatat(dirfd(folder), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
                continue;
            pb::SpooledCapture c;
            c.set_name(name);
            c.set_bytes(std::uint64_t(st.st_size));
            c.set_started_ns(std::uint64_t(st.st_mtim.tv_sec) * 1000000000ull);
            // Spooled captures are named TIME-OWNER-N.pcapng; triggered ones TRIGGER_POD_TIME.pcapng.
            c.set_kind(*sub == 'r' ? "recorder" : *sub == 'a' ? "archive" : std::isdigit(static_cast<unsigned char>(name[0])) ? "capture" : "trigger");
            if (*sub == 'r')
                c.set_owner("flight recorder");
            out.push_back(c);
        }
        if (folder)
            closedir(folder);
    }
    return out;
}

std::vector<std::string> Spool::openPaths() const
{
    std::vector<std::string> out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, weak] : running_)
        if (const auto capture = weak.lock())
            out.push_back(capture->path());
    return out;
}

int Spool::openForFetch(const std::string& name, std::string* why) const
{
    // NAME, recorder/NAME or archive/NAME; nothing else (no "..", no other folder).
    const auto slash = name.find('/');
    const std::string sub = slash == std::string::npos ? std::string() : name.substr(0, slash);
    const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
    if (dir_.empty() || (!sub.empty() && sub != "recorder" && sub != "archive") || base.empty() ||
        base.find('/') != std::string::npos || base[0] == '.' || !base.ends_with(".pcapng")) {
        *why = "no spooled file " + name + " (names are as --list-spool shows them)";
        return -1;
    }
    const int fd = open((dir_ + "/" + name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st {};
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = "no spooled file " + name;
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

Spool::StopResult Spool::stop(const std::string& name, const std::string& who, bool root)
{
    std::lock_guard lock(mutex_);
    const auto it = running_.find(name);
    const auto capture = it == running_.end() ? nullptr : it->second.lock();
    if (!capture)
        return access((dir_ + "/" + fileSafe(name)).c_str(), F_OK) == 0 ? StopResult::NotRunning
                                                                        : StopResult::NotFound;
    if (!root && capture->owner() != who)
        return StopResult::NotYours;
    capture->requestStop();
    return StopResult::Stopped;
}

void Spool::stopAll()
{
    std::lock_guard lock(mutex_);
    for (const auto& [name, weak] : running_)
        if (const auto capture = weak.lock())
            capture->requestStop();
}

} // namespace ss::helper
