// SPDX-License-Identifier: GPL-2.0-or-later
#include "import_command.h"

#include "capture_file.h"
#include "decryption_secrets.h"
#include "error.h"
#include "event_import.h"
#include "flow_match.h"
#include "pcapng_writer.h"
#include "read_file.h"
#include "ss_records.h"
#include "tls_keylog.h"

#include <getopt.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace ss::cli {
using namespace ss::events;
namespace {

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark import [--hubble FILE]... [--falco FILE]... [--tetragon FILE]...\n"
               "                          [--tls-keys KEYLOG]... [--into CAPTURE] -w OUT.pcapng\n"
               "Converts Hubble flows (hubble observe -o jsonpb|json), Falco alerts (JSON output or\n"
               "http_output payloads) and Tetragon events (tetra getevents -o json) into records,\n"
               "merged by time into CAPTURE when --into is given. --tls-keys puts a TLS key log\n"
               "(SSLKEYLOGFILE) into the copy of CAPTURE as Decryption Secrets Blocks, before its\n"
               "packets, so that Wireshark and tshark decrypt it with no key file (editcap\n"
               "--inject-secrets); the secrets CAPTURE holds already are kept.\n",
               out);
}

// wiretap exports only pcap→wtap: find the link type that maps to `encap`.
int pcapLinkType(int encap)
{
    static std::map<int, int> known;
    if (auto it = known.find(encap); it != known.end())
        return it->second;
    int found = -1;
    for (int lt = 0; lt < 300 && found < 0; ++lt)
        if (wtap_pcap_encap_to_wtap_encap(lt) == encap)
            found = lt;
    known[encap] = found;
    return found;
}

// Copies the capture's packets (with their interfaces, comments and directions) while
// interleaving the imported records by time.
class Merger {
public:
    Merger(PcapngWriter& writer) : writer_(writer) {}

    // Key log lines, cut into blocks wiretap reads.
    void writeSecrets(const std::string& keyLog) { tls::writeKeyLogBlocks(writer_, keyLog); }
    // The capture's own secrets blocks, read since the last call: before its next packet.
    void writePending(std::vector<SecretsBlock>& pending)
    {
        for (const SecretsBlock& b : pending) {
            if (b.type == tls::kSecretsTypeTls)
                writeSecrets(b.data);
            else // SSH, WireGuard...: as they are
                writer_.writeDecryptionSecrets(b.type, b.data);
        }
        pending.clear();
    }

    void writeImported(const ImportedRecord& r)
    {
        auto it = recordInterfaces_.find(r.linkType);
        if (it == recordInterfaces_.end()) {
            const char* name = r.linkType == SS_LINKTYPE_FLOW ? "hubble" : "security-events";
            it = recordInterfaces_.emplace(r.linkType, writer_.addInterface(r.linkType, 0x40000, name)).first;
        }
        writer_.writePacket(it->second, r.timestampNs, r.bytes.data(), std::uint32_t(r.bytes.size()),
                            std::uint32_t(r.bytes.size()));
    }

    void copyInterfaces(wtap* wth)
    {
        while (wtap_block_t idb = wtap_get_next_interface_description(wth)) {
            auto* m = static_cast<wtapng_if_descr_mandatory_t*>(wtap_block_get_mandatory_data(idb));
            char* name = nullptr;
            char* description = nullptr;
            if (wtap_block_get_string_option_value(idb, OPT_IDB_NAME, &name) != WTAP_OPTTYPE_SUCCESS)
                name = nullptr;
            if (wtap_block_get_string_option_value(idb, OPT_IDB_DESCRIPTION, &description) != WTAP_OPTTYPE_SUCCESS)
                description = nullptr;
            const int linkType = pcapLinkType(m->wtap_encap);
            captureInterfaces_.push_back(writer_.addInterface(std::uint16_t(linkType < 0 ? 0 : linkType),
                                                              m->snap_len, name ? name : "",
                                                              description ? description : ""));
        }
    }

