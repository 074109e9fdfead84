// SPDX-License-Identifier: GPL-2.0-or-later
#include "flight_recorder.h"

#include "error.h"
#include "pcapng_writer.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace ss::helper {
namespace {

constexpr const char* kPrefix = "recorder_";
constexpr const char* kSuffix = ".pcapng";

std::uint32_t le32(const std::uint8_t* p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | std::uint32_t(p[3]) << 24;
}

struct RecordedFile {
    std::string path;
    std::uint64_t size;
    timespec modified;
};

bool older(const RecordedFile& a, const RecordedFile& b)
{
    if (a.modified.tv_sec != b.modified.tv_sec)
        return a.modified.tv_sec < b.modified.tv_sec;
    if (a.modified.tv_nsec != b.modified.tv_nsec)
        return a.modified.tv_nsec < b.modified.tv_nsec;
    return a.path < b.path;
}

} // namespace

void BlockQueue::push(const std::uint8_t* data, std::size_t size)
{
    std::lock_guard lock(mutex_);
    if (blocks_.size() + size > kMaxBytes && !pcapng::isHeaderBlock(le32(data))) {
        ++dropped_;
        return;
    }
    blocks_.append(reinterpret_cast<const char*>(data), size);
}

std::string BlockQueue::take()
{
    std::lock_guard lock(mutex_);
    std::string out;
    out.swap(blocks_);
    return out;
}

bool FlightRecorder::isRecorderFile(const std::string& name) const
{
    return name.starts_with(kPrefix) && name.ends_with(kSuffix) && name.find('/') == std::string::npos;
}

namespace {

std::vector<RecordedFile> listFiles(const std::string& dir, const FlightRecorder& recorder)
{
    std::vector<RecordedFile> files;
    DIR* d = opendir(dir.c_str());
    if (!d)
        return files;
    while (const dirent* e = readdir(d)) {
        if (!recorder.isRecorderFile(e->d_name))
            continue;
        const std::string path = dir + "/" + e->d_name;
        struct stat st {};
        if (lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            files.push_back({path, std::uint64_t(st.st_size), st.st_mtim});
    }
    closedir(d);
    std::sort(files.begin(), files.end(), older);
    return files;
}

} // namespace

FlightRecorder::FlightRecorder(Options options) : options_(std::move(options))
{
    if (mkdir(options_.dir.c_str(), 0750) != 0 && errno != EEXIST)
        throw EngineError("create flight recorder folder", options_.dir, std::strerror(errno));
    capture::CaptureOutput::Options out;
    out.path = options_.dir + "/recorder.pcapng"; // files recorder_NNNNN_TIME.pcapng
    out.ringSize = std::max<std::uint64_t>(1u << 20, options_.maxBytes / 8);
    output_ = std::make_unique<capture::CaptureOutput>(out);
    if (!output_->open())
        throw EngineError("start flight recorder", options_.dir, output_->error());
    writer_ = std::make_unique<PcapngWriter>(
        [this](const std::uint8_t* data, std::size_t size) { onBlock(data, size); },
        "Stratoshark flight recorder (eBPF TC)");
    capture_ = std::make_unique<bpf::PcapngCapture>(options_.capture, *writer_);
    writePending();
    prune();
    thread_ = std::thread([this] { run(); });
}

FlightRecorder::~FlightRecorder()
{
    stop_ = true;
    thread_.join();
    std::lock_guard lock(mutex_);
    try {
        capture_->finish();
        writePending();
        output_->close();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "stratoshark-helper: flight recorder: %s\n", e.what());
    }
}

void FlightRecorder::onBlock(const std::uint8_t* data, std::size_t size)
{
    // Called with mutex_ held (the capture runs only under it).
    pending_.append(reinterpret_cast<const char*>(data), size);
    for (const auto& f : followers_)
        f->push(data, size);
}

void FlightRecorder::writePending()
{
    if (pending_.empty())
        return;
    if (output_->write(pending_)) {
        bytesWritten_ += pending_.size();
    } else {
        ++writeErrors_;
        if (output_->error() != lastError_) { // once per kind of failure, not per write
            lastError_ = output_->error();
            std::fprintf(stderr, "stratoshark-helper: flight recorder: %s\n", lastError_.c_str());
        }
    }
    pending_.clear();
    if (output_->filesWritten() != lastFiles_) {
        lastFiles_ = output_->filesWritten();
        prune();
    }
}

void FlightRecorder::prune()
{
    const std::vector<RecordedFile> files = listFiles(options_.dir, *this);
    std::uint64_t total = 0;
    for (const RecordedFile& f : files)
        total += f.size;
    const time_t now = std::time(nullptr);
    const std::string current = output_->currentPath();
    for (const RecordedFile& f : files) {
        if (f.path == current)
            break;
        const bool tooOld = options_.maxAge.count() && now - f.modified.tv_sec > options_.maxAge.count();
        if (total <= options_.maxBytes && !tooOld)
            break;
        if (unlink(f.path.c_str()) != 0)
            continue;
        total -= f.size;
        ++filesDeleted_;
        std::fprintf(stderr, "stratoshark-helper: flight recorder: deleted %s (%llu bytes): %s\n", f.path.c_str(),
                     static_cast<unsigned long long>(f.size),
                     tooOld ? ("older than " + std::to_string(options_.maxAge.count()) + " s").c_str()
                            : ("over " + std::to_string(options_.maxBytes) + " bytes").c_str());
    }
}

void FlightRecorder::run()
{
    auto lastPrune = std::chrono::steady_clock::now();
    while (!stop_) {
        std::lock_guard lock(mutex_);
        try {
            capture_->poll(20);
        } catch (const std::exception& e) { // the recorder goes on; the failure is said
            std::fprintf(stderr, "stratoshark-helper: flight recorder: %s\n", e.what());
        }
        writePending();
        watermarkNs_ = capture_->watermarkNs();
        if (std::chrono::steady_clock::now() - lastPrune > std::chrono::seconds(10)) {
            prune(); // by age, also when nothing new is written
            lastPrune = std::chrono::steady_clock::now();
        }
    }
}

FlightRecorder::Follower FlightRecorder::follow()
{
    Follower f;
    f.live = std::make_shared<BlockQueue>();
    std::lock_guard lock(mutex_);
    writePending(); // everything so far is in the files
    for (const RecordedFile& file : listFiles(options_.dir, *this))
        f.files.emplace_back(file.path, file.size);
    followers_.push_back(f.live);
    return f;
}

void FlightRecorder::unfollow(const std::shared_ptr<BlockQueue>& queue)
{
    std::lock_guard lock(mutex_);
    followers_.erase(std::remove(followers_.begin(), followers_.end(), queue), followers_.end());
}

std::string FlightRecorder::currentPath() const
{
    std::lock_guard lock(mutex_);
    return output_->currentPath();
}

FlightRecorder::Stats FlightRecorder::stats() const
{
    std::lock_guard lock(mutex_);
    const CaptureCounters n = capture_->counters();
    return {n.packets, n.records, n.drops, n.recordDrops, bytesWritten_, output_->filesWritten(), filesDeleted_,
            writeErrors_};
}

double FlightRecorder::ringFill() const
{
    std::lock_guard lock(mutex_);
    return capture_->ringFill();
}

std::vector<std::pair<std::string, std::uint64_t>> FlightRecorder::dropsByInterface() const
{
    std::lock_guard lock(mutex_);
    return capture_->dropsByInterface();
}

} // namespace ss::helper
