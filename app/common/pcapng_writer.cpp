// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcapng_writer.h"

#include "error.h"
#include "ss_records.h"

#include <stdio_ext.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ss {
namespace {

using namespace pcapng; // block types

// pcapng option codes (draft-ietf-opsawg-pcapng).
constexpr std::uint16_t kOptEnd = 0, kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2, kIfDescription = 3, kIfTsResol = 9;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint16_t kIsbStartTime = 2, kIsbEndTime = 3, kIsbIfRecv = 4, kIsbIfDrop = 5;

// A block built in the writer's reused buffer: 8 bytes left for the type and length
// (PcapngWriter::writeBlock fills them in), then the body, little-endian.
struct Body {
    std::vector<std::uint8_t>& b;
    explicit Body(std::vector<std::uint8_t>& buffer) : b(buffer)
    {
        b.clear();
        b.resize(8);
    }
    void u8(std::uint8_t v) { b.push_back(v); }
    void u16(std::uint16_t v)
    {
        const std::uint8_t le[2] = {std::uint8_t(v), std::uint8_t(v >> 8)};
        b.insert(b.end(), le, le + 2);
    }
    void u32(std::uint32_t v)
    {
        const std::uint8_t le[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
        b.insert(b.end(), le, le + 4);
    }
    void u64(std::uint64_t v) { u32(std::uint32_t(v)); u32(std::uint32_t(v >> 32)); }
    void bytes(const void* p, std::size_t n)
    {
        auto* c = static_cast<const std::uint8_t*>(p);
        b.insert(b.end(), c, c + n);
        while (b.size() % 4)
            b.push_back(0);
    }
    void option(std::uint16_t code, const void* p, std::size_t n)
    {
        u16(code);
        u16(std::uint16_t(n));
        bytes(p, n);
    }
    void option(std::uint16_t code, const std::string& s)
    {
        if (!s.empty())
            option(code, s.data(), std::min<std::size_t>(s.size(), 0xffff));
    }
    void timestamp(std::uint64_t ns) // high then low 32 bits, in the interface's unit
    {
        u32(std::uint32_t(ns >> 32));
        u32(std::uint32_t(ns));
    }
};

} // namespace

PcapngWriter::PcapngWriter(const std::string& path, const std::string& application,
                           const std::vector<std::string>& comments)
    : path_(path), file_(path == "-" ? stdout : std::fopen(path.c_str(), "wb")), ownsFile_(path != "-")
{
    if (!file_)
        throw EngineError("open output capture", path, std::strerror(errno));
    writeSectionHeader(application, comments);
}

PcapngWriter::PcapngWriter(Sink sink, const std::string& application, const std::vector<std::string>& comments)
    : path_("(stream)"), sink_(std::move(sink))
{
    writeSectionHeader(application, comments);
}

void PcapngWriter::writeSectionHeader(const std::string& application, const std::vector<std::string>& comments)
{
    Body shb(buffer_);
    shb.u32(0x1A2B3C4D); // byte-order magic
    shb.u16(1);
    shb.u16(0);
    shb.u64(~std::uint64_t{0}); // section length not given
    for (const auto& c : comments)
        shb.option(kOptComment, c);
    shb.option(kShbUserAppl, application);
    shb.u32(kOptEnd);
    writeBlock(kSectionHeader, shb.b);
}

PcapngWriter::~PcapngWriter()
{
    if (!file_)
        return;
    if (std::fflush(file_) != 0)
        cutToWholeBlocks(); // no exception from here: the file still ends on a whole block
    else if (ownsFile_)
        std::fclose(file_);
}

std::uint32_t PcapngWriter::addInterface(std::uint16_t linkType, std::uint32_t snapLength, const std::string& name,
                                         const std::string& description, const std::vector<std::string>& comments)
{
    Body idb(buffer_);
    idb.u16(linkType);
    idb.u16(0);
    idb.u32(snapLength);
    idb.option(kIfName, name);
    const bool ours = linkType == SS_LINKTYPE_SYSCALL || linkType == SS_LINKTYPE_FLOW || linkType == SS_LINKTYPE_SECURITY;
    idb.option(kIfDescription, ours && description.empty() ? SS_RECORD_IDB_PREFIX + name : description);
    const std::uint8_t nanoseconds = 9;
    idb.option(kIfTsResol, &nanoseconds, 1);
    for (const auto& c : comments)
        idb.option(kOptComment, c);
    idb.u32(kOptEnd);
    writeBlock(kInterfaceDescription, idb.b);
    return interfaces_++;
}

void PcapngWriter::writePacket(std::uint32_t interfaceId, std::uint64_t timestampNs, const std::uint8_t* data,
                               std::uint32_t capturedLength, std::uint32_t originalLength,
                               const std::vector<std::string>& comments, Direction direction)
{
    Body epb(buffer_);
    epb.u32(interfaceId);
    epb.timestamp(timestampNs);
    epb.u32(capturedLength);
    epb.u32(originalLength);
    epb.bytes(data, capturedLength);
    if (direction != Unknown) {
        const std::uint32_t flags = direction;
        epb.option(kEpbFlags, &flags, 4);
    }
    for (const auto& c : comments)
        epb.option(kOptComment, c);
    if (direction != Unknown || !comments.empty())
        epb.u32(kOptEnd);
    writeBlock(kEnhancedPacket, epb.b);
}

void PcapngWriter::writeInterfaceStatistics(std::uint32_t interfaceId, std::uint64_t timestampNs,
                                            std::uint64_t received, std::optional<std::uint64_t> dropped,
                                            const std::string& comment)
{
    Body isb(buffer_);
    isb.u32(interfaceId);
    isb.timestamp(timestampNs);
    auto u64option = [&](std::uint16_t code, std::uint64_t v) {
        isb.u16(code);
        isb.u16(8);
        isb.u64(v);
    };
    isb.option(kOptComment, comment);
    isb.u16(kIsbEndTime);
    isb.u16(8);
    isb.timestamp(timestampNs);
    u64option(kIsbIfRecv, received);
    if (dropped)
        u64option(kIsbIfDrop, *dropped);
    (void)kIsbStartTime;
    isb.u32(kOptEnd);
    writeBlock(kInterfaceStatistics, isb.b);
}

void PcapngWriter::writeDecryptionSecrets(std::uint32_t secretsType, std::string_view secrets)
{
    if (secrets.size() > kMaxSecretsBytes)
        throw EngineError("write decryption secrets", path_,
                          std::to_string(secrets.size()) + " bytes of secrets in one block, over " +
                              std::to_string(kMaxSecretsBytes));
    Body dsb(buffer_);
    dsb.u32(secretsType);
    dsb.u32(std::uint32_t(secrets.size()));
    dsb.bytes(secrets.data(), secrets.size());
    writeBlock(pcapng::kDecryptionSecrets, dsb.b);
}

void PcapngWriter::writeBlock(std::uint32_t type, std::vector<std::uint8_t>& block)
{
    const auto total = static_cast<std::uint32_t>(block.size() + 4);
    for (int i = 0; i < 4; ++i) {
        block[std::size_t(i)] = std::uint8_t(type >> (8 * i));
        block[std::size_t(4 + i)] = std::uint8_t(total >> (8 * i));
    }
    const std::uint8_t trailer[4] = {block[4], block[5], block[6], block[7]};
    block.insert(block.end(), trailer, trailer + 4);
    if (sink_) {
        sink_(block.data(), block.size());
        return;
    }
    if (!file_)
        throw EngineError("write pcapng block", path_, "the file was closed after a write error");
    if (std::fwrite(block.data(), 1, block.size(), file_) != block.size())
        failKeepingWholeBlocks("write pcapng block", errno);
    written_ += block.size();
    blockEnds_.push_back(written_);
    if (blockEnds_.size() > 16384) { // far more blocks than stdio's buffer holds
        olderEnd_ = blockEnds_.front();
        blockEnds_.pop_front();
    }
}

void PcapngWriter::failKeepingWholeBlocks(const char* step, int err)
{
    if (const int cut = cutToWholeBlocks())
        err = cut;
    throw EngineError(step, path_, std::strerror(err));
}

int PcapngWriter::cutToWholeBlocks()
{
    int err = 0;
    struct stat st {};
    if (ownsFile_ && fstat(fileno(file_), &st) == 0 && S_ISREG(st.st_mode)) {
        // What reached the disk ends somewhere; keep up to the last block end before it.
        const auto size = std::uint64_t(st.st_size);
        std::uint64_t keep = olderEnd_;
        for (auto it = blockEnds_.rbegin(); it != blockEnds_.rend(); ++it)
            if (*it <= size) {
                keep = *it;
                break;
            }
        __fpurge(file_); // what stdio still holds never reaches the file
        if (ftruncate(fileno(file_), off_t(keep)) != 0)
            err = errno;
    }
    if (ownsFile_)
        std::fclose(file_);
    else
        __fpurge(file_);
    file_ = nullptr;
    return err;
}

void PcapngWriter::flush()
{
    if (file_ && std::fflush(file_) != 0)
        failKeepingWholeBlocks("write pcapng block", errno);
}

void PcapngWriter::close()
{
    if (!file_)
        return;
    if (std::fflush(file_) != 0 || std::ferror(file_))
        failKeepingWholeBlocks("close output capture", errno ? errno : EIO);
    if (ownsFile_)
        std::fclose(file_);
    file_ = nullptr;
}

} // namespace ss
