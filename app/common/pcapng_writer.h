// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss {

// pcapng block types (draft-ietf-opsawg-pcapng), for the writer and for those who cut its
// stream into files (each file must repeat the section header and the interfaces).
namespace pcapng {
constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kInterfaceStatistics = 0x00000005;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kDecryptionSecrets = 0x0000000A;
// A block every file of a section needs before its packets: the section header, an interface.
constexpr bool isHeaderBlock(std::uint32_t type)
{
    return type == kSectionHeader || type == kInterfaceDescription;
}
} // namespace pcapng

// A small streaming pcapng writer for Stratoshark's own output (imported records, merged
// captures, and later the capture helper): one section, interfaces with nanosecond
// timestamps, Enhanced Packet Blocks with comments and direction flags. Each block is
// written whole, so a file cut short ends at the last complete block.
class PcapngWriter {
public:
    // `path` "-" writes to standard output. Throws EngineError naming the file.
    // `comments` go on the section header (opt_comment), one option each.
    PcapngWriter(const std::string& path, const std::string& application,
                 const std::vector<std::string>& comments = {});
    // Hands each whole block to `sink` instead of a file (the helper streams them).
    using Sink = std::function<void(const std::uint8_t* data, std::size_t size)>;
    PcapngWriter(Sink sink, const std::string& application, const std::vector<std::string>& comments = {});
    ~PcapngWriter();
    PcapngWriter(const PcapngWriter&) = delete;
    PcapngWriter& operator=(const PcapngWriter&) = delete;

    // Returns the interface id. `linkType` is a pcap LINKTYPE_ value.
    std::uint32_t addInterface(std::uint16_t linkType, std::uint32_t snapLength, const std::string& name,
                               const std::string& description = {}, const std::vector<std::string>& comments = {});

    enum Direction : std::uint32_t { Unknown = 0, Inbound = 1, Outbound = 2 }; // epb_flags bits 0-1

    void writePacket(std::uint32_t interfaceId, std::uint64_t timestampNs, const std::uint8_t* data,
                     std::uint32_t capturedLength, std::uint32_t originalLength,
                     const std::vector<std::string>& comments = {}, Direction direction = Unknown);

    // Interface Statistics Block: packets received and dropped, at `timestampNs`, with
    // an optional comment (why the interface's capture ended early, say).
    // `dropped` unknown (nullopt): isb_ifdrop is left out rather than claimed zero.
    void writeInterfaceStatistics(std::uint32_t interfaceId, std::uint64_t timestampNs, std::uint64_t received,
                                  std::optional<std::uint64_t> dropped, const std::string& comment = {});

    // Decryption Secrets Block: `secrets` of `secretsType` (tls::kSecretsTypeTls: a key log's
    // lines) for the packets written after it. Over kMaxSecretsBytes is refused (EngineError):
    // cut a key log at line ends (tls::splitAtLines) into several blocks.
    static constexpr std::size_t kMaxSecretsBytes = 4u << 20;
    void writeDecryptionSecrets(std::uint32_t secretsType, std::string_view secrets);

    void flush();
    void close(); // throws on a write error

private:
    // `block`: 8 bytes for the header, then the body (see Body in the .cpp).
    void writeBlock(std::uint32_t type, std::vector<std::uint8_t>& block);
    void writeSectionHeader(const std::string& application, const std::vector<std::string>& comments);
    // After a failed write (disk full): the file is cut back to its last whole block, the
    // rest of stdio's buffer dropped and the file closed, then `step` is thrown. A file that
    // ends mid-block would be unreadable past its last whole block anyway; this way every
    // reader sees all of it.
    [[noreturn]] void failKeepingWholeBlocks(const char* step, int err);
    int cutToWholeBlocks(); // the same without throwing; an errno of its own, or 0

    std::string path_;
    std::FILE* file_ = nullptr;
    bool ownsFile_ = false;
    Sink sink_;
    std::uint32_t interfaces_ = 0;
    std::vector<std::uint8_t> buffer_; // reused for every block
    std::uint64_t written_ = 0;               // bytes handed to stdio, whole blocks
    std::deque<std::uint64_t> blockEnds_;     // the last block ends, ascending (bounded)
    std::uint64_t olderEnd_ = 0;              // a block end before all of those
};

} // namespace ss
