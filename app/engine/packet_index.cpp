// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_index.h"

#include "capture_file.h"

namespace ss {

bool PacketIndex::readSome(CaptureFile& file, std::size_t maxRecords, const RecordHook& onRecord)
{
    WtapRecord record;
    gint64 offset = 0;
    for (std::size_t n = 0; n < maxRecords; ++n) {
        if (!file.readNext(record, &offset)) {
            if (file.failed())
                error_ = file.errorMessage();
            return false;
        }
        const wtap_rec* rec = record.rec();
        PacketIndexEntry entry{};
        entry.fileOffset = offset;
        entry.timestampNs = static_cast<std::int64_t>(rec->ts.secs) * 1000000000 + rec->ts.nsecs;
        entry.recordType = static_cast<std::uint8_t>(rec->rec_type);
        if (rec->presence_flags & WTAP_HAS_TS)
            entry.flags |= PacketIndexEntry::HasTimestamp;
        if (rec->rec_type == REC_TYPE_PACKET) {
            entry.capturedLength = rec->rec_header.packet_header.caplen;
            entry.originalLength = rec->rec_header.packet_header.len;
            entry.encapsulation = static_cast<std::int16_t>(rec->rec_header.packet_header.pkt_encap);
            if (rec->presence_flags & WTAP_HAS_INTERFACE_ID) {
                entry.interfaceId = rec->rec_header.packet_header.interface_id;
                entry.flags |= PacketIndexEntry::HasInterfaceId;
            }
        } else {
            entry.capturedLength = rec->rec_header.syscall_header.event_filelen;
            entry.originalLength = rec->rec_header.syscall_header.event_len;
        }
        entries_.push_back(entry);
        if (onRecord)
            onRecord(static_cast<std::uint32_t>(entries_.size()), entry, record);
        record.reset();
    }
    return true;
}

void PacketIndex::build(CaptureFile& file, const std::atomic<bool>* cancel, const Progress& progress,
                        const RecordHook& onRecord)
{
    entries_.clear();
    error_.clear();
    constexpr std::size_t kChunk = 4096;
    while (readSome(file, kChunk, onRecord)) {
        if (progress)
            progress(entries_.size(), entries_.empty() ? 0 : entries_.back().fileOffset);
        if (cancel && cancel->load(std::memory_order_relaxed))
            break;
    }
    if (progress)
        progress(entries_.size(), entries_.empty() ? 0 : entries_.back().fileOffset);
}
} // namespace ss