    bool copyPacket(WtapRecord& record, std::uint64_t* ns, const std::string* flowComment)
    {
        const wtap_rec* rec = record.rec();
        *ns = std::uint64_t(rec->ts.secs) * 1000000000ull + std::uint64_t(rec->ts.nsecs);
        if (rec->rec_type != REC_TYPE_PACKET)
            return false;
        const auto& ph = rec->rec_header.packet_header;
        const std::uint32_t iface = (rec->presence_flags & WTAP_HAS_INTERFACE_ID) ? ph.interface_id : 0;
        if (iface >= captureInterfaces_.size())
            return false;
        std::vector<std::string> comments;
        PcapngWriter::Direction direction = PcapngWriter::Unknown;
        if (rec->block) {
            const guint n = wtap_block_count_option(rec->block, OPT_COMMENT);
            for (guint i = 0; i < n; ++i) {
                char* c = nullptr;
                if (wtap_block_get_nth_string_option_value(rec->block, OPT_COMMENT, i, &c) == WTAP_OPTTYPE_SUCCESS)
                    comments.emplace_back(c);
            }
            guint32 flags = 0;
            if (wtap_block_get_uint32_option_value(rec->block, OPT_PKT_FLAGS, &flags) == WTAP_OPTTYPE_SUCCESS)
                direction = PcapngWriter::Direction(flags & 3);
        }
        if (flowComment)
            comments.push_back(*flowComment);
        writer_.writePacket(captureInterfaces_[iface], *ns, record.data(), ph.caplen, ph.len, comments, direction);
        return true;
    }

private:
    PcapngWriter& writer_;
    std::vector<std::uint32_t> captureInterfaces_;
    std::map<std::uint16_t, std::uint32_t> recordInterfaces_;
};

// Hubble flows that describe a packet of the capture become that packet's comment (its
// eBPF Cilium Metadata) instead of a record: by addresses, ports, transport and direction,
// the nearest in time within a second. Returns, per packet number, the comment; the
// attached flows are taken out of `records`.
std::map<std::size_t, std::string> attachFlows(const std::string& capturePath, std::vector<ImportedRecord>& records)
{
    std::map<std::size_t, std::string> attached;
    if (std::none_of(records.begin(), records.end(),
                     [](const ImportedRecord& r) { return r.linkType == SS_LINKTYPE_FLOW; }))
        return attached;
    FlowMatcher matcher;
    {
        std::unique_ptr<CaptureFile> capture = CaptureFile::open(capturePath, false);
        WtapRecord record;
        gint64 offset = 0;
        for (std::size_t n = 0; capture->readNext(record, &offset); ++n, record.reset()) {
            const wtap_rec* rec = record.rec();
            if (rec->rec_type != REC_TYPE_PACKET || rec->rec_header.packet_header.pkt_encap != WTAP_ENCAP_ETHERNET)
                continue;
            if (const auto tuple = packetTuple(record.data(), rec->rec_header.packet_header.caplen))
                matcher.addPacket(n, std::uint64_t(rec->ts.secs) * 1000000000ull + std::uint64_t(rec->ts.nsecs),
                                  *tuple);
        }
    }
    std::vector<ImportedRecord> kept;
    for (ImportedRecord& r : records) {
        const auto tuple = r.linkType == SS_LINKTYPE_FLOW ? flowTuple(r.fields) : std::nullopt;
        const auto comment = r.fields.find("flow_comment");
        const auto packet = tuple && comment != r.fields.end() ? matcher.claim(*tuple, r.timestampNs) : std::nullopt;
        if (packet)
            attached[*packet] = comment->second;
        else
            kept.push_back(std::move(r));
    }
    records = std::move(kept);
    return attached;
}

} // namespace

