// SPDX-License-Identifier: GPL-2.0-or-later
// stratoshark-extcap: Wireshark's extcap interface to our helpers, so that stock Wireshark
// and tshark 4.0 capture attributed packets (and, with our plugin, show proc.*, k8s.*).
// One extcap interface per capture target (capture_targets.h: the local helper, and the
// remote ones the GUI remembers):
//   --extcap-interfaces | --extcap-version[=V]
//   --extcap-dlts --extcap-interface IFACE
//   --extcap-config --extcap-interface IFACE
//   --extcap-capture-filter FILTER --extcap-interface IFACE   (empty output: valid)
//   --capture --extcap-interface IFACE --fifo PATH [--extcap-capture-filter FILTER]
//             [--helper ADDR] [--tls-ca F --tls-cert F --tls-key F] [--filter EXPR]
//             [--ebpf-filter EXPR] [--syscalls LIST] [--snaplen N] [--buffer-size MiB] [--interfaces a,b]
#include "capture_output.h"
#include "capture_run.h"
#include "capture_targets.h"
#include "helper_targets.h"

#include <getopt.h>
#include <pcap/pcap.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

namespace {

using namespace ss;
namespace pb = stratoshark::helper::v1;
constexpr const char* kPrefix = "stratoshark-";
std::atomic<bool> g_stop{false};

void onSignal(int)
{
    g_stop = true;
}

struct Options {
    std::string action, interface, fifo, captureFilter;
    std::string helper, filter, ebpfFilter, syscalls, interfaces;
    ipc::TlsFiles tls;
    unsigned long snaplen = 0;
    unsigned long bufferMib = 0; // 0: the helper's default (2 MiB)
};

std::optional<capture::CaptureTarget> targetOf(const std::string& interface)
{
    if (interface.rfind(kPrefix, 0) != 0)
        return std::nullopt;
    return capture::findTarget(capture::loadTargets(), interface.substr(std::strlen(kPrefix)));
}

void printVersion()
{
    std::printf("extcap {version=%s}{help=https://github.com/stratoshark}{display=Stratoshark eBPF capture}\n",
                PROJECT_VERSION);
}

void printInterfaces()
{
    printVersion();
    for (const capture::CaptureTarget& t : capture::loadTargets())
        std::printf("interface {value=%s%s}{display=Stratoshark: %s (%s, processes and pods)}\n", kPrefix, t.name.c_str(),
                    t.name == "local" ? "local helper" : t.name.c_str(), t.address.c_str());
}

// The arguments Wireshark shows in its interface options, named like the CLI's.
void printConfig(const capture::CaptureTarget& t)
{
    int n = 0;
    const auto arg = [&n](const char* call, const char* display, const char* tooltip, const char* type,
                          const std::string& extra) {
        std::printf("arg {number=%d}{call=%s}{display=%s}{tooltip=%s}{type=%s}%s\n", n++, call, display, tooltip, type,
                    extra.c_str());
    };
    const auto value = [](const std::string& v) { return v.empty() ? std::string() : "{default=" + v + "}"; };
    arg("--helper", "Helper", "unix:PATH or tls://HOST:PORT", "string",
        value(t.address) + "{validation=^(unix:/.+|/.+|tls://[^/]+:[0-9]+)$}{required=true}{group=Helper}");
    arg("--tls-ca", "TLS CA", "CA of the helper's certificate (tls://)", "fileselect",
        value(t.tls.ca) + "{mustexist=true}{group=Helper}");
    arg("--tls-cert", "TLS certificate", "Your client certificate (tls://)", "fileselect",
        value(t.tls.cert) + "{mustexist=true}{group=Helper}");
    arg("--tls-key", "TLS key", "Your client key (tls://)", "fileselect", value(t.tls.key) + "{mustexist=true}{group=Helper}");
    arg("--interfaces", "Interfaces", "The helper's interfaces, comma-separated (empty: every one that is up)", "string",
        "{validation=^[A-Za-z0-9_.:@-]*(,[A-Za-z0-9_.:@-]+)*$}{group=Capture}");
    arg("--filter", "Capture filter", "tcpdump syntax, run in the kernel", "string", "{group=Capture}");
    arg("--ebpf-filter", "eBPF filter", "k8s.pod == NAME, proc.name == curl, … run in the kernel", "string",
        "{group=Capture}");
    arg("--syscalls", "System calls", "none, default, all, or a list: connect,openat,execve", "string",
        "{default=none}{validation=^(none|default|all|[a-z0-9_]+(,[a-z0-9_]+)*)?$}{group=Capture}");
    arg("--snaplen", "Snap length", "Bytes kept of each packet (0: whole packets)", "integer",
        "{range=0,262144}{default=0}{group=Capture}");
    arg("--buffer-size", "Buffer size", "The kernel buffer in MiB, as dumpcap's -B", "integer",
        "{range=1,1024}{default=2}{group=Capture}");
}

// libpcap's verdict on a capture filter, as Wireshark asks for it: nothing when valid.
int validateFilter(const std::string& filter)
{
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 262144);
    bpf_program program{};
    if (filter.size() > 4096)
        std::printf("longer than 4096 characters\n");
    else if (pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        std::printf("%s\n", pcap_geterr(dead));
    else
        pcap_freecode(&program);
    pcap_close(dead);
    return 0;
}

int runCapture(const Options& o, const capture::CaptureTarget& target)
{
    ipc::TlsFiles tls = target.tls;
    for (auto [mine, given] : {std::pair{&tls.ca, &o.tls.ca}, {&tls.cert, &o.tls.cert}, {&tls.key, &o.tls.key}})
        if (!given->empty())
            *mine = *given;
    pb::StartCapture request;
    std::stringstream names(o.interfaces);
    for (std::string name; std::getline(names, name, ',');)
        if (!name.empty())
            request.add_interfaces(name);
    request.set_bpf_filter(o.filter.empty() ? o.captureFilter : o.filter);
    request.set_metadata_filter(o.ebpfFilter);
    request.set_syscalls(o.syscalls == "none" ? "" : o.syscalls);
    request.set_snaplen(std::uint32_t(o.snaplen));
    request.set_buffer_bytes(std::uint64_t(o.bufferMib) << 20);
    capture::CaptureOutput output({o.fifo});
    try {
        auto helpers = capture::connectHelpers({o.helper.empty() ? target.address : o.helper}, tls, "stratoshark-extcap");
        capture::CaptureRun run(std::move(helpers), [&](std::string_view blocks) { return output.write(blocks); });
        if (auto refused = run.start(request)) {
            std::fprintf(stderr, "%s\n", refused->what());
            return 1;
        }
        if (!output.open()) {
            std::fprintf(stderr, "%s\n", output.error().c_str());
            return 1;
        }
        // Wireshark stops an extcap with SIGTERM, and closes the fifo (EPIPE) when done.
        std::signal(SIGTERM, onSignal);
        std::signal(SIGINT, onSignal);
        std::signal(SIGPIPE, SIG_IGN);
        const bool complete = run.run(g_stop, false);
        output.close();
        return complete || g_stop ? 0 : 1;
    } catch (const ipc::HelperError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}

} // namespace

int main(int argc, char** argv)
{
    static const option kOptions[] = {{"extcap-interfaces", no_argument, nullptr, 'I'},
                                      {"extcap-version", optional_argument, nullptr, 'V'},
                                      {"extcap-dlts", no_argument, nullptr, 'D'},
                                      {"extcap-config", no_argument, nullptr, 'C'},
                                      {"extcap-interface", required_argument, nullptr, 'i'},
                                      {"extcap-capture-filter", required_argument, nullptr, 'f'},
                                      {"capture", no_argument, nullptr, 'c'},
                                      {"fifo", required_argument, nullptr, 'F'},
                                      {"helper", required_argument, nullptr, 'H'},
                                      {"tls-ca", required_argument, nullptr, 'a'},
                                      {"tls-cert", required_argument, nullptr, 'T'},
                                      {"tls-key", required_argument, nullptr, 'K'},
                                      {"filter", required_argument, nullptr, 'b'},
                                      {"ebpf-filter", required_argument, nullptr, 'e'},
                                      {"syscalls", required_argument, nullptr, 's'},
                                      {"snaplen", required_argument, nullptr, 'n'},
                                      {"buffer-size", required_argument, nullptr, 'B'},
                                      {"interfaces", required_argument, nullptr, 'x'},
                                      {nullptr, 0, nullptr, 0}};
    Options o;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 'I': o.action = "interfaces"; break;
        case 'V': if (o.action.empty()) o.action = "version"; break;
        case 'D': o.action = "dlts"; break;
        case 'C': o.action = "config"; break;
        case 'c': o.action = "capture"; break;
        case 'i': o.interface = optarg; break;
        case 'f': o.captureFilter = optarg; break;
        case 'F': o.fifo = optarg; break;
        case 'H': o.helper = optarg; break;
        case 'a': o.tls.ca = optarg; break;
        case 'T': o.tls.cert = optarg; break;
        case 'K': o.tls.key = optarg; break;
        case 'b': o.filter = optarg; break;
        case 'e': o.ebpfFilter = optarg; break;
        case 's': o.syscalls = optarg; break;
        case 'n': o.snaplen = std::strtoul(optarg, nullptr, 10); break;
        case 'B': o.bufferMib = std::strtoul(optarg, nullptr, 10); break;
        case 'x': o.interfaces = optarg; break;
        default:
            std::fprintf(stderr, "stratoshark-extcap: unknown option \"%s\"\n", argv[optind - 1]);
            return 1;
        }
    }
    if (o.action == "interfaces") {
        printInterfaces();
        return 0;
    }
    if (o.action == "version") {
        printVersion();
        return 0;
    }
    const auto target = targetOf(o.interface);
    if (!target) {
        std::fprintf(stderr, "stratoshark-extcap: no interface \"%s\" (see --extcap-interfaces)\n", o.interface.c_str());
        return 1;
    }
    if (o.action == "dlts") {
        std::printf("dlt {number=1}{name=EN10MB}{display=Ethernet, with processes and pods}\n");
        return 0;
    }
    if (o.action == "config") {
        printConfig(*target);
        return 0;
    }
    if (o.action == "capture") {
        if (o.fifo.empty()) {
            std::fprintf(stderr, "stratoshark-extcap: --capture needs --fifo\n");
            return 1;
        }
        if (o.snaplen > 262144) {
            std::fprintf(stderr, "stratoshark-extcap: --snaplen is 0 to 262144\n");
            return 1;
        }
        if (o.bufferMib > 1024) {
            std::fprintf(stderr, "stratoshark-extcap: --buffer-size is 1 to 1024 (MiB)\n");
            return 1;
        }
        return runCapture(o, *target);
    }
    if (!o.captureFilter.empty() || o.action.empty())
        return validateFilter(o.captureFilter);
    return 1;
}
