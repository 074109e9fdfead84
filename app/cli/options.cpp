// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <getopt.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ss::cli {
namespace {

constexpr int kInvalidOption = 1; // tshark's INVALID_OPTION

enum LongOption {
    kDisableProtocol = 0x1000,
    kEnableProtocol,
    kHelper,
    kTlsCa,
    kTlsCert,
    kTlsKey,
    kTlsServerName,
    kEbpfFilter,
    kSyscalls,
    kExportTlsKeys,
};

const option kLongOptions[] = {
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'v'},
    {"read-file", required_argument, nullptr, 'r'},
    {"read-filter", required_argument, nullptr, 'R'},
    {"display-filter", required_argument, nullptr, 'Y'},
    {"disable-protocol", required_argument, nullptr, kDisableProtocol},
    {"enable-protocol", required_argument, nullptr, kEnableProtocol},
    {"interface", required_argument, nullptr, 'i'},
    {"list-interfaces", no_argument, nullptr, 'D'},
    {"autostop", required_argument, nullptr, 'a'},
    {"snapshot-length", required_argument, nullptr, 's'},
    {"helper", required_argument, nullptr, kHelper},
    {"tls-ca", required_argument, nullptr, kTlsCa},
    {"tls-cert", required_argument, nullptr, kTlsCert},
    {"tls-key", required_argument, nullptr, kTlsKey},
    {"tls-server-name", required_argument, nullptr, kTlsServerName},
    {"ebpf-filter", required_argument, nullptr, kEbpfFilter},
    {"syscalls", required_argument, nullptr, kSyscalls},
    {"export-tls-keys", required_argument, nullptr, kExportTlsKeys},
    {nullptr, 0, nullptr, 0},
};

constexpr const char* kShortOptions = "+2a:B:c:De:E:f:G:hi:lnN:o:O:PqQr:R:s:S:t:T:u:vVw:xY:z:";

void error(const char* text, const char* arg = nullptr)
{
    std::fprintf(stderr, "stratoshark: ");
    std::fprintf(stderr, text, arg);
    std::fputc('\n', stderr);
}

// -T: sets the format and what it implies for summary/details, as tshark does.
bool setFormat(ReadOptions& r, const char* name)
{
    r.printPacketInfo = true;
    const std::string n = name;
    if (n == "text") {
        r.format = OutputFormat::Text;
    } else if (n == "tabs") {
        r.format = OutputFormat::Text;
        r.delimiter = "\t";
    } else if (n == "pdml") {
        r.format = OutputFormat::Pdml;
        r.printDetails = true;
        r.printSummary = false;
    } else if (n == "psml") {
        r.format = OutputFormat::Psml;
        r.printDetails = false;
        r.printSummary = true;
    } else if (n == "fields") {
        r.format = OutputFormat::Fields;
        r.printDetails = true;
        r.printSummary = false;
    } else if (n == "json") {
        r.format = OutputFormat::Json;
        r.printDetails = true;
        r.printSummary = false;
    } else if (n == "jsonraw") {
        r.format = OutputFormat::JsonRaw;
        r.printDetails = true;
        r.printSummary = false;
    } else if (n == "ek") {
        r.format = OutputFormat::Ek;
        if (!r.printSummary)
            r.printDetails = true;
    } else {
        error("Invalid -T parameter \"%s\"; it must be one of:", name);
        std::fprintf(stderr, "\t\"ek\"      Newline delimited JSON format\n"
                             "\t\"fields\"  The values of fields specified with the -e option\n"
                             "\t\"json\"    JSON file format\n"
                             "\t\"jsonraw\" JSON file format including only raw hex-encoded fields\n"
                             "\t\"pdml\"    Packet Details Markup Language\n"
                             "\t\"psml\"    Packet Summary Markup Language\n"
                             "\t\"tabs\"    Text output with tabs as separators\n"
                             "\t\"text\"    Text output\n");
        return false;
    }
    r.formatGiven = true;
    return true;
}

