// SPDX-License-Identifier: GPL-2.0-or-later
#include "block_copier.h"

#include "ebpf_filter.h"
#include "meta_fields.h"
#include "pcapng_writer.h"
#include "ss_records.h"

#include <pcap/pcap.h>

namespace ss::helper {
namespace {

constexpr std::uint16_t kLinkEthernet = 1;
constexpr std::uint16_t kOptComment = 1;

std::uint32_t le(const std::uint8_t* p, std::size_t bytes)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        v |= std::uint32_t(p[i]) << (8 * i);
    return v;
}

// A syscall record's number (SS_TAG_SC_NR), or nullopt.
std::optional<std::uint32_t> syscallNumber(const std::uint8_t* data, std::size_t length)
{
    if (length < SS_RECORD_HEADER_LEN || le(data, 4) != SS_RECORD_MAGIC)
        return std::nullopt;
    const std::size_t end = std::min<std::size_t>(length, SS_RECORD_HEADER_LEN + le(data + 8, 4));
    for (std::size_t at = SS_RECORD_HEADER_LEN; at + SS_TLV_HEADER_LEN <= end;) {
        const std::uint32_t tag = le(data + at, 2), size = le(data + at + 2, 2);
        at += SS_TLV_HEADER_LEN;
        if (at + size > end)
            break;
        if (tag == SS_TAG_SC_NR && size == 4)
            return le(data + at, 4);
        at += size;
    }
    return std::nullopt;
}

bool isRecordLink(std::uint16_t linkType)
{
    return linkType == SS_LINKTYPE_SYSCALL || linkType == SS_LINKTYPE_FLOW || linkType == SS_LINKTYPE_SECURITY;
}

} // namespace

bool runClassicFilter(const std::vector<bpf::ClassicInsn>& program, const std::uint8_t* data, std::uint32_t caplen,
                      std::uint32_t length)
{
    if (program.empty())
        return true;
    // ClassicInsn is laid out as libpcap's struct bpf_insn (tcpdump_filter.h).
    return bpf_filter(reinterpret_cast<const bpf_insn*>(program.data()), data, length, caplen) != 0;
}

BlockCopier::BlockCopier(Filter filter, Sink sink, std::uint32_t nextInterfaceId)
    : filter_(std::move(filter)), sink_(std::move(sink)), nextId_(nextInterfaceId)
{
}

void BlockCopier::feed(const pcapng::BlockView& block)
{
    if (block.type == pcapng::kSectionHeader) {
        section_.clear();
        return;
    }
    if (block.type == pcapng::kInterfaceDescription) {
        const auto idb = pcapng::parseInterface(block);
        if (!idb) {
            section_.push_back({{}, {}, 0, false});
            return;
        }
        Input in{pcapng::buildInterface(*idb, idb->name), idb->name + "|" + std::to_string(idb->linkType),
                 idb->linkType, true};
        if (!isRecordLink(idb->linkType) && !filter_.interfaces.empty())
            in.wanted = filter_.interfaces.count(idb->name) > 0;
        if (idb->linkType == SS_LINKTYPE_SYSCALL && filter_.syscalls.empty())
            in.wanted = false;
        section_.push_back(std::move(in));
        return;
    }
    if (block.type != pcapng::kEnhancedPacket)
        return; // statistics blocks end each recorder run; the copy writes none of its own
    const auto p = pcapng::parsePacket(block);
    if (!p || p->interfaceId >= section_.size())
        return;
    const Input& in = section_[p->interfaceId];
    lastNs_ = std::max(lastNs_, p->timestampNs);
    if (!in.wanted || !keep(in, *p))
        return;
    sink_(pcapng::withInterfaceId(block, outputId(in)));
    if (isRecordLink(in.linkType))
        ++records_;
    else
        ++packets_;
    bytes_ += p->originalLength;
}

bool BlockCopier::keep(const Input& in, const pcapng::PacketView& p) const
{
    if (p.timestampNs < filter_.sinceNs || p.timestampNs >= filter_.untilNs)
        return false;
    const auto* data = reinterpret_cast<const std::uint8_t*>(p.data.data());
    if (isRecordLink(in.linkType)) {
        if (in.linkType == SS_LINKTYPE_SYSCALL) {
            const auto nr = syscallNumber(data, p.data.size());
            if (!nr || !filter_.syscalls.count(*nr))
                return false;
        } else if (!filter_.skipRecord.empty() && p.data == filter_.skipRecord) {
            return false;
        }
        return !filter_.ebpf || bpf::keepNamed(*filter_.ebpf, bpf::metaOfRecord(data, p.data.size()));
    }
    if (!filter_.bpf.empty() &&
        (in.linkType != kLinkEthernet ||
         !runClassicFilter(filter_.bpf, data, std::uint32_t(p.data.size()), p.originalLength)))
        return false;
    if (!filter_.ebpf)
        return true;
    std::vector<std::string> comments;
    for (const pcapng::Option& o : p.options)
        if (o.code == kOptComment)
            comments.emplace_back(o.value);
    return filter_.ebpf->matches(bpf::metaOfComments(comments)); // no owner: the kernel's verdict on none
}

std::uint32_t BlockCopier::outputId(const Input& in)
{
    const auto it = outputIds_.find(in.key);
    if (it != outputIds_.end())
        return it->second;
    sink_(in.idb);
    outputIds_[in.key] = nextId_;
    return nextId_++;
}

} // namespace ss::helper
