// SPDX-License-Identifier: GPL-2.0-or-later
#include "read_command.h"

#include "capture_file.h"
#include "capture_writer.h"
#include "columns.h"
#include "decryption_secrets.h"
#include "display_filter.h"
#include "epan_runtime.h"
#include "error.h"
#include "fast_conversations.h"
#include "file_processor.h"
#include "live_capture.h"
#include "packet_printer.h"
#include "parallel_read.h"
#include "statistics.h"
#include "tls_keylog.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

namespace ss::cli {
namespace {

constexpr int kInvalidOption = 1;
constexpr int kInvalidFile = 2;
constexpr int kInvalidFilter = 2;

std::optional<ts_type> parseTimeFormat(const std::string& t)
{
    static const struct {
        const char* name;
        ts_type type;
    } kFormats[] = {{"r", TS_RELATIVE},       {"a", TS_ABSOLUTE},     {"ad", TS_ABSOLUTE_WITH_YMD},
                    {"adoy", TS_ABSOLUTE_WITH_YDOY}, {"d", TS_DELTA}, {"dd", TS_DELTA_DIS},
                    {"e", TS_EPOCH},          {"u", TS_UTC},          {"ud", TS_UTC_WITH_YMD},
                    {"udoy", TS_UTC_WITH_YDOY}};
    for (const auto& f : kFormats)
        if (t == f.name)
            return f.type;
    return std::nullopt;
}

// -o, -n, -N, -t, -u and protocol switches, in tshark's order. Returns 0 or an exit code.
int applyDissectionOptions(EpanRuntime& runtime, const ReadOptions& o)
{
    try {
        for (const auto& pref : o.preferences)
            runtime.setPreference(pref);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s\n", e.what());
        return kInvalidOption;
    }
    if (o.disableNameResolution)
        disable_name_resolution();
    if (o.nameResolveFlags) {
        const char bad = string_to_name_resolve(o.nameResolveFlags->c_str(), &gbl_resolv_flags);
        if (bad) {
            std::fprintf(stderr, "stratoshark: -N specifies unknown resolving option '%c'; valid options are: "
                                 "d m n N t v\n", bad);
            return kInvalidOption;
        }
    }
    ts_type timeFormat = TS_RELATIVE; // tshark's default: relative to the first packet
    if (o.timeFormat) {
        auto t = parseTimeFormat(*o.timeFormat);
        if (!t) {
            std::fprintf(stderr, "stratoshark: Invalid time stamp type \"%s\"; it must be one of: "
                                 "a ad adoy d dd e r u ud udoy\n", o.timeFormat->c_str());
            return kInvalidOption;
        }
        timeFormat = *t;
    }
    if (o.secondsFormat) {
        if (*o.secondsFormat == "s") {
            timestamp_set_seconds_type(TS_SECONDS_DEFAULT);
        } else if (*o.secondsFormat == "hms") {
            timestamp_set_seconds_type(TS_SECONDS_HOUR_MIN_SEC);
        } else {
            std::fprintf(stderr, "stratoshark: Invalid seconds type \"%s\"; it must be s or hms\n",
                         o.secondsFormat->c_str());
            return kInvalidOption;
        }
    }
    for (const auto& p : o.disabledProtocols)
        proto_disable_proto_by_name(p.c_str());
    for (const auto& p : o.enabledProtocols)
        proto_enable_proto_by_name(p.c_str());
    runtime.applyPreferences();
    timestamp_set_type(timeFormat);
    return 0;
}

int setUpFields(const ReadOptions& o, OutputFields& fields)
{
    for (const auto& f : o.fields)
        output_fields_add(fields.get(), f.c_str());
    for (const auto& opt : o.fieldOptions) {
        std::string copy = opt;
        if (!output_fields_set_option(fields.get(), copy.data())) {
            std::fprintf(stderr, "stratoshark: Invalid -E parameter \"%s\".\n", opt.c_str());
            output_fields_list_options(stderr);
            return kInvalidOption;
        }
    }
    if (GSList* invalid = output_fields_valid(fields.get())) {
        std::fprintf(stderr, "stratoshark: Some fields aren't valid:\n");
        for (GSList* it = invalid; it; it = it->next)
            std::fprintf(stderr, "\t%s\n", static_cast<const char*>(it->data));
        g_slist_free(invalid);
        return kInvalidOption;
    }
    return 0;
}

std::unique_ptr<DisplayFilter> compileOrReport(const std::string& text, bool* ok)
{
    *ok = true;
    if (text.empty())
        return nullptr;
    DisplayFilter::Error error;
    auto filter = DisplayFilter::compile(text, &error);
    if (!filter && !error.message.empty()) {
        std::fprintf(stderr, "stratoshark: %s\n", error.message.c_str());
        const std::string caret = DisplayFilter::caretLine(text, error);
        if (!caret.empty())
            std::fprintf(stderr, "%s\n", caret.c_str());
        *ok = false;
    }
    return filter;
}

const char* statsPathMode()
{
    const char* env = std::getenv("STRATOSHARK_STATS_PATH");
    return env ? env : "auto";
}

// The statistics fast path for `-q -z conv,...|endpoints,...` (fast_conversations.h): the
// taps filled from the scan started before epan, else from our reader or wiretap now.
// False when epan has to read the file (STRATOSHARK_STATS_PATH=fast says why on stderr);
// `*fileRead` tells whether `file` was read from.
bool fastStatistics(const ReadOptions& o, const Statistics& statistics, bool otherTaps, CaptureFile& file,
                    std::future<FastScan>* early, bool* fileRead)
{
    const auto requests = fastStatisticsRequests(o);
    const auto taps = statistics.conversationTapsOnly();
    std::string why;
    if (requests.empty() || otherTaps || taps.size() != requests.size()) {
        why = "options or reports beyond conversations and endpoints";
    } else {
        const int type = file.fileTypeSubtype();
        const bool plain = type == wtap_pcap_file_type_subtype() || type == wtap_pcap_nsec_file_type_subtype() ||
                           type == wtap_pcapng_file_type_subtype();
        FastScan scan = early && early->valid() ? early->get()
                                                 : scanWithOwnReader(o.readFile, requests, fastScanThreads());
        if (!plain && scan.rows) { // what wiretap saw is not the plain format our reader read
            scan = FastScan{};
            scan.readerRefused = true;
        }
        struct stat st {};
        const bool regular = stat(o.readFile.c_str(), &st) == 0 && S_ISREG(st.st_mode);
        if (!scan.rows && scan.readerRefused && regular) { // a pipe cannot be read twice
            *fileRead = true;
            scan = scanWithWiretap(file, requests);
        }
        why = fillTaps(scan, taps);
        if (why.empty())
            return true;
    }
    if (std::strcmp(statsPathMode(), "fast") == 0)
        std::fprintf(stderr, "stratoshark: statistics through epan: %s\n", why.c_str());
    return false;
}

} // namespace

std::vector<fast::TableRequest> fastStatisticsRequests(const ReadOptions& o)
{
    std::vector<fast::TableRequest> requests;
    if (std::strcmp(statsPathMode(), "epan") == 0 || o.isLive() || o.readFile.empty() || o.printPacketInfo ||
        !o.displayFilter.empty() || !o.readFilter.empty() || o.twoPass || o.maxPackets || !o.writeFile.empty() ||
        !o.fields.empty() || !o.preferences.empty() || !o.enabledProtocols.empty())
        return requests;
    for (const auto& z : o.statistics) {
        const auto request = fastTableRequest(z);
        if (!request)
            return {};
        requests.push_back(*request);
    }
    return requests;
}

// --export-tls-keys: the TLS key log lines of every Decryption Secrets Block in the file, in
// file order, into `out` (mode 0600: secrets). After a read error, what was read before it.
static int exportTlsKeys(const std::string& capture, const std::string& out)
{
    std::vector<SecretsBlock> blocks;
    std::string readError;
    try {
        blocks = readSecretsBlocks(capture, &readError);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s\n", e.what());
        return kInvalidFile;
    }
    std::string text;
    std::size_t tlsBlocks = 0;
    for (const SecretsBlock& b : blocks) {
        if (b.type != tls::kSecretsTypeTls)
            continue;
        ++tlsBlocks;
        text += b.data;
        if (!text.empty() && text.back() != '\n')
            text.push_back('\n');
    }
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool written = fd >= 0;
    for (std::size_t at = 0; written && at < text.size();) {
        const ssize_t n = ::write(fd, text.data() + at, text.size() - at);
        if (n < 0 && errno == EINTR)
            continue;
        written = n > 0;
        at += written ? std::size_t(n) : 0;
    }
    const int err = errno;
    if (fd >= 0 && ::close(fd) != 0 && written)
        written = false;
    if (!written) {
        std::fprintf(stderr, "stratoshark: cannot write TLS keys to \"%s\": %s\n", out.c_str(), std::strerror(err));
        return kInvalidFile;
    }
    if (!tlsBlocks)
        std::fprintf(stderr, "stratoshark: \"%s\" holds no TLS secrets (no Decryption Secrets Block of type TLS)\n",
                     capture.c_str());
    if (!readError.empty()) {
        std::fprintf(stderr, "stratoshark: %s (the TLS secrets before it were written)\n", readError.c_str());
        return 2;
    }
    return 0;
}

int runRead(EpanRuntime& runtime, const ReadOptions& o, const std::function<bool()>& startTaps,
            EarlyScans* early)
{
    if (int rc = applyDissectionOptions(runtime, o))
        return rc;
    OutputFields fields;
    if (int rc = setUpFields(o, fields))
        return rc;

    bool ok = true;
    auto readFilter = compileOrReport(o.readFilter, &ok);
    if (!ok)
        return kInvalidFilter;
    auto displayFilter = compileOrReport(o.displayFilter, &ok);
    if (!ok)
        return kInvalidFilter;

    // -i: the helpers capture into a file that is read as it grows (live_capture.h).
    std::unique_ptr<LiveCapture> live;
    if (o.isLive()) {
        live = LiveCapture::start(o);
        if (!live)
            return kInvalidFile;
    }
    const bool reading = !live || (live->readable() && (o.printPacketInfo || !o.statistics.empty() || startTaps));
    if (live && !reading)
        return live->run({}); // -w without -P: the file is the whole job

    if (!o.exportTlsKeys.empty())
        if (int rc = exportTlsKeys(o.readFile, o.exportTlsKeys))
            return rc;

    std::unique_ptr<CaptureFile> file;
    try {
        file = CaptureFile::open(live ? live->path() : o.readFile, o.twoPass);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s\n", e.what());
        return kInvalidFile;
    }

    // Taps start after the file opened (as tshark), before any packet is read.
    Statistics statistics;
    for (const auto& z : o.statistics)
        if (!statistics.add(z))
            return statistics.failureCode();
    if (startTaps && !startTaps())
        return kInvalidOption;
    bool fileRead = false;
    if (!live && !o.statistics.empty() &&
        fastStatistics(o, statistics, bool(startTaps), *file, early ? &early->statistics : nullptr, &fileRead)) {
        draw_tap_listeners(TRUE);
        std::fflush(stdout);
        return 0;
    }
    if (fileRead) { // epan reads it again from the start
        try {
            file = CaptureFile::open(o.readFile, o.twoPass);
        } catch (const EngineError& e) {
            std::fprintf(stderr, "stratoshark: %s\n", e.what());
            return kInvalidFile;
        }
    }

    Columns columns(runtime.prefs());
    std::unique_ptr<PacketPrinter> printer;
    if (o.printPacketInfo)
        printer = std::make_unique<PacketPrinter>(o, columns.get(), fields.get());

    std::unique_ptr<CaptureWriter> writer;
    if (!o.writeFile.empty() && !live) {
        try {
            writer = std::make_unique<CaptureWriter>(o.writeFile, *file);
        } catch (const EngineError& e) {
            std::fprintf(stderr, "stratoshark: cannot write \"%s\": %s\n", o.writeFile.c_str(), e.what());
            return kInvalidFile;
        }
    } else if (printer && !printer->preamble(live ? live->path() : o.readFile)) {
        std::fprintf(stderr, "stratoshark: An error occurred while printing packets.\n");
        return kInvalidFile;
    }

    int exitCode = 0;
    FileProcessor::Parts parts{readFilter.get(), displayFilter.get(), printer.get(), writer.get(), columns.get()};
    const std::vector<MergeableTap*> mergeable = statistics.mergeableTapsOnly();
    if (!live && (printer || !mergeable.empty()) && !writer && !startTaps) {
        const ParallelPlan plan = planParallelRead(o, runtime.prefs(), early ? &early->parallel : nullptr);
        if (plan.workers > 1) {
            exitCode = runParallelRead(runtime, o, parts, plan.workers, mergeable);
            if (printer && !printer->finale() && exitCode == 0)
                exitCode = 2;
            draw_tap_listeners(TRUE); // the reports the workers counted, merged
            std::fflush(stdout);
            return exitCode;
        }
        if (!plan.refused.empty() && std::getenv("STRATOSHARK_WORKERS"))
            std::fprintf(stderr, "stratoshark: one process: %s\n", plan.refused.c_str());
    }
    FileProcessor processor(runtime, o, *file, parts);
    statistics.setElapsedSource([&processor] { return processor.elapsed(); });
    bool complete = false;
    try {
        if (live) {
            processor.startLive();
            bool readOk = true;
            exitCode = live->run([&] { readOk = readOk && processor.readMore(); });
            complete = readOk && processor.readMore();
        } else {
            complete = processor.run();
        }
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s: %s\n", e.step().c_str(), e.what());
        exitCode = 2;
    }
    if (!complete && exitCode == 0) {
        std::fflush(stdout);
        std::fprintf(stderr, "stratoshark: %s\n", processor.error().c_str());
        exitCode = 2;
    }
    if (writer) {
        try {
            writer->close();
        } catch (const EngineError& e) {
            std::fprintf(stderr, "stratoshark: %s\n", e.what());
            exitCode = 2;
        }
    } else if (printer && !printer->finale()) {
        exitCode = 2;
    }
    // Reports are drawn even after a read error: they cover what was read.
    draw_tap_listeners(TRUE);
    std::fflush(stdout);
    if (exitCode == 0 && statistics.reportFailed())
        exitCode = 2;
    return exitCode;
}

int runReport(const std::string& report)
{
    if (report == "fields") {
        proto_registrar_dump_fields();
    } else if (report == "protocols") {
        proto_registrar_dump_protocols();
    } else if (report == "values") {
        proto_registrar_dump_values();
    } else if (report == "ftypes") {
        proto_registrar_dump_ftypes();
    } else if (report == "heuristic-decodes") {
        dissector_dump_heur_decodes();
    } else if (report == "decodes") {
        dissector_dump_decodes();
    } else {
        std::fprintf(stderr, "stratoshark: Invalid -G report \"%s\"; use fields, protocols, values, ftypes, "
                             "decodes or heuristic-decodes\n", report.c_str());
        return kInvalidOption;
    }
    return 0;
}

} // namespace ss::cli
