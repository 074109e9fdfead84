// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcapng_blocks.h"

#include "pcapng_writer.h"

namespace ss::pcapng {
namespace {

std::uint32_t le32(std::string_view s, std::size_t at)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
    return p[0] | p[1] << 8 | p[2] << 16 | std::uint32_t(p[3]) << 24;
}

std::uint16_t le16(std::string_view s, std::size_t at)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
    return std::uint16_t(p[0] | p[1] << 8);
}

void put16(std::string& out, std::uint16_t v)
{
    out.push_back(char(v));
    out.push_back(char(v >> 8));
}

void put32(std::string& out, std::uint32_t v)
{
    put16(out, std::uint16_t(v));
    put16(out, std::uint16_t(v >> 16));
}

void putOption(std::string& out, std::uint16_t code, std::string_view value)
{
    put16(out, code);
    put16(out, std::uint16_t(value.size()));
    out.append(value);
    out.append((4 - value.size() % 4) % 4, '\0');
}

constexpr std::uint16_t kOptEnd = 0, kOptComment = 1, kIfName = 2;

} // namespace

std::size_t splitBlocks(std::string_view data, std::vector<BlockView>* blocks, bool* malformed, std::size_t maxBlock)
{
    *malformed = false;
    std::size_t at = 0;
    while (data.size() - at >= 12) {
        const std::uint32_t length = le32(data, at + 4);
        if (length < 12 || length % 4 || length > maxBlock) {
            *malformed = true;
            break;
        }
        if (data.size() - at < length)
            break;
        blocks->push_back({le32(data, at), data.substr(at, length)});
        at += length;
    }
    return at;
}

std::vector<Option> options(std::string_view body, std::size_t fixed)
{
    std::vector<Option> out;
    std::size_t at = fixed;
    while (body.size() >= at + 4) {
        const std::uint16_t code = le16(body, at), length = le16(body, at + 2);
        if (code == kOptEnd || body.size() < at + 4 + length)
            break;
        out.push_back({code, body.substr(at + 4, length)});
        at += 4 + ((length + 3u) & ~3u);
    }
    return out;
}

std::optional<InterfaceBlock> parseInterface(const BlockView& block)
{
    if (block.type != kInterfaceDescription || block.bytes.size() < 20)
        return std::nullopt;
    const std::string_view body = block.body();
    InterfaceBlock idb;
    idb.linkType = le16(body, 0);
    idb.snapLength = le32(body, 4);
    for (const Option& o : options(body, 8)) {
        if (o.code == kIfName)
            idb.name = std::string(o.value);
        else
            idb.otherOptions.push_back(o);
    }
    return idb;
}

std::string buildInterface(const InterfaceBlock& idb, const std::string& name, const std::string& comment)
{
    std::string out;
    put32(out, kInterfaceDescription);
    put32(out, 0); // length, below
    put16(out, idb.linkType);
    put16(out, 0);
    put32(out, idb.snapLength);
    putOption(out, kIfName, name.substr(0, 0xffff));
    for (const Option& o : idb.otherOptions)
        putOption(out, o.code, o.value);
    if (!comment.empty())
        putOption(out, kOptComment, std::string_view(comment).substr(0, 0xffff));
    put32(out, kOptEnd);
    const auto total = std::uint32_t(out.size() + 4);
    put32(out, total);
    for (int i = 0; i < 4; ++i)
        out[std::size_t(4 + i)] = char(total >> (8 * i));
    return out;
}

std::uint64_t packetTimestampNs(const BlockView& block)
{
    if (block.type != kEnhancedPacket || block.bytes.size() < 28)
        return 0;
    const std::string_view body = block.body();
    return std::uint64_t(le32(body, 4)) << 32 | le32(body, 8);
}

std::string buildPacket(std::uint32_t id, std::uint64_t timestampNs, std::string_view data, std::uint32_t originalLength)
{
    std::string out;
    put32(out, kEnhancedPacket);
    put32(out, 0); // length, below
    put32(out, id);
    put32(out, std::uint32_t(timestampNs >> 32));
    put32(out, std::uint32_t(timestampNs));
    put32(out, std::uint32_t(data.size()));
    put32(out, originalLength);
    out.append(data);
    out.append((4 - data.size() % 4) % 4, '\0');
    const auto total = std::uint32_t(out.size() + 4);
    put32(out, total);
    for (int i = 0; i < 4; ++i)
        out[std::size_t(4 + i)] = char(total >> (8 * i));
    return out;
}

std::optional<PacketView> parsePacket(const BlockView& block)
{
    if (block.type != kEnhancedPacket || block.bytes.size() < 32)
        return std::nullopt;
    const std::string_view body = block.body();
    PacketView p;
    p.interfaceId = le32(body, 0);
    p.timestampNs = std::uint64_t(le32(body, 4)) << 32 | le32(body, 8);
    const std::uint32_t captured = le32(body, 12);
    p.originalLength = le32(body, 16);
    const std::size_t padded = (std::size_t(captured) + 3) & ~std::size_t(3);
    if (body.size() < 20 + padded)
        return std::nullopt;
    p.data = body.substr(20, captured);
    p.options = options(body, 20 + padded);
    return p;
}

std::uint32_t interfaceIdOf(const BlockView& block)
{
    return block.bytes.size() >= 16 ? le32(block.bytes, 8) : 0;
}

std::string withInterfaceId(const BlockView& block, std::uint32_t id)
{
    std::string out(block.bytes);
    if (out.size() >= 16)
        for (int i = 0; i < 4; ++i)
            out[std::size_t(8 + i)] = char(id >> (8 * i));
    return out;
}

} // namespace ss::pcapng
