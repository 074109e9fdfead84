// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_summary.h"

#include "capture_file.h"
#include "error.h"

#include <fstream>
#include <memory>

namespace ss {
namespace {

// A single-valued string option (hardware, OS, name, ...).
std::string stringOption(wtap_block_t block, guint option)
{
    char* value = nullptr;
    if (wtap_block_get_string_option_value(block, option, &value) != WTAP_OPTTYPE_SUCCESS || !value)
        return {};
    return value;
}

// The nth value of a repeatable one (comments).
std::string nthString(wtap_block_t block, guint option, guint nth)
{
    char* value = nullptr;
    if (wtap_block_get_nth_string_option_value(block, option, nth, &value) != WTAP_OPTTYPE_SUCCESS || !value)
        return {};
    return value;
}

// SHA-256 and SHA-1 of the file's bytes.
void hashFile(const std::string& path, CaptureSummary& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return;
    std::unique_ptr<GChecksum, decltype(&g_checksum_free)> sha256(g_checksum_new(G_CHECKSUM_SHA256), g_checksum_free);
    std::unique_ptr<GChecksum, decltype(&g_checksum_free)> sha1(g_checksum_new(G_CHECKSUM_SHA1), g_checksum_free);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        const auto n = gssize(in.gcount());
        if (n <= 0)
            break;
        g_checksum_update(sha256.get(), reinterpret_cast<const guchar*>(buffer.data()), n);
        g_checksum_update(sha1.get(), reinterpret_cast<const guchar*>(buffer.data()), n);
        out.fileBytes += std::uint64_t(n);
    }
    out.sha256 = g_checksum_get_string(sha256.get());
    out.sha1 = g_checksum_get_string(sha1.get());
}

void readHeaders(wtap* wth, CaptureSummary& out)
{
    if (wtap_block_t shb = wtap_file_get_shb(wth, 0)) {
        out.hardware = stringOption(shb, OPT_SHB_HARDWARE);
        out.os = stringOption(shb, OPT_SHB_OS);
        out.application = stringOption(shb, OPT_SHB_USERAPPL);
        for (guint i = 0; i < wtap_block_count_option(shb, OPT_COMMENT); ++i)
            out.sectionComments.push_back(nthString(shb, OPT_COMMENT, i));
    }
    std::unique_ptr<wtapng_iface_descriptions_t, decltype(&g_free)> idbs(wtap_file_get_idb_info(wth), g_free);
    for (guint i = 0; idbs && idbs->interface_data && i < idbs->interface_data->len; ++i) {
        wtap_block_t idb = g_array_index(idbs->interface_data, wtap_block_t, i);
        InterfaceSummary s;
        s.name = stringOption(idb, OPT_IDB_NAME);
        s.description = stringOption(idb, OPT_IDB_DESCRIPTION);
        s.os = stringOption(idb, OPT_IDB_OS);
        if_filter_opt_t filter{};
        if (wtap_block_get_if_filter_option_value(idb, OPT_IDB_FILTER, &filter) == WTAP_OPTTYPE_SUCCESS &&
            filter.type == if_filter_pcap && filter.data.filter_str)
            s.filter = filter.data.filter_str;
        const auto* mandatory = static_cast<const wtapng_if_descr_mandatory_t*>(wtap_block_get_mandatory_data(idb));
        if (mandatory) {
            s.encapsulation = wtap_encap_description(mandatory->wtap_encap);
            s.snapLength = mandatory->snap_len;
            if (mandatory->interface_statistics && mandatory->interface_statistics->len > 0) {
                wtap_block_t isb = g_array_index(mandatory->interface_statistics, wtap_block_t,
                                                 mandatory->interface_statistics->len - 1);
                guint64 drop = 0;
                if (wtap_block_get_uint64_option_value(isb, OPT_ISB_IFDROP, &drop) == WTAP_OPTTYPE_SUCCESS)
                    s.dropped = drop;
            }
        }
        out.interfaces.push_back(std::move(s));
    }
}

} // namespace

CaptureSummary summarizeCapture(const std::string& path)
{
    CaptureSummary out;
    out.path = path;
    auto file = CaptureFile::open(path, false);
    out.format = wtap_file_type_subtype_description(file->fileTypeSubtype());
    const int encap = wtap_file_encap(file->handle());
    out.encapsulation = encap == WTAP_ENCAP_PER_PACKET ? "Per packet" : wtap_encap_description(encap);
    WtapRecord record;
    gint64 offset = 0;
    std::vector<std::uint64_t> perInterface;
    std::int64_t previous = 0;
    while (file->readNext(record, &offset)) {
        const wtap_rec* rec = record.rec();
        if (rec->rec_type != REC_TYPE_PACKET)
            continue;
        ++out.packets;
        out.dataBytes += rec->rec_header.packet_header.len;
        const std::int64_t ns = std::int64_t(rec->ts.secs) * 1000000000 + rec->ts.nsecs;
        if (out.packets == 1)
            out.firstNs = out.lastNs = ns;
        out.firstNs = std::min(out.firstNs, ns);
        out.lastNs = std::max(out.lastNs, ns);
        if (out.packets > 1 && ns < previous)
            out.strictTimeOrder = false;
        previous = ns;
        const guint32 id = (rec->presence_flags & WTAP_HAS_INTERFACE_ID) ? rec->rec_header.packet_header.interface_id : 0;
        if (id < 65536) {
            if (perInterface.size() <= id)
                perInterface.resize(id + 1, 0);
            ++perInterface[id];
        }
        if (rec->block)
            for (guint i = 0; i < wtap_block_count_option(rec->block, OPT_COMMENT); ++i) {
                if (out.packetComments.size() < CaptureSummary::kMaxComments)
                    out.packetComments.emplace_back(std::uint32_t(out.packets), nthString(rec->block, OPT_COMMENT, i));
                else
                    ++out.moreComments;
            }
        record.reset();
    }
    if (file->failed())
        out.readError = file->errorMessage();
    readHeaders(file->handle(), out);
    for (std::size_t i = 0; i < out.interfaces.size() && i < perInterface.size(); ++i)
        out.interfaces[i].packets = perInterface[i];
    hashFile(path, out);
    return out;
}

} // namespace ss
