// SPDX-License-Identifier: GPL-2.0-or-later
// What the libFuzzer targets share: inputs as files (a memfd that wiretap and the importers
// open by path, as they would a user's file), one epan runtime per process, our own pcapng
// made around records, and the dissection of a file as the CLI's -V does it.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "capture_file.h"
#include "columns.h"
#include "dissection_session.h"
#include "epan_runtime.h"
#include "error.h"
#include "fuzz_input.h"
#include "pcapng_writer.h"
#include "ss_dissectors.h"
#include "ss_records.h"

namespace ss::fuzz {

// The input as a file: one memfd per process, rewritten for each input.
inline std::string asFile(const std::uint8_t* data, std::size_t size)
{
    static const int fd = memfd_create("fuzz-input", 0);
    if (fd < 0 || ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != ssize_t(size))) {
        std::perror("fuzz: memfd");
        std::abort();
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

inline std::string asFile(const std::vector<std::uint8_t>& bytes)
{
    return asFile(bytes.data(), bytes.size());
}

// epan for the whole process (it can be initialised once), our dissectors built in, no
// plugins; packets printed to /dev/null (libFuzzer reports on stderr).
inline EpanRuntime& runtime()
{
    static EpanRuntime* r = [] {
        if (!std::freopen("/dev/null", "w", stdout))
            std::abort();
        EpanRuntime::Options options;
        options.loadPlugins = false;
        options.builtinDissectors.push_back(dissect::stratosharkDissectors());
        static char argv0[] = "stratoshark-fuzz";
        return new EpanRuntime(argv0, options);
    }();
    return *r;
}

// Files dissected as `stratoshark -r FILE -V` dissects them (wiretap, epan with a visible
// tree, the columns, the text of every item), in one epan session kept across inputs as
// Wireshark's fuzzshark keeps one: epan's per-file start (name resolution files, every
// protocol's init) costs more than most inputs. Frame numbers go on across inputs, as in
// one long file; the session starts again every kInputsPerSession inputs to bound its state.
class Dissector {
public:
    static Dissector& instance()
    {
        static Dissector* d = new Dissector; // lives to the end: epan is process-wide
        return *d;
    }

    // Every record of the file at `path`; a file wiretap refuses or that ends damaged stops
    // there, as the CLI stops with an error.
    void file(const std::string& path)
    {
        if (++inputs_ % kInputsPerSession == 0)
            restart();
        std::unique_ptr<CaptureFile> capture;
        try {
            capture = CaptureFile::open(path, false);
        } catch (const EngineError&) {
            return;
        }
        session_->provider().wth = capture->handle();
        WtapRecord record;
        gint64 offset = 0;
        while (capture->readNext(record, &offset)) {
            frame_data fd;
            frame_data_init(&fd, ++frames_, record.rec(), offset, session_->cumBytes());
            session_->beforeDissect(&fd);
            epan_dissect_t* edt = dissection_->get();
            epan_dissect_run(edt, capture->fileTypeSubtype(), record.rec(), frameTvb(record.data(), fd), &fd,
                             columns_->get());
            epan_dissect_fill_in_columns(edt, FALSE, TRUE);
            proto_tree_print(print_dissections_expanded, FALSE, edt, nullptr, stream_);
            session_->afterDissect(&fd);
            session_->setPrevDisplayed(&fd);
            session_->setPrevCaptured(&fd);
            dissection_->reset();
            frame_data_destroy(&fd);
            record.reset();
        }
        // The previous frame stays: frame numbers go on across inputs, and the frame
        // dissector asks for frame N-1's time (a missing one is a warning per input).
        session_->provider().wth = template_->handle();
    }

private:
    // Each new session costs epan 4.0 about 10 MB it never gives back until epan_cleanup:
    // init_dissection → host_name_lookup_reset re-creates the manuf and services tables in
    // wmem_epan_scope() without freeing the old ones (addr_resolv.c, initialize_ethers).
    // Every 20,000 inputs that made a 10-million-input run end out of memory at 4.4 M.
    static constexpr unsigned kInputsPerSession = 100000;

    Dissector()
    {
        runtime();
        // The session's own file: a section with no packets, never read; each input's file
        // stands in for it while it is dissected.
        std::vector<std::uint8_t> empty;
        {
            PcapngWriter writer([&](const std::uint8_t* d, std::size_t n) { empty.insert(empty.end(), d, d + n); },
                                "stratoshark-fuzz");
            writer.addInterface(1, 262144, "eth0");
            writer.close();
        }
        const int fd = memfd_create("fuzz-template", 0);
        if (fd < 0 || write(fd, empty.data(), empty.size()) != ssize_t(empty.size()))
            std::abort();
        template_ = CaptureFile::open("/proc/self/fd/" + std::to_string(fd), false);
        columns_ = std::make_unique<Columns>(runtime().prefs());
        stream_ = print_stream_text_stdio_new(stdout); // /dev/null: see runtime()
        restart();
    }

    void restart()
    {
        dissection_.reset();
        session_.reset();
        session_ = std::make_unique<DissectionSession>(runtime(), *template_);
        dissection_ = std::make_unique<Dissection>(*session_, true, true);
    }

    std::unique_ptr<CaptureFile> template_;
    std::unique_ptr<Columns> columns_;
    print_stream_t* stream_ = nullptr;
    std::unique_ptr<DissectionSession> session_;
    std::unique_ptr<Dissection> dissection_;
    unsigned inputs_ = 0;
    guint32 frames_ = 0;
};

inline void dissectFile(const std::string& path)
{
    Dissector::instance().file(path);
}

// A pcapng of our own: the interface marked as ours (docs/FORMAT.md), one packet per record.
inline std::vector<std::uint8_t> recordFile(std::uint16_t linkType, const char* name,
                                            const std::vector<std::vector<std::uint8_t>>& records)
{
    std::vector<std::uint8_t> out;
    PcapngWriter writer([&](const std::uint8_t* d, std::size_t n) { out.insert(out.end(), d, d + n); },
                        "stratoshark-fuzz");
    const std::uint32_t id = writer.addInterface(linkType, 262144, name); // marked as ours
    std::uint64_t ns = 1700000000000000000ull;
    for (const auto& r : records)
        writer.writePacket(id, ns += 1000, r.data(), std::uint32_t(r.size()), std::uint32_t(r.size()));
    writer.close();
    return out;
}

} // namespace ss::fuzz
