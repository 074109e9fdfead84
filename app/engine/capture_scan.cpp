// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_scan.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace ss::fast {
namespace {

constexpr std::uint32_t kMaxCaptured = 262144; // wiretap's largest packet for Ethernet and raw IP
constexpr std::uint32_t kPcapngShb = 0x0a0d0d0a, kPcapngIdb = 1, kPcapngNrb = 4, kPcapngIsb = 5, kPcapngEpb = 6,
                        kPcapngDsb = 0x0a;

// The file mapped read-only, unmapped and closed at scope end.
class MappedFile {
public:
    explicit MappedFile(const std::string& path)
    {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd_ < 0 || fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
            return;
        void* p = mmap(nullptr, std::size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd_, 0);
        if (p == MAP_FAILED)
            return;
        madvise(p, std::size_t(st.st_size), MADV_SEQUENTIAL);
        data_ = static_cast<const std::uint8_t*>(p);
        size_ = std::size_t(st.st_size);
    }
    ~MappedFile()
    {
        if (data_)
            munmap(const_cast<std::uint8_t*>(data_), size_);
        if (fd_ >= 0)
            ::close(fd_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    // Gives back the pages before `offset` every 32 MiB: read once, they need not stay in
    // this process's memory (the page cache keeps them).
    void doneUpTo(std::size_t offset)
    {
        constexpr std::size_t kStep = std::size_t(32) << 20;
        if (offset - released_ < kStep)
            return;
        const std::size_t end = offset & ~(kStep - 1);
        madvise(const_cast<std::uint8_t*>(data_) + released_, end - released_, MADV_DONTNEED);
        released_ = end;
    }

private:
    int fd_ = -1;
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t released_ = 0;
};

struct Reader {
    bool swapped;
    std::uint16_t u16(const std::uint8_t* p) const
    {
        std::uint16_t v;
        std::memcpy(&v, p, 2);
        return swapped ? std::uint16_t(v << 8 | v >> 8) : v;
    }
    std::uint32_t u32(const std::uint8_t* p) const
    {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return swapped ? __builtin_bswap32(v) : v;
    }
    std::uint64_t u64(const std::uint8_t* p) const
    {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        return swapped ? __builtin_bswap64(v) : v;
    }
};

bool linkOf(std::uint32_t linktype, LinkType* link)
{
    if (linktype == 1)
        *link = LinkType::Ethernet;
    else if (linktype == 101 || linktype == 228 || linktype == 229)
        *link = LinkType::RawIp;
    else
        return false;
    return true;
}

using OnPacket = std::function<const char*(const ScannedPacket&)>;

std::string scanPcap(MappedFile& f, const OnPacket& onPacket, std::uint64_t* frames)
{
    const std::uint8_t* p = f.data();
    std::uint32_t magic;
    std::memcpy(&magic, p, 4);
    const bool nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    const Reader r{magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1};
    if (f.size() < 24 || r.u16(p + 4) != 2 || r.u16(p + 6) != 4)
        return "a pcap version other than 2.4";
    LinkType link;
    if (!linkOf(r.u32(p + 20), &link)) // FCS bits in the upper half are refused with the rest
        return "a link type other than Ethernet or raw IP";
    for (std::size_t at = 24; at < f.size();) {
        if (f.size() - at < 16)
            return "a pcap record header cut short";
        const std::uint8_t* h = p + at;
        const std::uint32_t secs = r.u32(h), frac = r.u32(h + 4), captured = r.u32(h + 8), length = r.u32(h + 12);
        if (captured > kMaxCaptured || length >= 0x80000000u || frac >= (nanos ? 1000000000u : 1000000u))
            return "a pcap record whose lengths or time stamp wiretap would refuse or clamp";
        if (f.size() - at - 16 < captured)
            return "a pcap record cut short";
        ScannedPacket packet{link, h + 16, captured, length, {time_t(secs), int(nanos ? frac : frac * 1000)}};
        ++*frames;
        if (const char* why = onPacket(packet))
            return why;
        at += 16 + std::size_t(captured);
        f.doneUpTo(at);
    }
    return {};
}

struct Interface {
    LinkType link;
    bool usable;
    std::uint64_t unitsPerSecond;
    std::int64_t offset;
};

// An IDB: its link type and the options that change time stamps or frames.
Interface readInterface(const Reader& r, const std::uint8_t* b, std::uint32_t len)
{
    Interface iface{LinkType::Ethernet, false, 1000000, 0};
    iface.usable = len >= 20 && linkOf(r.u16(b + 8), &iface.link);
    for (std::uint32_t at = 16; iface.usable && at + 4 <= len - 4;) {
        const std::uint16_t code = r.u16(b + at), olen = r.u16(b + at + 2);
        if (code == 0)
            break;
        if (at + 4 + olen > len - 4) {
            iface.usable = false;
            break;
        }
        const std::uint8_t* v = b + at + 4;
        if (code == 9 && olen >= 1) { // if_tsresol: powers of ten up to nanoseconds only
            if ((v[0] & 0x80) || v[0] > 9) {
                iface.usable = false;
            } else {
                iface.unitsPerSecond = 1;
                for (int i = 0; i < v[0]; ++i)
                    iface.unitsPerSecond *= 10;
            }
        } else if (code == 14 && olen == 8) { // if_tsoffset
            iface.offset = std::int64_t(r.u64(v));
        } else if (code == 13) { // if_fcslen: epan would see an FCS
            iface.usable = false;
        }
        at += 4 + ((olen + 3u) & ~3u);
    }
    return iface;
}

// The options of an EPB after its data: the flags word may carry an FCS length.
bool epbOptionsPlain(const Reader& r, const std::uint8_t* b, std::uint32_t from, std::uint32_t len)
{
    for (std::uint32_t at = from; at + 4 <= len - 4;) {
        const std::uint16_t code = r.u16(b + at), olen = r.u16(b + at + 2);
        if (code == 0)
            return true;
        if (at + 4 + olen > len - 4)
            return false;
        if (code == 2 && olen == 4 && ((r.u32(b + at + 4) >> 5) & 0xf) != 0)
            return false;
        at += 4 + ((olen + 3u) & ~3u);
    }
    return true;
}

std::string scanPcapng(MappedFile& f, const OnPacket& onPacket, std::uint64_t* frames)
{
    const std::uint8_t* p = f.data();
    Reader r{false};
    std::vector<Interface> interfaces;
    for (std::size_t at = 0; at < f.size();) {
        if (f.size() - at < 12)
            return "a pcapng block cut short";
        const std::uint8_t* b = p + at;
        std::uint32_t type;
        std::memcpy(&type, b, 4);
        if (type == kPcapngShb) {
            if (f.size() - at < 16)
                return "a pcapng section header cut short";
            std::uint32_t bom;
            std::memcpy(&bom, b + 8, 4);
            if (bom != 0x1a2b3c4d && bom != 0x4d3c2b1a)
                return "a pcapng section header with no byte-order magic";
            r.swapped = bom == 0x4d3c2b1a;
            if (r.u16(b + 12) != 1)
                return "a pcapng major version other than 1";
            interfaces.clear();
        } else {
            type = r.u32(b);
        }
        const std::uint32_t len = r.u32(b + 4);
        if (len < 12 || len % 4 || len > f.size() - at || r.u32(b + len - 4) != len)
            return "a pcapng block whose length wiretap would refuse";
        switch (type) {
        case kPcapngShb:
        case kPcapngNrb:
        case kPcapngIsb:
        case kPcapngDsb:
            break;
        case kPcapngIdb:
            interfaces.push_back(readInterface(r, b, len));
            break;
        case kPcapngEpb: {
            if (len < 32)
                return "a pcapng packet block cut short";
            const std::uint32_t id = r.u32(b + 8), captured = r.u32(b + 20), length = r.u32(b + 24);
            if (id >= interfaces.size() || !interfaces[id].usable)
                return "a packet on an interface the fast reader does not read";
            if (captured > kMaxCaptured || length >= 0x80000000u || captured > len - 32)
                return "a pcapng packet whose lengths wiretap would refuse or clamp";
            if (!epbOptionsPlain(r, b, 28 + ((captured + 3u) & ~3u), len))
                return "a pcapng packet with an FCS length or damaged options";
            const Interface& iface = interfaces[id];
            const std::uint64_t ts = std::uint64_t(r.u32(b + 12)) << 32 | r.u32(b + 16);
            nstime_t t;
            t.secs = time_t(ts / iface.unitsPerSecond) + time_t(iface.offset);
            t.nsecs = int(((ts % iface.unitsPerSecond) * 1000000000u) / iface.unitsPerSecond);
            ++*frames;
            if (const char* why = onPacket(ScannedPacket{iface.link, b + 28, captured, length, t}))
                return why;
            break;
        }
        default:
            return "a pcapng block that wiretap reads as a record of its own";
        }
        at += len;
        f.doneUpTo(at);
    }
    return {};
}

} // namespace

std::string scanCaptureFile(const std::string& path, const OnPacket& onPacket, std::uint64_t* frames)
{
    *frames = 0;
    MappedFile f(path);
    if (!f.data() || f.size() < 4)
        return "a file the fast reader cannot map";
    std::uint32_t magic;
    std::memcpy(&magic, f.data(), 4);
    switch (magic) {
    case 0xa1b2c3d4:
    case 0xd4c3b2a1:
    case 0xa1b23c4d:
    case 0x4d3cb2a1:
        return scanPcap(f, onPacket, frames);
    case kPcapngShb:
        return scanPcapng(f, onPacket, frames);
    default:
        return "a format other than uncompressed pcap or pcapng";
    }
}

} // namespace ss::fast
