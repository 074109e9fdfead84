// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <deque>

namespace ss {

class CaptureFile;
class WtapRecord;

// One packet of a capture file, as much as needs no dissection: where it is in the file,
// when it was captured, how long it is. 32 bytes a packet (checked below).
struct PacketIndexEntry {
    std::int64_t fileOffset;   // for wtap_seek_read
    std::int64_t timestampNs;  // absolute, nanoseconds since the epoch
    std::uint32_t capturedLength;
    std::uint32_t originalLength;
    std::uint32_t interfaceId;
    std::int16_t encapsulation; // WTAP_ENCAP_*
    std::uint8_t recordType;    // REC_TYPE_*
    std::uint8_t flags;         // PacketIndexEntry::Flag bits

    enum Flag : std::uint8_t { HasTimestamp = 1, HasInterfaceId = 2 };
};
static_assert(sizeof(PacketIndexEntry) == 32, "the index promises 32 bytes a packet");

// The compact index of every record of a capture file, built by one sequential read
// with no dissection (the fast first step behind lazy dissection in the GUI).
class PacketIndex {
public:
    using Progress = std::function<void(std::size_t packets, std::int64_t bytesRead)>;

    // Reads the whole file. Stops early (keeping what it has) when `cancel` becomes true.
    // On a read error the entries before the damage are kept and error() describes it.
    // `onRecord`, when given, sees each record right after it is indexed (the random-access
    // reader dissects it there, so the file is read once).
    using RecordHook = std::function<void(std::uint32_t frameNumber, const PacketIndexEntry&, WtapRecord&)>;
    void build(CaptureFile& file, const std::atomic<bool>* cancel = nullptr, const Progress& progress = {},
               const RecordHook& onRecord = {});
    // Incremental form (the GUI loads in time slices): reads at most `maxRecords` more.
    // Returns true while the file has more to read; false at its end or on a read error.
    bool readSome(CaptureFile& file, std::size_t maxRecords, const RecordHook& onRecord = {});

    std::size_t size() const { return entries_.size(); }
    const PacketIndexEntry& operator[](std::size_t i) const { return entries_[i]; }
    const std::string& error() const { return error_; }
    // Entries plus the deque's block map (one pointer per 16 entries).
    std::size_t memoryBytes() const { return entries_.size() * sizeof(PacketIndexEntry) + (entries_.size() / 16 + 1) * sizeof(void*); }

private:
    // A deque grows without moving what it holds: no 100 ms copy of 32 MB when a
    // million-entry vector would double while the GUI is loading.
    std::deque<PacketIndexEntry> entries_;
    std::string error_;
};

} // namespace ss
