// SPDX-License-Identifier: GPL-2.0-or-later
// stratoshark-helper: the privileged capture backend.
//
//   stratoshark-helper [--socket PATH] [--group NAME] [--k8s-metadata PODS] [--spool DIR]
//                      [--foreground] [-v]
//       serves captures over the IPC socket (docs/IPC.md) to `stratoshark capture`;
//   stratoshark-helper capture [-i IFACE]... [--snaplen N] [--duration SEC] [--count N]
//                               [--syscalls LIST] [--filter EXPR] [--ebpf-filter EXPR]
//                               [--k8s-metadata PODS] -w OUT.pcapng
//       captures directly into a file (for debugging the kernel side).
//   PODS: FILE | in-cluster | cri[:SOCKET] | none (pod_source.h)
#include "error.h"
#include "helper_server.h"
#include "interfaces.h"
#include "ipc_framing.h"
#include "pod_source.h"
#include "pcapng_capture.h"
#include "pcapng_writer.h"

#include <getopt.h>
#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

std::atomic<bool> g_stop{false}; // set by SIGINT/SIGTERM only

void onSignal(int)
{
    g_stop = true;
}

int libbpfPrint(libbpf_print_level level, const char* format, va_list args)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    // The kernel's note that a clsact qdisc exists already: expected, we attach to it.
    if (std::strstr(format, "Kernel error message") && args && level == LIBBPF_WARN) {
        va_list copy;
        va_copy(copy, args);
        char text[256];
        std::vsnprintf(text, sizeof text, format, copy);
        va_end(copy);
        if (std::strstr(text, "Exclusivity flag on"))
            return 0;
    }
    return std::vfprintf(stderr, format, args);
}

// Where pod names come from (--k8s-metadata), said once on stderr. Throws EngineError.
std::shared_ptr<ss::bpf::PodSource> openPods(const std::string& spec)
{
    auto pods = ss::bpf::PodSource::open(spec);
    if (pods)
        std::fprintf(stderr, "stratoshark-helper: pod names from %s\n", pods->origin().c_str());
    return pods;
}

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark-helper [--socket PATH] [--group NAME] [--k8s-metadata PODS] [--spool DIR]\n"
               "                          [--foreground] [-v]\n"
               "       stratoshark-helper capture [-i IFACE]... [--snaplen N] [--duration SEC]\n"
               "                                  [--count N] [--syscalls LIST|default|all|none] [--filter EXPR]\n"
               "                                  [--ebpf-filter EXPR] [--k8s-metadata PODS] -w OUT.pcapng\n"
               "PODS (where pod names come from): FILE (kubectl get pods -A -o json), in-cluster,\n"
               "cri[:SOCKET] or none; by default in-cluster inside a cluster, else the CRI socket if any.\n",
               out);
}