// -a duration:SEC | packets:N | filesize:KB, as tshark (a live capture's autostop conditions).
bool parseAutostop(ReadOptions::Live& live, const std::string& text)
{
    const auto colon = text.find(':');
    const std::string key = text.substr(0, colon);
    const std::string value = colon == std::string::npos ? "" : text.substr(colon + 1);
    char* end = nullptr;
    const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (value.empty() || *end || value[0] == '-' || n == 0) {
        error("Invalid or unknown -a flag \"%s\"", text.c_str());
        return false;
    }
    if (key == "duration" && n <= 366ull * 86400)
        live.durationMs = n * 1000;
    else if (key == "packets")
        live.packets = n;
    else if (key == "filesize")
        live.filesizeKb = n;
    else {
        error("Invalid or unknown -a flag \"%s\"", text.c_str());
        return false;
    }
    return true;
}

bool parseCount(const char* text, long* out)
{
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (!*text || *end || value <= 0)
        return false;
    *out = value;
    return true;
}

} // namespace

ParsedArgs parseArguments(int argc, char** argv)
{
    ParsedArgs parsed;
    ReadOptions& r = parsed.read;
    auto fail = [&parsed]() {
        parsed.exitCode = kInvalidOption;
        return parsed;
    };

    // tshark treats "-G" specially: it must come first, its report name is optional.
    if (argc >= 2 && std::strcmp(argv[1], "-G") == 0) {
        parsed.action = Action::Report;
        parsed.report = argc >= 3 ? argv[2] : "fields";
        return parsed;
    }

    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, kShortOptions, kLongOptions, nullptr)) != -1) {
        switch (opt) {
        case '2': r.twoPass = true; break;
        case 'c':
            if (!parseCount(optarg, &r.maxPackets)) {
                error("The specified packet count \"%s\" isn't a valid positive integer", optarg);
                return fail();
            }
            break;
        case 'a':
            if (!parseAutostop(r.live, optarg))
                return fail();
            break;
        case 'D': parsed.action = Action::ListInterfaces; break;
        case 'f': r.live.captureFilter = optarg; break;
        case 'i': r.live.interfaces.emplace_back(optarg); break;
        case 'P': r.live.printWhileWriting = true; break;
        case 's': {
            char* end = nullptr;
            const unsigned long n = std::strtoul(optarg, &end, 10);
            if (!*optarg || *end || n > 262144) {
                error("The specified snapshot length \"%s\" isn't a valid number from 0 to 262144", optarg);
                return fail();
            }
            r.live.snaplen = std::uint32_t(n);
            break;
        }
        case 'B': { // MiB, as tshark's -B
            char* end = nullptr;
            errno = 0;
            const unsigned long n = std::strtoul(optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-' || errno) {
                error("The specified buffer size \"%s\" isn't a decimal number", optarg);
                return fail();
            }
            if (n == 0 || n > 1024) {
                error("The specified buffer size \"%s\" is not 1 to 1024 (MiB)", optarg);
                return fail();
            }
            r.live.bufferBytes = std::uint64_t(n) << 20;
            break;
        }
        case kHelper: r.live.helpers.emplace_back(optarg); break;
        case kTlsCa: r.live.tlsCa = optarg; break;
        case kTlsCert: r.live.tlsCert = optarg; break;
        case kTlsKey: r.live.tlsKey = optarg; break;
        case kTlsServerName: r.live.tlsServerName = optarg; break;
        case kEbpfFilter: r.live.ebpfFilter = optarg; break;
        case kSyscalls: r.live.syscalls = optarg; break;
        case kExportTlsKeys: r.exportTlsKeys = optarg; break;
        case 'e': r.fields.emplace_back(optarg); break;
        case 'E': r.fieldOptions.emplace_back(optarg); break;
        case 'G':
            error("-G must be the first option: stratoshark -G [report]");
            return fail();
        case 'h': parsed.action = Action::Help; return parsed;
        case 'l': r.lineBuffered = true; break;
        case 'n': r.disableNameResolution = true; break;
        case 'N': r.nameResolveFlags = optarg; break;
        case 'o': r.preferences.emplace_back(optarg); break;
        case 'O':
            r.outputOnly = optarg;
            r.printDetails = true;
            r.printPacketInfo = true;
            break;
        case 'q': r.quiet = true; break;
        case 'Q': r.quiet = true; break;
        case 'r': r.readFile = optarg; break;
        case 'R': r.readFilter = optarg; break;
        case 'S': r.separator = optarg; break;
        case 't': r.timeFormat = optarg; break;
        case 'T':
            if (r.formatGiven) {
                error("Multiple -T parameters are unsupported");
                return fail();
            }
            if (!setFormat(r, optarg))
                return fail();
            break;
        case 'u': r.secondsFormat = optarg; break;
        case 'v': parsed.action = Action::Version; return parsed;
        case 'V':
            r.printDetails = true;
            r.printPacketInfo = true;
            break;
        case 'w': r.writeFile = optarg; break;
        case 'x':
            r.printHex = true;
            r.printPacketInfo = true;
            break;
        case 'Y': r.displayFilter = optarg; break;
        case 'z': r.statistics.emplace_back(optarg); break;
        case kDisableProtocol: r.disabledProtocols.emplace_back(optarg); break;
        case kEnableProtocol: r.enabledProtocols.emplace_back(optarg); break;
        case ':':
            error("option requires an argument -- '%s'", argv[optind - 1]);
            printUsage(stderr);
            return fail();
        default:
            if (optopt)
                std::fprintf(stderr, "stratoshark: invalid option -- '%c'\n", optopt);
            else
                error("unrecognized option: %s", argv[optind - 1]);
            printUsage(stderr);
            return fail();
        }
    }

    if (parsed.action == Action::ListInterfaces)
        return parsed;
    if (r.isLive()) {
        if (!r.readFile.empty()) {
            error("Only read from one of a capture file (-r) or live interfaces (-i)");
            return fail();
        }
        if (!r.exportTlsKeys.empty()) {
            error("--export-tls-keys reads the secrets of a capture file (-r)");
            return fail();
        }
        // Trailing words are a capture filter when capturing (as tshark).
        if (optind < argc) {
            if (!r.live.captureFilter.empty()) {
                error("Capture filters were specified both with \"-f\" and with additional command-line arguments.");
                return fail();
            }
            for (int i = optind; i < argc; ++i)
                r.live.captureFilter += (i > optind ? " " : "") + std::string(argv[i]);
            optind = argc;
        }
        if (r.maxPackets) { // -c stops the capture after so many packets
            r.live.packets = std::uint64_t(r.maxPackets);
            r.maxPackets = 0;
        }
        if (!r.writeFile.empty() && (!r.displayFilter.empty() || !r.readFilter.empty())) {
            error(r.displayFilter.empty() ? "Read filters aren't supported when capturing and saving the captured packets."
                                          : "Display filters aren't supported when capturing and saving the captured packets.");
            return fail();
        }
        if (r.live.filesizeKb && r.writeFile.empty()) {
            error("A maximum capture file size was specified, but the capture isn't being saved to a file.");
            return fail();
        }
    }

    // Trailing words are a display filter when reading a file (as tshark).
    // `stratoshark FILE` (the GUI's form): one word naming an existing file, no -r.
    if (r.readFile.empty() && optind == argc - 1 && access(argv[optind], F_OK) == 0) {
        r.readFile = argv[optind];
        ++optind;
    }
    if (optind < argc) {
        if (r.readFile.empty()) {
            error("capture filters apply to live capture: use \"stratoshark capture --filter\"");
            return fail();
        }
        if (!r.displayFilter.empty()) {
            error("Display filters were specified both with \"-Y\" and with additional command-line arguments.");
            return fail();
        }
        for (int i = optind; i < argc; ++i) {
            if (i > optind)
                r.displayFilter += ' ';
            r.displayFilter += argv[i];
        }
    }

    if (!r.formatGiven)
        r.format = OutputFormat::Text;
    if (!r.printSummary && !r.printDetails && !r.printHex)
        r.printSummary = true;

    const bool fieldsCapable = r.format == OutputFormat::Fields || r.format == OutputFormat::Pdml ||
                               r.format == OutputFormat::Json || r.format == OutputFormat::Ek;
    if (!fieldsCapable && !r.fields.empty()) {
        error("Output fields were specified with \"-e\", but \"-Tek, -Tfields, -Tjson or -Tpdml\" was not specified.");
        return fail();
    }
    if (r.format == OutputFormat::Fields && r.fields.empty()) {
        error("\"-Tfields\" was specified, but no fields were specified with \"-e\".");
        return fail();
    }
    if (r.writeFile.empty() || (r.isLive() && r.live.printWhileWriting && r.writeFile != "-")) {
        if (!r.quiet)
            r.printPacketInfo = true;
    } else if (r.writeFile == "-" && r.printPacketInfo) {
        error("You can't write both raw packet data and dissected packets to the standard output.");
        return fail();
    }
    if (r.printHex && r.format != OutputFormat::Text && r.format != OutputFormat::Json &&
        r.format != OutputFormat::JsonRaw && r.format != OutputFormat::Ek) {
        error("Raw packet hex data can only be printed as text, PostScript, JSON, JSONRAW or EK JSON");
        return fail();
    }
    if (!r.readFilter.empty() && !r.twoPass) {
        error("-R without -2 is deprecated. For single-pass filtering use -Y.");
        return fail();
    }
    if (r.readFile.empty() && !r.isLive()) {
        error("no capture file given: use -r FILE, or -i IFACE to capture (-D lists the interfaces)");
        return fail();
    }
    return parsed;
}

