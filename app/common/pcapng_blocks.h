// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss::pcapng {

// Whole little-endian pcapng blocks as the helper streams them (its own writer's output),
// read without copying: the type, the whole block's bytes and its body.
struct BlockView {
    std::uint32_t type;
    std::string_view bytes; // the whole block, header and trailer included
    std::string_view body() const { return bytes.substr(8, bytes.size() - 12); }
};

// Splits `data` into blocks. Returns how many bytes were whole blocks; a block whose
// length is malformed (under 12, not a multiple of 4, over `maxBlock`) sets *malformed and
// stops there.
std::size_t splitBlocks(std::string_view data, std::vector<BlockView>* blocks, bool* malformed,
                        std::size_t maxBlock = 16u << 20);

// One option of a block's option list.
struct Option {
    std::uint16_t code;
    std::string_view value;
};
// The options that follow `fixed` bytes of the body (SHB 16, IDB 8, EPB 20 + padded data,
// ISB 12); stops at opt_endofopt or a malformed length.
std::vector<Option> options(std::string_view body, std::size_t fixed);

// An Interface Description Block, as far as merging needs it.
struct InterfaceBlock {
    std::uint16_t linkType = 0;
    std::uint32_t snapLength = 0;
    std::string name;                  // if_name
    std::vector<Option> otherOptions;  // kept as they were (views into the block)
};
std::optional<InterfaceBlock> parseInterface(const BlockView& block);
// The block again, with `name` as its if_name and `comment` added when not empty.
std::string buildInterface(const InterfaceBlock& idb, const std::string& name, const std::string& comment = {});

// EPB: the timestamp in ns (the helper's interfaces are nanosecond), its interface id.
std::uint64_t packetTimestampNs(const BlockView& block);
std::uint32_t interfaceIdOf(const BlockView& block); // EPB and ISB
// An Enhanced Packet Block of `data` on interface `id` at `timestampNs` (ns interfaces),
// without options.
std::string buildPacket(std::uint32_t id, std::uint64_t timestampNs, std::string_view data, std::uint32_t originalLength);
// An EPB's parts: captured bytes and the options after them (comments are code 1).
struct PacketView {
    std::uint32_t interfaceId = 0;
    std::uint64_t timestampNs = 0;
    std::uint32_t originalLength = 0;
    std::string_view data;
    std::vector<Option> options;
};
std::optional<PacketView> parsePacket(const BlockView& block);
// Copies the block with another interface id (EPB and ISB).
std::string withInterfaceId(const BlockView& block, std::uint32_t id);

} // namespace ss::pcapng