int runImport(int argc, char** argv)
{
    static const option kOptions[] = {
        {"hubble", required_argument, nullptr, 'H'}, {"falco", required_argument, nullptr, 'F'},
        {"tetragon", required_argument, nullptr, 'T'}, {"into", required_argument, nullptr, 'i'},
        {"tls-keys", required_argument, nullptr, 'K'}, {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0}};
    std::vector<std::pair<EventSource, std::string>> inputs;
    std::vector<std::string> keyLogs;
    std::string into, out;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "w:h", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 'H': inputs.emplace_back(EventSource::Hubble, optarg); break;
        case 'F': inputs.emplace_back(EventSource::Falco, optarg); break;
        case 'T': inputs.emplace_back(EventSource::Tetragon, optarg); break;
        case 'i': into = optarg; break;
        case 'K': keyLogs.emplace_back(optarg); break;
        case 'w': out = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            std::fprintf(stderr, "stratoshark import: unknown option \"%s\"\n", argv[optind - 1]);
            usage(stderr);
            return 1;
        }
    }
    const char* wrong = out.empty()                         ? "an output file is needed (-w OUT.pcapng)"
                        : inputs.empty() && keyLogs.empty() ? "nothing to import: give --hubble, --falco, --tetragon or --tls-keys"
                        : !keyLogs.empty() && into.empty()  ? "--tls-keys needs the capture they decrypt (--into CAPTURE)"
                        : optind < argc                     ? "unexpected argument"
                                                            : nullptr;
    if (wrong) {
        std::fprintf(stderr, "stratoshark import: %s\n", wrong);
        usage(stderr);
        return 1;
    }

    // Every key log is checked whole before anything is written.
    std::string secrets;
    std::size_t secretLines = 0;
    for (const auto& path : keyLogs) {
        const auto text = readSmallFile(path, tls::kMaxKeyLogBytes + 1);
        if (!text) {
            std::fprintf(stderr, "stratoshark import: cannot read TLS key log \"%s\": %s\n", path.c_str(),
                         std::strerror(errno));
            return 2;
        }
        std::string problem;
        const auto log = tls::parseKeyLog(*text, &problem);
        if (!log) {
            std::fprintf(stderr, "stratoshark import: TLS key log \"%s\": %s\n", path.c_str(), problem.c_str());
            return 2;
        }
        if (log->secrets == 0) {
            std::fprintf(stderr, "stratoshark import: TLS key log \"%s\" holds no secrets\n", path.c_str());
            return 2;
        }
        secrets += log->text;
        secretLines += log->secrets;
    }

    std::vector<ImportedRecord> records;
    ImportReport report;
    for (const auto& [source, path] : inputs) {
        if (!importEvents(path, source, records, report)) {
            std::fprintf(stderr, "stratoshark import: cannot read \"%s\": %s\n", path.c_str(), std::strerror(errno));
            return 2;
        }
    }
    for (const auto& problem : report.problems)
        std::fprintf(stderr, "stratoshark import: skipped %s\n", problem.c_str());
    std::stable_sort(records.begin(), records.end(),
                     [](const ImportedRecord& a, const ImportedRecord& b) { return a.timestampNs < b.timestampNs; });

    std::size_t packets = 0, flowsAttached = 0;
    try {
        std::unique_ptr<CaptureFile> capture;
        std::map<std::size_t, std::string> flowComments;
        if (!into.empty()) {
            flowComments = attachFlows(into, records);
            flowsAttached = flowComments.size();
            capture = CaptureFile::open(into, false);
        }
        PcapngWriter writer(out, "Stratoshark import");
        Merger merger(writer);
        if (!secrets.empty())
            merger.writeSecrets(secrets);
        std::size_t next = 0;
        if (capture) {
            std::vector<SecretsBlock> pending;
            SecretsListener listener(*capture, [&pending](SecretsBlock b) { pending.push_back(std::move(b)); });
            WtapRecord record;
            gint64 offset = 0;
            for (std::size_t n = 0; capture->readNext(record, &offset); ++n) {
                merger.writePending(pending);
                merger.copyInterfaces(capture->handle());
                const std::uint64_t ts = std::uint64_t(record.rec()->ts.secs) * 1000000000ull + record.rec()->ts.nsecs;
                while (next < records.size() && records[next].timestampNs <= ts)
                    merger.writeImported(records[next++]);
                std::uint64_t written = 0;
                const auto flow = flowComments.find(n);
                if (merger.copyPacket(record, &written, flow == flowComments.end() ? nullptr : &flow->second))
                    ++packets;
                record.reset();
            }
            merger.writePending(pending);
            if (capture->failed())
                std::fprintf(stderr, "stratoshark import: %s (kept the %zu packets before it)\n",
                             capture->errorMessage().c_str(), packets);
        }
        while (next < records.size())
            merger.writeImported(records[next++]);
        writer.close();
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark import: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
    std::string keys;
    if (secretLines)
        keys = ", " + std::to_string(secretLines) + " TLS secrets";
    std::fprintf(stderr, "stratoshark import: wrote %zu records%s%s to %s (%zu lines skipped)\n",
                 report.records - flowsAttached,
                 into.empty() ? ""
                              : (" and " + std::to_string(packets) + " packets, " + std::to_string(flowsAttached) +
                                 " Hubble flows attached to their packets")
                                    .c_str(),
                 keys.c_str(), out.c_str(), report.problems.size());
    return 0;
}

} // namespace ss::cli
