// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_options.h"

#include "event_import.h"
#include "helper_targets.h"
#include "ipc_framing.h"
#include "wall_clock.h"

#include <getopt.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace ss::cli {
namespace {

constexpr std::uint64_t kMaxDurationMs = 366ull * 24 * 3600 * 1000;
constexpr std::uint32_t kMaxSnaplen = 262144;

void usage(std::FILE* out)
{
    std::fputs(
        "Usage: stratoshark capture [--helper unix:PATH|tls://HOST:PORT]... [--tls-ca FILE --tls-cert FILE\n"
        "                           --tls-key FILE [--tls-server-name NAME]] [-i IFACE]... [--duration TIME] [--count N] [--snaplen N]\n"
        "                           [-B|--buffer-size MiB|SIZE]\n"
        "                           [--syscalls LIST|default|all|none] [--filter EXPR]\n"
        "                           [--ebpf-filter EXPR [--allow-userspace-filter]] [--tls-secrets[=all]]\n"
        "                           [--max-size SIZE]\n"
        "                           [--ring-size SIZE [--ring-files N] [--max-age TIME]] --output FILE|-\n"
        "       stratoshark capture [--helper ...]... --since TIME [--until TIME] [filters] --output FILE|-\n"
        "       stratoshark capture [--helper ...]... --list-interfaces | --list-spool | --stop-spooled NAME\n"
        "                           | --fetch-spool NAME [--output FILE]\n"
        "Without -i: every interface that is up, and those that come up during the capture.\n"
        "Several --helper: every node captures with the same options; one file, in time order,\n"
        "interfaces named NODE/IFACE. TLS files also from STRATOSHARK_TLS_CA/_CERT/_KEY (and\n"
        "_SERVER_NAME: the name all helpers' certificate carries, e.g. a DaemonSet's), the\n"
        "helper from STRATOSHARK_HELPER. TIME is like 30s, 5m, 2h or 7d; SIZE like 100MB, 512kB\n"
        "or 1GiB. The snap length is 262144 (whole packets) unless --snaplen says less; the kernel\n"
        "buffer is 2 MiB (as dumpcap's) unless -B says otherwise (rounded up to a power of two).\n"
        "--since/--until read the helper's flight recorder (--flight-recorder): \"2025-01-10 16:15:20\"\n"
        "(local time), 2025-01-10T16:15:20Z, -5m (five minutes ago) or @SECONDS; an --until later\n"
        "than now goes on live until then. --list-spool shows spooled, triggered and recorded files;\n"
        "--fetch-spool copies one here. --tls-secrets: the TLS secrets (OpenSSL 3) of the processes\n"
        "--ebpf-filter selects (=all: of every process) go into the file as Decryption Secrets\n"
        "Blocks, so Wireshark and tshark decrypt their HTTPS with no key file (docs/TLS.md).\n"
        "The privileged stratoshark-helper captures; this command only asks it.\n",
        out);
}

bool fail(const std::string& text)
{
    std::fprintf(stderr, "stratoshark capture: %s\n", text.c_str());
    return false;
}

bool count(const char* option, const char* text, std::uint64_t max, std::uint64_t* into)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long n = std::strtoull(text, &end, 10);
    if (!*text || *text == '-' || *end || errno || n > max)
        return fail(std::string("bad ") + option + " \"" + text + "\" (a number from 0 to " + std::to_string(max) + ")");
    *into = n;
    return true;
}

} // namespace

std::optional<std::uint64_t> parseWhen(const std::string& text, std::uint64_t nowNs)
{
    if (text == "now")
        return nowNs;
    if (!text.empty() && text[0] == '-') {
        const auto ago = parseDurationMs(text.substr(1));
        if (!ago || *ago * 1000000ull > nowNs)
            return std::nullopt;
        return nowNs - *ago * 1000000ull;
    }
    if (!text.empty() && text[0] == '@') {
        char* end = nullptr;
        const double seconds = std::strtod(text.c_str() + 1, &end);
        if (end == text.c_str() + 1 || *end || !std::isfinite(seconds) || seconds < 0 || seconds > 1e11)
            return std::nullopt;
        return static_cast<std::uint64_t>(seconds * 1e9);
    }
    std::uint64_t ns = 0;
    if (text.find('T') != std::string::npos)
        return events::parseRfc3339(text, &ns) ? std::optional(ns) : std::nullopt;
    // "YYYY-MM-DD HH:MM:SS[.fraction]" in local time, as `date` prints it.
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &consumed) != 6)
        return std::nullopt;
    std::uint64_t fraction = 0;
    int digits = 0;
    const char* p = text.c_str() + consumed;
    if (*p == '.')
        for (++p; *p >= '0' && *p <= '9'; ++p)
            if (digits++ < 9)
                fraction = fraction * 10 + std::uint64_t(*p - '0');
    if (*p)
        return std::nullopt;
    while (digits++ < 9)
        fraction *= 10;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    const std::time_t seconds = std::mktime(&tm);
    if (seconds < 0)
        return std::nullopt;
    return std::uint64_t(seconds) * 1000000000ull + fraction;
}

