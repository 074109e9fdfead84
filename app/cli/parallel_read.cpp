// SPDX-License-Identifier: GPL-2.0-or-later
#include "parallel_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "capture_file.h"
#include "capture_scan.h"
#include "display_filter.h"
#include "error.h"
#include "fast_conversations.h"
#include "frame_headers.h"
#include "port_judge.h"

namespace ss::cli {
namespace {

constexpr int kMaxWorkers = 8;
constexpr long long kDefaultMinBytes = 64ll << 20;

// Words in a display filter or custom column that need other flows' packets, or protocols
// whose state crosses flows.
constexpr std::string_view kCrossFlowWords[] = {".stream", "time_delta_displayed", "cum_bytes", "sip", "sdp", "rtp",
                                                "rtcp", "rtsp", "h225", "h245", "mgcp", "ftp", "mptcp", "sctp",
                                                "skinny", "msrp", "t38", "bfcp", "stun", "turn"};
// Protocols whose state crosses flows that port_judge.cpp's list (tunnels, protocols that
// set up other flows) does not hold already.
constexpr std::string_view kCrossFlowProtocols[] = {"mms", "stun", "classicstun"};

bool mentionsCrossFlow(const std::string& text)
{
    for (const auto& w : kCrossFlowWords)
        if (text.find(w) != std::string::npos)
            return true;
    return false;
}

// The reasons of walkFrame that still leave a packet's flow key well defined (and the same
// for every packet of that flow).
bool keyableRefusal(std::string_view why)
{
    return why == "an IP protocol the fast path does not know" || why == "an IPv6 next header the fast path does not know" ||
           why == "an ethertype the fast path does not know" || why == "an IEEE 802.3 length field (LLC)" ||
           why == "an ICMPv6 redirect (it quotes a packet)";
}

} // namespace

// One pass over the headers (our reader): fragments, headers cut short, SIP-like payloads,
// and the ports seen (judged once epan has started).
HeaderCheck checkHeaders(const std::string& path)
{
    HeaderCheck check;
    check.ports = std::make_unique<fast::PortUse>();
    fast::PortUse& ports = *check.ports;
    fast::FrameHeaders h;
    std::uint64_t frames = 0;
    const std::string why = fast::scanCaptureFile(
        path,
        [&](const fast::ScannedPacket& p) -> const char* {
            if (const char* refused = fast::walkFrame(p.link, p.data, p.captured, p.length, h)) {
                if (keyableRefusal(refused))
                    return nullptr;
                check.problem = "frame " + std::to_string(frames + 1) + ": " + refused;
                return "stop";
            }
            if (h.transport == 6)
                ports.tcp(h.srcPort, h.dstPort);
            else if (h.transport == 17)
                ports.udp(h.srcPort, h.dstPort, h.payloadCaptured);
            if (h.transport && h.payloadCaptured && fast::mayCarryPackets(h)) {
                check.problem = "frame " + std::to_string(frames + 1) + ": a payload that may be SIP or carry packets";
                return "stop";
            }
            return nullptr;
        },
        &frames);
    if (check.problem.empty() && !why.empty())
        check.problem = "the file's headers: " + why;
    ports.finish();
    return check;
}

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v)
{
    h = (h ^ v) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 31);
}

// A flow's key, the same from either direction: both (address, port) endpoints, smaller first.
std::uint64_t flowHash(const std::uint8_t* a, const std::uint8_t* b, int bytes, std::uint16_t pa, std::uint16_t pb)
{
    int c = std::memcmp(a, b, std::size_t(bytes));
    if (c == 0)
        c = int(pa) - int(pb);
    if (c > 0) {
        std::swap(a, b);
        std::swap(pa, pb);
    }
    std::uint64_t h = 0x243f6a8885a308d3ull;
    for (int i = 0; i < bytes; ++i)
        h = mix(h, std::uint64_t(a[i]) << 8 | b[i]);
    return mix(h, std::uint64_t(pa) << 16 | pb);
}

int ownerOf(WtapRecord& record, int workers)
{
    const wtap_rec* rec = record.rec();
    if (rec->rec_type != REC_TYPE_PACKET)
        return 0;
    const auto& ph = rec->rec_header.packet_header;
    const auto link = fastLinkType(ph.pkt_encap);
    if (!link)
        return 0;
    fast::FrameHeaders h;
    fast::walkFrame(*link, record.data(), ph.caplen, ph.len, h);
    std::uint64_t key;
    if (h.quoted.present) {
        key = flowHash(h.quoted.src, h.quoted.dst, h.quoted.ipVersion == 6 ? 16 : 4, h.quoted.srcPort, h.quoted.dstPort);
    } else if (h.ipVersion) {
        const bool ports = h.transport == 6 || h.transport == 17;
        key = flowHash(h.ipSrc, h.ipDst, h.ipVersion == 6 ? 16 : 4, ports ? h.srcPort : 0, ports ? h.dstPort : 0);
    } else {
        return 0;
    }
    return int(key % std::uint64_t(workers));
}