int capture(int argc, char** argv)
{
    static const option kOptions[] = {{"snaplen", required_argument, nullptr, 's'},
                                      {"duration", required_argument, nullptr, 'd'},
                                      {"count", required_argument, nullptr, 'c'},
                                      {"syscalls", required_argument, nullptr, 'S'},
                                      {"filter", required_argument, nullptr, 'f'},
                                      {"ring-bytes", required_argument, nullptr, 'r'},
                                      {"ebpf-filter", required_argument, nullptr, 'e'},
                                      {"k8s-metadata", required_argument, nullptr, 'k'},
                                      {"help", no_argument, nullptr, 'h'},
                                      {nullptr, 0, nullptr, 0}};
    std::vector<ss::bpf::PacketCapturer::Interface> interfaces;
    std::string output;
    unsigned long snaplen = 262, duration = 0, count = 0;
    std::string syscallList = "none";
    std::string filter, ebpfFilter, k8sMetadata;
    unsigned long ringBytes = 0;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "i:w:s:c:h", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 'i': {
            const unsigned index = if_nametoindex(optarg);
            if (!index) {
                std::fprintf(stderr, "stratoshark-helper: no interface \"%s\": %s\n", optarg, std::strerror(errno));
                return 1;
            }
            interfaces.push_back({optarg, int(index)});
            break;
        }
        case 'w': output = optarg; break;
        case 's': snaplen = std::strtoul(optarg, nullptr, 10); break;
        case 'd': duration = std::strtoul(optarg, nullptr, 10); break;
        case 'c': count = std::strtoul(optarg, nullptr, 10); break;
        case 'S': syscallList = optarg; break;
        case 'f': filter = optarg; break;
        case 'r': ringBytes = std::strtoul(optarg, nullptr, 10); break;
        case 'e': ebpfFilter = optarg; break;
        case 'k': k8sMetadata = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (output.empty() || snaplen == 0 || snaplen > SS_MAX_SNAPLEN) {
        std::fprintf(stderr, "stratoshark-helper: give -w OUT; --snaplen is 1..%d\n", SS_MAX_SNAPLEN);
        return 1;
    }
    for (const auto& i : interfaces)
        if (!ss::bpf::ethernetFramed(i.name)) {
            std::fprintf(stderr, "stratoshark-helper: interface \"%s\" does not carry Ethernet frames\n", i.name.c_str());
            return 1;
        }
    const bool allInterfaces = interfaces.empty(); // and those that come up during the capture
    if (allInterfaces)
        interfaces = ss::bpf::upInterfaces();

    const auto pods = openPods(k8sMetadata);
    ss::PcapngWriter writer(output, "Stratoshark helper (eBPF TC)");
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    ss::bpf::PcapngCapture capture({interfaces, std::uint32_t(snaplen), count,
                                    ss::bpf::SyscallCapturer::parseList(syscallList),
                                    filter.empty() ? std::vector<ss::bpf::ClassicInsn>{}
                                                   : ss::bpf::compileTcpdumpFilter(filter),
                                    std::uint32_t(ringBytes), ebpfFilter, pods, allInterfaces},
                                   writer);
    std::fprintf(stderr, "stratoshark-helper: capturing on %zu interface(s)%s\n", interfaces.size(),
                 allInterfaces ? " and those that come up" : "");
    const auto start = std::chrono::steady_clock::now();
    while (!g_stop && !capture.countReached()) {
        capture.poll(20); // batched wake-ups: poll every 20 ms, then consume (notes §3)
        if (duration && std::chrono::steady_clock::now() - start >= std::chrono::seconds(duration))
            break;
        writer.flush();
    }
    capture.finish();
    const auto stats = capture.kernelStats();
    const std::uint64_t written = capture.packets();
    writer.close();
    std::fprintf(stderr, "stratoshark-helper: %llu packets written, %llu seen by the kernel programs, %llu dropped\n",
                 static_cast<unsigned long long>(written), static_cast<unsigned long long>(stats.seen),
                 static_cast<unsigned long long>(stats.ringbufDrops));
    if (!syscallList.empty() && syscallList != "none")
        std::fprintf(stderr, "stratoshark-helper: %llu syscall records written, %llu dropped\n",
                     static_cast<unsigned long long>(capture.records()),
                     static_cast<unsigned long long>(capture.syscallDrops()));
    return 0;
}

int serve(int argc, char** argv)
{
    static const option kOptions[] = {{"socket", required_argument, nullptr, 's'},
                                      {"group", required_argument, nullptr, 'g'},
                                      {"foreground", no_argument, nullptr, 'f'},
                                      {"k8s-metadata", required_argument, nullptr, 'k'},
                                      {"spool", required_argument, nullptr, 'S'},
                                      {"help", no_argument, nullptr, 'h'},
                                      {nullptr, 0, nullptr, 0}};
    std::string socketPath = ss::ipc::kDefaultSocket, group = "stratoshark", k8sMetadata, spool;
    bool verbose = false;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "vh", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 's': socketPath = optarg; break;
        case 'g': group = optarg; break;
        case 'f': break; // always in the foreground: systemd or the test supervises it
        case 'k': k8sMetadata = optarg; break;
        case 'v': verbose = true; break;
        case 'S': spool = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (!spool.empty()) { // the helper's own folder: root's, readable by the group
        if (mkdir(spool.c_str(), 0750) != 0 && errno != EEXIST)
            throw ss::EngineError("create spool folder", spool, std::strerror(errno));
        struct stat st {};
        if (lstat(spool.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0)
            throw ss::EngineError("use spool folder", spool, "not a folder owned by root");
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGPIPE, SIG_IGN);
    const auto pods = openPods(k8sMetadata); // a bad file is refused now, not at the first capture
    ss::helper::HelperServer server(socketPath, group, pods, verbose, spool);
    std::fprintf(stderr, "stratoshark-helper: listening on %s (group %s)\n", socketPath.c_str(), group.c_str());
    server.run(g_stop);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    libbpf_set_print(libbpfPrint);
    try {
        if (argc >= 2 && std::strcmp(argv[1], "capture") == 0)
            return capture(argc - 1, argv + 1);
        return serve(argc, argv);
    } catch (const ss::EngineError& e) {
        std::fprintf(stderr, "stratoshark-helper: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
}