void printUsage(std::FILE* out)
{
    std::fputs(
        "Usage: stratoshark [options] [-r FILE] [display filter]\n"
        "       stratoshark capture [capture options]   (live capture through the helper)\n"
        "\n"
        "Capture interface (through stratoshark-helper; docs/IPC.md):\n"
        "  -i <interface>, --interface <interface>  name or idx of interface (repeatable)\n"
        "  -f <capture filter>      packet filter in libpcap filter syntax\n"
        "  -s <snaplen>             packet snapshot length (def: 262144)\n"
        "  -B <buffer size>         size of kernel buffer in MiB (def: 2MiB)\n"
        "  -D, --list-interfaces    print list of interfaces and exit\n"
        "  -a <autostop cond.> ...  duration:NUM, packets:NUM, filesize:NUM (kB)\n"
        "  -P                       print packets while writing them with -w\n"
        "  --helper unix:PATH|tls://HOST:PORT  the helper(s) to capture with (repeatable)\n"
        "  --tls-ca, --tls-cert, --tls-key <file>, --tls-server-name <name>  for tls:// helpers\n"
        "  --ebpf-filter <expr>     process/pod filter run in the kernel (k8s.pod == NAME, …)\n"
        "  --syscalls <list>        also record these system calls (default, all, connect,openat, …)\n"
        "\n"
        "Input file:\n"
        "  -r <infile>, --read-file <infile>  set the filename to read from\n"
        "  --export-tls-keys <file> write the file's TLS secrets (its Decryption Secrets Blocks)\n"
        "                           to <file> as a key log (SSLKEYLOGFILE), then read as usual\n"
        "\n"
        "Processing:\n"
        "  -2                       perform a two-pass analysis\n"
        "  -R <read filter>         packet Read filter in display filter syntax (requires -2)\n"
        "  -Y <display filter>      packet displaY filter in display filter syntax\n"
        "  -c <packet count>        stop after n packets (captured, when capturing)\n"
        "  -n                       disable all name resolutions\n"
        "  -N <name resolve flags>  enable specific name resolution(s): \"mnNtdv\"\n"
        "  --enable-protocol <proto>, --disable-protocol <proto>\n"
        "\n"
        "Output:\n"
        "  -w <outfile|->           write packets to a pcapng-format file named \"outfile\"\n"
        "  -V                       add output of packet tree        (Packet Details)\n"
        "  -O <protocols>           only show packet details of these protocols\n"
        "  -S <separator>           the line separator to print between packets\n"
        "  -x                       add output of hex and ASCII dump (Packet Bytes)\n"
        "  -T pdml|psml|json|jsonraw|ek|tabs|text|fields\n"
        "                           format of text output (def: text)\n"
        "  -e <field>               field to print if -Tfields selected (repeatable)\n"
        "  -E<fieldsoption>=<value> bom, header, separator, occurrence, aggregator, quote\n"
        "  -t a|ad|adoy|d|dd|e|r|u|ud|udoy  output format of time stamps (def: r)\n"
        "  -u s|hms                 output format of seconds\n"
        "  -l                       flush standard output after each packet\n"
        "  -q                       be more quiet on stdout (e.g. when using statistics)\n"
        "  -z conv,eth|ip|ipv6|tcp|udp[,filter]\n"
        "  -z follow,tcp|udp|tls|http,ascii|hex|raw|yaml,<stream>[,range]\n"
        "\n"
        "Miscellaneous:\n"
        "  -h, --help               display this help and exit\n"
        "  -v, --version            display version info and exit\n"
        "  -o <name>:<value> ...    override preference setting\n"
        "  -G [fields|protocols]    dump a report and exit (must be the first option)\n",
        out);
}

} // namespace ss::cli