// One worker's output: records "\0FRAME\n" + the packet's text, read as they come.
class WorkerStream {
public:
    explicit WorkerStream(int fd) : fd_(fd) {}
    ~WorkerStream()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    // Makes the next record available; false at the end of the stream.
    bool next()
    {
        buf_.erase(0, end_);
        end_ = 0;
        for (;;) {
            if (!buf_.empty() && buf_[0] == '\0') {
                const std::size_t nl = buf_.find('\n');
                const std::size_t following = nl == std::string::npos ? std::string::npos : buf_.find('\0', nl);
                counts_ = buf_.size() > 1 && buf_[1] == '~'; // the taps' counts: the rest of the stream
                if (counts_ && nl != std::string::npos && eof_) {
                    frame_ = ULONG_MAX;
                    textFrom_ = nl + 1;
                    end_ = buf_.size();
                    return true;
                }
                if (!counts_ && nl != std::string::npos && (following != std::string::npos || eof_)) {
                    frame_ = std::strtoul(buf_.c_str() + 1, nullptr, 10);
                    textFrom_ = nl + 1;
                    end_ = following == std::string::npos ? buf_.size() : following;
                    return true;
                }
            } else if (!buf_.empty()) {
                buf_.clear(); // not ours: a worker printed outside a packet (never expected)
            }
            if (eof_)
                return false;
            char chunk[1 << 16];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n > 0)
                buf_.append(chunk, std::size_t(n));
            else if (n == 0 || errno != EINTR)
                eof_ = true;
        }
    }
    unsigned long frame() const { return frame_; }
    bool counts() const { return counts_; }
    std::string_view text() const { return std::string_view(buf_).substr(textFrom_, end_ - textFrom_); }

private:
    int fd_;
    std::string buf_;
    std::size_t textFrom_ = 0, end_ = 0;
    unsigned long frame_ = 0;
    bool counts_ = false;
    bool eof_ = false;
};

[[noreturn]] void runWorker(EpanRuntime& runtime, const ReadOptions& options, const FileProcessor::Parts& parts,
                            int index, int workers, const std::vector<MergeableTap*>& taps)
{
    int status = 0;
    try {
        auto file = CaptureFile::open(options.readFile, false);
        FileProcessor processor(runtime, options, *file, parts);
        processor.setWorker({[index, workers](WtapRecord& r) { return ownerOf(r, workers) == index; },
                             [](guint32 frame) { std::fprintf(stdout, "%c%u\n", 0, frame); }});
        if (!processor.run()) {
            std::fflush(stdout);
            std::fprintf(stderr, "stratoshark: %s\n", processor.error().c_str());
            status = 2;
        }
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s\n", e.what());
        status = 2;
    }
    if (!taps.empty()) { // what this worker's frames counted, after its packets: each tap's length, text
        std::fprintf(stdout, "%c~\n", 0);
        for (const MergeableTap* tap : taps) {
            const std::string text = tap->serialize();
            std::fprintf(stdout, "%zu\n", text.size());
            std::fwrite(text.data(), 1, text.size(), stdout);
        }
    }
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(status);
}

// Workers wanted for this read before looking at the packets, or 0.
int wantedWorkers(const ReadOptions& o)
{
    const char* env = std::getenv("STRATOSHARK_WORKERS");
    int wanted = 0;
    if (env) {
        wanted = std::atoi(env);
        if (wanted <= 1)
            return 0;
    }
    struct stat st {};
    if (o.isLive() || o.readFile.empty() || stat(o.readFile.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (!wanted) {
        if (st.st_size < kDefaultMinBytes)
            return 0;
        wanted = int(std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), kMaxWorkers));
    }
    return wanted > 1 ? wanted : 0;
}

// What the options alone rule out (no epan needed).
std::string optionsRefusal(const ReadOptions& o)
{
    const bool summary = o.format == OutputFormat::Text && !o.printDetails && !o.printHex;
    const bool fields = o.format == OutputFormat::Fields;
    // io,phs and expert counts add up across flows; every other report needs one sequence.
    bool mergeableOnly = !o.statistics.empty();
    for (const auto& z : o.statistics)
        mergeableOnly = mergeableOnly && (z == "io,phs" || z.rfind("io,phs,", 0) == 0 || z.rfind("expert", 0) == 0) &&
                        !mentionsCrossFlow(z);
    if (!(o.printPacketInfo && (summary || fields)) && !(mergeableOnly && !o.printPacketInfo))
        return "the options need one sequence of packets";
    if (o.twoPass || !o.readFilter.empty() || o.maxPackets || !o.writeFile.empty() ||
        (!o.statistics.empty() && !mergeableOnly) || !o.separator.empty())
        return "the options need one sequence of packets";
    if (mentionsCrossFlow(o.displayFilter))
        return "the display filter names a field that depends on other flows";
    for (const auto& f : o.fields)
        if (mentionsCrossFlow(f) || f == "frame.time_delta_displayed")
            return "a field that depends on other flows: " + f;
    return {};
}