std::optional<std::uint64_t> parseDurationMs(const std::string& text)
{
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !std::isfinite(value) || value < 0)
        return std::nullopt;
    const std::string unit(end);
    double factor;
    if (unit.empty() || unit == "s")
        factor = 1000;
    else if (unit == "ms")
        factor = 1;
    else if (unit == "m")
        factor = 60000;
    else if (unit == "h")
        factor = 3600000;
    else if (unit == "d")
        factor = 86400000;
    else
        return std::nullopt;
    if (value * factor > double(kMaxDurationMs))
        return std::nullopt;
    return static_cast<std::uint64_t>(value * factor);
}

std::optional<CaptureOptions> parseCaptureOptions(int argc, char** argv, int* exitCode)
{
    static const option kOptions[] = {
        {"helper", required_argument, nullptr, 'H'},    {"output", required_argument, nullptr, 'o'},
        {"duration", required_argument, nullptr, 'd'},  {"count", required_argument, nullptr, 'c'},
        {"snaplen", required_argument, nullptr, 's'},   {"filter", required_argument, nullptr, 'f'},
        {"ebpf-filter", required_argument, nullptr, 'e'}, {"list-interfaces", no_argument, nullptr, 'L'},
        {"syscalls", required_argument, nullptr, 'S'},  {"max-size", required_argument, nullptr, 'M'},
        {"ring-size", required_argument, nullptr, 'R'}, {"ring-files", required_argument, nullptr, 'N'},
        {"max-age", required_argument, nullptr, 'A'},   {"allow-userspace-filter", no_argument, nullptr, 'U'},
        {"tls-ca", required_argument, nullptr, 'a'},    {"tls-cert", required_argument, nullptr, 'C'},
        {"tls-key", required_argument, nullptr, 'K'},   {"list-spooled", no_argument, nullptr, 'l'},
        {"tls-server-name", required_argument, nullptr, 'n'},
        {"stop-spooled", required_argument, nullptr, 'P'}, {"help", no_argument, nullptr, 'h'},
        {"list-spool", no_argument, nullptr, 'l'},       {"fetch-spool", required_argument, nullptr, 'F'},
        {"since", required_argument, nullptr, 1000},     {"until", required_argument, nullptr, 1001},
        {"buffer-size", required_argument, nullptr, 'B'},
        {"tls-secrets", optional_argument, nullptr, 1002},
        {nullptr, 0, nullptr, 0}};
    CaptureOptions o;
    *exitCode = 1;
    const auto size = [](const char* option, const char* text, std::uint64_t* into) {
        const auto bytes = CaptureOutput::parseSize(text);
        if (!bytes)
            return fail(std::string("bad ") + option + " \"" + text + "\" (use e.g. 100MB, 512kB, 1GiB)");
        *into = *bytes;
        return true;
    };
    std::uint64_t n = 0;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "i:w:c:s:B:h", kOptions, nullptr)) != -1) {
        bool ok = true;
        switch (opt) {
        case 'H': o.helpers.push_back(optarg); break;
        case 'i': o.request.add_interfaces(optarg); break;
        case 'o':
        case 'w': o.output = optarg; break;
        case 'd': {
            const auto ms = parseDurationMs(optarg);
            ok = ms ? true : fail(std::string("bad --duration \"") + optarg + "\" (e.g. 30s, 5m, 2h; at most 366d)");
            o.request.set_duration_ms(ms.value_or(0));
            break;
        }
        case 'c':
            ok = count("--count", optarg, ~0ull, &n);
            o.request.set_max_packets(n);
            break;
        case 's':
            ok = count("--snaplen", optarg, kMaxSnaplen, &n);
            o.request.set_snaplen(std::uint32_t(n));
            break;
        case 'B': { // a bare number is MiB, as dumpcap's -B; or a SIZE
            const bool digits = *optarg && std::strspn(optarg, "0123456789") == std::strlen(optarg);
            std::uint64_t bytes = 0;
            if (!digits)
                bytes = CaptureOutput::parseSize(optarg).value_or(0);
            else if (const unsigned long long mib = std::strtoull(optarg, nullptr, 10); mib <= 1024)
                bytes = mib << 20;
            ok = bytes >= 4096 && bytes <= (1u << 30)
                     ? true
                     : fail(std::string("bad --buffer-size \"") + optarg + "\" (MiB, or a size: 4kB to 1GiB)");
            o.request.set_buffer_bytes(bytes);
            break;
        }
        case 'f': o.request.set_bpf_filter(optarg); break;
        case 'e': o.request.set_metadata_filter(optarg); break;
        case 1002:
            ok = !optarg || std::strcmp(optarg, "all") == 0 ||
                 fail("--tls-secrets takes no value but \"all\" (--tls-secrets=all)");
            o.request.set_tls_secrets(optarg ? pb::StartCapture::TLS_SECRETS_ALL : pb::StartCapture::TLS_SECRETS_SELECTED);
            break;
        case 'S': o.request.set_syscalls(optarg); break;
        case 'L': o.listInterfaces = true; break;
        case 'l': o.listSpooled = true; break;
        case 'P': o.stopSpooled = optarg; break;
        case 'F': o.fetchSpooled = optarg; break;
        case 1000:
        case 1001: {
            const auto ns = parseWhen(optarg, wallClockNs());
            ok = ns ? true
                    : fail(std::string("bad ") + (opt == 1000 ? "--since" : "--until") + " \"" + optarg +
                           "\" (e.g. \"2025-01-10 16:15:20\", 2025-01-10T16:15:20Z, -5m)");
            if (opt == 1000)
                o.request.set_since_ns(ns.value_or(0));
            else
                o.request.set_until_ns(ns.value_or(0));
            break;
        }
        case 'U': o.allowUserspaceFilter = true; break;
        case 'a': o.tls.ca = optarg; break;
        case 'C': o.tls.cert = optarg; break;
        case 'K': o.tls.key = optarg; break;
        case 'n': o.tls.serverName = optarg; break;
        case 'M': ok = size("--max-size", optarg, &o.files.maxSize); break;
        case 'R': ok = size("--ring-size", optarg, &o.files.ringSize); break;
        case 'N':
            ok = count("--ring-files", optarg, 100000, &n) && (n > 0 || fail("bad --ring-files \"0\" (1 to 100000)"));
            o.files.ringFiles = unsigned(n);
            break;
        case 'A': {
            const auto ms = parseDurationMs(optarg);
            ok = ms && *ms ? true : fail(std::string("bad --max-age \"") + optarg + "\" (use e.g. 12h, 7d)");
            o.files.maxAgeMs = ms.value_or(0);
            break;
        }
        case 'h':
            usage(stdout);
            *exitCode = 0;
            return std::nullopt;
        default:
            fail(std::string("unknown option \"") + argv[optind - 1] + "\"");
            usage(stderr);
            return std::nullopt;
        }
        if (!ok)
            return std::nullopt;
    }
    if (optind < argc) {
        fail(std::string("unexpected argument \"") + argv[optind] + "\"");
        return std::nullopt;
    }
    if (o.helpers.empty())
        o.helpers = capture::defaultHelpers();
    capture::tlsFromEnvironment(&o.tls);
    const bool query = o.listInterfaces || o.listSpooled || !o.stopSpooled.empty() || !o.fetchSpooled.empty();
    if (!o.fetchSpooled.empty() && o.output.empty()) { // like kubectl cp: the name here
        const auto slash = o.fetchSpooled.rfind('/');
        o.output = slash == std::string::npos ? o.fetchSpooled : o.fetchSpooled.substr(slash + 1);
    }
    if (o.request.until_ns() && o.request.since_ns() && o.request.until_ns() <= o.request.since_ns()) {
        fail("--until must be later than --since");
        return std::nullopt;
    }
    if (!query && o.output.empty()) {
        fail("--output FILE (or - for standard output) is needed");
        usage(stderr);
        return std::nullopt;
    }
    if ((o.files.ringFiles || o.files.maxAgeMs) && !o.files.ringSize) {
        fail("--ring-files and --max-age need --ring-size (when to start a new file)");
        return std::nullopt;
    }
    if (!query && o.output == "-" && isatty(STDOUT_FILENO)) {
        fail("not writing pcapng to a terminal; redirect --output -");
        return std::nullopt;
    }
    if (o.allowUserspaceFilter && !o.request.metadata_filter().empty() && (o.files.ringSize || o.files.maxSize)) {
        fail("--allow-userspace-filter works on one file, not with --ring-size or --max-size");
        return std::nullopt;
    }
    o.files.path = o.output;
    o.files.holdsSecrets = o.request.tls_secrets() != pb::StartCapture::TLS_SECRETS_OFF;
    return o;
}

} // namespace ss::cli
