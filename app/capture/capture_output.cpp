// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_output.h"

#include <fcntl.h>

#include "pcapng_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

namespace ss::capture {
namespace {

using namespace pcapng; // block types

std::uint32_t word(const char* p, bool swap)
{
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

} // namespace

CaptureOutput::CaptureOutput(Options options) : options_(std::move(options)) {}

CaptureOutput::~CaptureOutput()
{
    close();
}

void CaptureOutput::close()
{
    if (file_ && file_ != stdout)
        std::fclose(file_);
    else if (file_)
        std::fflush(file_);
    file_ = nullptr;
}

std::optional<std::uint64_t> CaptureOutput::parseSize(const std::string& text)
{
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !(value > 0) || !std::isfinite(value))
        return std::nullopt;
    std::string unit(end);
    for (char& c : unit)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    double factor;
    if (unit.empty() || unit == "b")
        factor = 1;
    else if (unit == "k" || unit == "kb")
        factor = 1e3;
    else if (unit == "m" || unit == "mb")
        factor = 1e6;
    else if (unit == "g" || unit == "gb")
        factor = 1e9;
    else if (unit == "kib")
        factor = 1024.0;
    else if (unit == "mib")
        factor = 1024.0 * 1024;
    else if (unit == "gib")
        factor = 1024.0 * 1024 * 1024;
    else
        return std::nullopt;
    return static_cast<std::uint64_t>(value * factor);
}

std::string CaptureOutput::ringName(const std::string& path, std::uint64_t n, std::time_t when)
{
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    const bool hasExtension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
    const std::string stem = hasExtension ? path.substr(0, dot) : path;
    const std::string extension = hasExtension ? path.substr(dot) : std::string();
    char stamp[32];
    std::tm tm{};
    localtime_r(&when, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    char number[24];
    std::snprintf(number, sizeof number, "%05llu", static_cast<unsigned long long>(n));
    return stem + "_" + number + "_" + stamp + extension;
}

bool CaptureOutput::open()
{
    if (options_.path == "-") {
        if (ring()) {
            error_ = "a ring of files (--ring-size, --ring-files, --max-age) needs --output FILE, not -";
            return false;
        }
        file_ = stdout;
        return true;
    }
    return startFile();
}

bool CaptureOutput::startFile()
{
    if (file_)
        std::fclose(file_);
    file_ = nullptr;
    ++sequence_;
    const std::string name = ring() ? ringName(options_.path, sequence_, std::time(nullptr)) : options_.path;
    if (options_.holdsSecrets) {
        // Never readable by others: 0640 at most, narrower where the umask says so; a file
        // that existed (O_TRUNC keeps its mode) loses what 0640 does not allow.
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        struct stat st {};
        if (fd >= 0 && (::fstat(fd, &st) != 0 || ::fchmod(fd, st.st_mode & 0640) != 0 ||
                        !(file_ = ::fdopen(fd, "wb"))))
            ::close(fd);
    } else {
        file_ = std::fopen(name.c_str(), "wb");
    }
    if (!file_) {
        error_ = "cannot write \"" + name + "\": " + std::strerror(errno);
        return false;
    }
    fileBytes_ = filePackets_ = 0;
    if (ring()) {
        ringFiles_.push_back(name);
        while (options_.ringFiles && ringFiles_.size() > options_.ringFiles) {
            unlink(ringFiles_.front().c_str());
            ringFiles_.pop_front();
        }
        expire();
    }
    committed_ = 0;
    if (!writeBytes(header_.data(), header_.size()))
        return false;
    const auto oldest = std::chrono::steady_clock::now() - std::chrono::milliseconds(options_.secretsRepeatMs);
    while (!secrets_.empty() && secrets_.front().first < oldest) {
        secretsBytes_ -= secrets_.front().second.size();
        secrets_.pop_front();
    }
    for (const auto& secrets : secrets_)
        if (!writeBytes(secrets.second.data(), secrets.second.size()))
            return false;
    if (std::fflush(file_) != 0)
        return false;
    committed_ = fileBytes_;
    return true;
}

void CaptureOutput::keepSecrets(std::string block)
{
    secretsBytes_ += block.size();
    secrets_.emplace_back(std::chrono::steady_clock::now(), std::move(block));
    while (secretsBytes_ > kMaxRepeatedSecrets && !secrets_.empty()) { // the oldest go first
        secretsBytes_ -= secrets_.front().second.size();
        secrets_.pop_front();
    }
}

void CaptureOutput::expire()
{
    if (!options_.maxAgeMs)
        return;
    const auto now = std::chrono::system_clock::now();
    while (ringFiles_.size() > 1) { // never the file being written
        struct stat st {};
        if (stat(ringFiles_.front().c_str(), &st) == 0) {
            const auto modified = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec) +
                                  std::chrono::nanoseconds(st.st_mtim.tv_nsec);
            if (now - modified < std::chrono::milliseconds(options_.maxAgeMs))
                break;
            unlink(ringFiles_.front().c_str());
        }
        ringFiles_.pop_front();
    }
}

bool CaptureOutput::writeBytes(const char* data, std::size_t size)
{
    if (size && std::fwrite(data, 1, size, file_) != size) {
        error_ = std::string("write failed: ") + std::strerror(errno);
        return false;
    }
    fileBytes_ += size;
    totalBytes_ += size;
    return true;
}

bool CaptureOutput::write(std::string_view blocks)
{
    const bool ok = writeBlocks(blocks);
    if (file_ && std::fflush(file_) != 0 && error_.empty())
        error_ = std::string("write failed: ") + std::strerror(errno);
    if (!error_.empty() && file_ && file_ != stdout) {
        // Whole blocks only (disk full, say): cut the file back to what was whole before.
        clearerr(file_);
        if (ftruncate(fileno(file_), off_t(committed_)) == 0)
            std::fseek(file_, 0, SEEK_END);
        fileBytes_ = committed_;
        return false;
    }
    committed_ = fileBytes_;
    return ok && error_.empty();
}

bool CaptureOutput::writeBlocks(std::string_view blocks)
{
    std::size_t at = 0;
    while (at + 12 <= blocks.size()) {
        const char* block = blocks.data() + at;
        if (word(block, false) == kSectionHeader)
            swap_ = word(block + 8, false) != 0x1A2B3C4D;
        const std::uint32_t type = word(block, swap_);
        const std::uint32_t length = word(block + 4, swap_);
        if (length < 12 || length % 4 || length > blocks.size() - at) {
            error_ = "the helper sent a malformed pcapng block";
            return false;
        }
        if (options_.maxSize && totalBytes_ + length > options_.maxSize) {
            limitReached_ = true;
            std::fflush(file_);
            return false;
        }
        if (type == kSectionHeader) {
            header_.clear();
            secrets_.clear(); // a new section: its own byte order, its own secrets
            secretsBytes_ = 0;
        }
        const bool headerBlock = isHeaderBlock(type);
        if (!headerBlock && options_.ringSize && filePackets_ && fileBytes_ + length > options_.ringSize &&
            !startFile())
            return false;
        if (!writeBytes(block, length))
            return false;
        if (headerBlock)
            header_.append(block, length);
        if (type == kDecryptionSecrets && ring())
            keepSecrets(std::string(block, length));
        if (type == kEnhancedPacket) {
            ++filePackets_;
            ++packets_;
        }
        at += length;
    }
    return true;
}

} // namespace ss::capture