// What epan's settings rule out: names, time format, the columns shown.
std::string settingsRefusal(const ReadOptions& o, const e_prefs* prefs)
{
    if (gbl_resolv_flags.network_name)
        return "network names are resolved (they may come from other flows' DNS)";
    if (timestamp_get_type() == TS_DELTA_DIS)
        return "times are deltas from the previous displayed packet";
    const bool summary = o.format == OutputFormat::Text;
    if (!prefs || !summary)
        return {};
    for (GList* c = prefs->col_list; c; c = c->next) {
        const auto* col = static_cast<const fmt_data*>(c->data);
        if (!col->visible)
            continue;
        if (col->fmt == COL_DELTA_TIME_DIS || col->fmt == COL_CUMULATIVE_BYTES ||
            (col->fmt == COL_CUSTOM && mentionsCrossFlow(col->custom_fields ? col->custom_fields : "")))
            return std::string("the column \"") + (col->title ? col->title : "?") + "\" depends on other flows";
    }
    return {};
}

} // namespace

std::future<HeaderCheck> startHeaderCheck(const ReadOptions& o)
{
    if (!wantedWorkers(o) || !optionsRefusal(o).empty())
        return {};
    return std::async(std::launch::async, [path = o.readFile] { return checkHeaders(path); });
}

ParallelPlan planParallelRead(const ReadOptions& o, const e_prefs* prefs, std::future<HeaderCheck>* early)
{
    ParallelPlan plan;
    const int wanted = wantedWorkers(o);
    if (!wanted)
        return plan;
    plan.refused = optionsRefusal(o);
    if (plan.refused.empty())
        plan.refused = settingsRefusal(o, prefs);
    if (plan.refused.empty()) {
        HeaderCheck check = early && early->valid() ? early->get() : checkHeaders(o.readFile);
        plan.refused = !check.problem.empty() ? check.problem : refusedPort(*check.ports, kCrossFlowProtocols);
    }
    if (plan.refused.empty())
        plan.workers = wanted;
    return plan;
}

int runParallelRead(EpanRuntime& runtime, const ReadOptions& options, const FileProcessor::Parts& parts, int workers,
                    const std::vector<MergeableTap*>& taps)
{
    std::fflush(stdout);
    std::fflush(stderr);
    std::vector<pid_t> pids;
    std::vector<std::unique_ptr<WorkerStream>> streams;
    for (int i = 0; i < workers; ++i) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            std::fprintf(stderr, "stratoshark: parallel read: pipe: %s\n", std::strerror(errno));
            return 2;
        }
        const pid_t pid = fork();
        if (pid < 0) {
            std::fprintf(stderr, "stratoshark: parallel read: fork: %s\n", std::strerror(errno));
            return 2;
        }
        if (pid == 0) {
            streams.clear(); // the earlier workers' pipes are not this one's
            ::close(p[0]);
            dup2(p[1], STDOUT_FILENO);
            ::close(p[1]);
            if (i > 0) { // every worker meets the same read error: the first one reports it
                const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
                if (devnull >= 0)
                    dup2(devnull, STDERR_FILENO);
            }
            runWorker(runtime, options, parts, i, workers, taps);
        }
        ::close(p[1]);
        pids.push_back(pid);
        streams.push_back(std::make_unique<WorkerStream>(p[0]));
    }
    // Merge in frame order: each stream is in frame order, so the smallest head goes next;
    // the taps' counts come last.
    std::vector<std::string> counts(streams.size());
    std::vector<bool> live(streams.size());
    for (std::size_t i = 0; i < streams.size(); ++i)
        live[i] = streams[i]->next();
    for (;;) {
        int best = -1;
        for (std::size_t i = 0; i < streams.size(); ++i)
            if (live[i] && (best < 0 || streams[i]->frame() < streams[std::size_t(best)]->frame()))
                best = int(i);
        if (best < 0)
            break;
        const std::string_view text = streams[std::size_t(best)]->text();
        if (streams[std::size_t(best)]->counts()) {
            counts[std::size_t(best)] = std::string(text);
        } else {
            std::fwrite(text.data(), 1, text.size(), stdout);
            if (options.lineBuffered)
                std::fflush(stdout);
        }
        live[std::size_t(best)] = streams[std::size_t(best)]->next();
    }
    std::fflush(stdout);
    int result = 0;
    for (std::size_t w = 0; w < counts.size() && !taps.empty(); ++w) {
        std::string_view rest = counts[w];
        for (MergeableTap* tap : taps) {
            std::size_t bytes = 0;
            if (!readNumber(rest, bytes, '\n') || bytes > rest.size() || !tap->merge(rest.substr(0, bytes))) {
                std::fprintf(stderr, "stratoshark: parallel read: worker %zu sent no counts for the -z reports\n", w);
                result = 2;
                break;
            }
            rest.remove_prefix(bytes);
        }
    }
    for (std::size_t i = 0; i < pids.size(); ++i) {
        int status = 0;
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(status)) {
            std::fprintf(stderr, "stratoshark: parallel read: worker %zu ended by signal %d\n", i, WTERMSIG(status));
            result = 2;
        } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && result == 0) {
            result = WEXITSTATUS(status);
        }
    }
    return result;
}

} // namespace ss::cli
