// SPDX-License-Identifier: GPL-2.0-or-later
// stratoshark-helper: the privileged capture backend.
//
//   stratoshark-helper [--socket PATH] [--group NAME] [--listen HOST:PORT --tls-cert FILE
//                      --tls-key FILE --client-ca FILE [--allow-client NAME]...]
//                      [--node-name NAME] [--k8s-metadata PODS] [--spool DIR ...] [-v]
//                      [--falco-listen HOST:PORT] [--tetragon ADDR] [--hubble ADDR]
//                      [--flight-recorder SIZE[,AGE]] [--triggers FILE] [--retention SPEC]
//       serves captures over the IPC socket and, with --listen, over TLS (docs/IPC.md);
//       with live sources, a flight recorder and trigger rules (docs/TRIGGERS.md);
//   stratoshark-helper capture [-i IFACE]... [--snaplen N] [--duration SEC] [--count N]
//                               [--syscalls LIST] [--filter EXPR] [--ebpf-filter EXPR] [--tls-secrets[=all]]
//                               [--k8s-metadata PODS] -w OUT.pcapng
//       captures directly into a file (for debugging the kernel side).
//   PODS: FILE | in-cluster | cri[:SOCKET] | none (pod_source.h)
#include "capture_output.h"
#include "capture_request.h"
#include "error.h"
#include "filter_compiler.h"
#include "helper_server.h"
#include "span_companion.h"
#include "ipc_framing.h"
#include "pcapng_capture.h"
#include "pcapng_writer.h"
#include "k8s_metadata.h"
#include "pod_source.h"
#include "privileges.h"
#include "read_file.h"
#include "stale_programs.h"
#include "trigger_rules.h"

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
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

// --node-name, else $NODE_NAME (the downward API's), else the host name.
std::string defaultNodeName()
{
    if (const char* env = std::getenv("NODE_NAME"); env && *env)
        return env;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    return host;
}

// Programs a killed helper left attached (stale_programs.h), removed before anything else.
void removeStale()
{
    for (const std::string& line : ss::bpf::removeStalePrograms())
        std::fprintf(stderr, "stratoshark-helper: removed a stale %s (left by a helper that died)\n", line.c_str());
}

// Everything that needs more than the kept capabilities is done by now (stale programs
// removed, the cgroup tree opened); no thread runs yet.
void restrict(const ss::helper::PrivilegeNeeds& needs, ss::helper::SyscallFilter filter)
{
    (void)ss::bpf::cgroup2Mount(); // may mount privately (CAP_SYS_ADMIN): before the drop
    ss::helper::restrictPrivileges(needs, filter);
}

bool syscallFilterOption(const char* text, ss::helper::SyscallFilter* filter)
{
    if (ss::helper::parseSyscallFilter(text, filter))
        return true;
    std::fprintf(stderr, "stratoshark-helper: --seccomp takes enforce, log or off, not \"%s\"\n", text);
    return false;
}

void usage(std::FILE* out)
{
    std::fputs(
        "Usage: stratoshark-helper [--socket PATH] [--group NAME] [--k8s-metadata PODS] [--node-name NAME]\n"
        "                          [--listen HOST:PORT --tls-cert FILE --tls-key FILE --client-ca FILE\n"
        "                           [--allow-client NAME]...]\n"
        "                          [--spool DIR [--spool-max-captures N] [--spool-max-duration SEC]\n"
        "                           [--spool-max-bytes N]] [--max-clients N] [--max-buffer-total SIZE] [-v]\n"
        "                          [--falco-listen HOST:PORT] [--tetragon unix:PATH|HOST:PORT]...\n"
        "                          [--hubble unix:PATH|HOST:PORT [--hubble-tls-ca FILE --hubble-tls-cert FILE\n"
        "                           --hubble-tls-key FILE [--hubble-tls-server-name NAME]]]...\n"
        "                          [--flight-recorder SIZE[,AGE]]\n"
        "                          [--recorder-syscalls LIST] [--triggers FILE] [--trigger-max-captures N]\n"
        "                          [--spool-quota SIZE] [--retention pcap=7d,flows=30d,alerts=90d]\n"
        "                          [--metrics HOST:PORT [--metrics-max-series N] [--metrics-grace SEC]\n"
        "                           [--metrics-labels source_namespace,source_pod,destination_namespace,...]]\n"
        "                          [--otlp URL [--otlp-metrics HOST:PORT] [--otlp-exporter PATH]]\n"
        "                          [--seccomp enforce|log|off]\n"
        "       stratoshark-helper capture [-i IFACE]... [--snaplen N] [--duration SEC]\n"
        "                                  [--count N] [--syscalls LIST|default|all|none] [--filter EXPR]\n"
        "                                  [--ebpf-filter EXPR] [--tls-secrets[=all]] [--k8s-metadata PODS] [--seccomp MODE]\n"
        "                                  [--ring-bytes N]\n"
        "                                  -w OUT.pcapng\n"
        "       stratoshark-helper check-triggers FILE   (the rules file as --triggers reads it)\n"
        "PODS (where pod names come from): FILE (kubectl get pods -A -o json), in-cluster,\n"
        "cri[:SOCKET] or none; by default in-cluster inside a cluster, else the CRI socket if any.\n"
        "--listen serves remote clients over TLS 1.3; each must present a certificate signed by\n"
        "--client-ca (and, with --allow-client, whose CN or DNS/URI SAN is one of those names).\n"
        "--falco-listen takes Falco's http_output and falcosidekick's webhook POSTs (HTTPS with\n"
        "--tls-cert/--tls-key unless given as http://HOST:PORT). --flight-recorder keeps the node's last SIZE bytes (and AGE: 30m,\n"
        "2h, 1d) of packets, syscalls and events in the spool; --triggers starts captures on alerts.\n"
        "--metrics serves Prometheus' /metrics (docs/METRICS.md): the node's traffic by pod, counted in\n"
        "the kernel; a gone pod's series leave after --metrics-grace seconds (300).\n"
        "--max-buffer-total bounds the kernel rings of all clients' captures together (1GiB; each\n"
        "capture's is its -B, 2 MiB by default).\n"
        "--otlp sends network spans of the node's traffic to an OpenTelemetry collector (docs/OTLP.md).\n"
        "Once started the helper keeps only the capabilities it needs and makes only the system calls\n"
        "on its list (--seccomp enforce); log allows the others and has the kernel log them\n"
        "(docs/RELIABILITY.md, \"Least privilege\").\n",
        out);
}

// A number option: digits only, within [min, max]; false after saying what is wrong.
bool number(const char* option, const char* text, unsigned long long min, unsigned long long max,
            unsigned long long* into)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long n = std::strtoull(text, &end, 10);
    if (!*text || *end || errno || n < min || n > max) {
        std::fprintf(stderr, "stratoshark-helper: %s takes a number from %llu to %llu, not \"%s\"\n", option, min, max,
                     text);
        return false;
    }
    *into = n;
    return true;
}

// --flight-recorder SIZE[,AGE]: "512MB", "2GiB,1h", "1G,30m"; AGE in s, m, h or d.
bool recorderSize(const char* text, ss::helper::NodeOptions* node)
{
    const std::string spec = text;
    const auto comma = spec.find(',');
    const auto size = ss::capture::CaptureOutput::parseSize(spec.substr(0, comma));
    std::optional<unsigned long long> age = 0;
    if (comma != std::string::npos) {
        const std::string a = spec.substr(comma + 1);
        char* end = nullptr;
        const unsigned long long n = std::strtoull(a.c_str(), &end, 10);
        const std::string unit = end ? end : "";
        const unsigned long long scale = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600
                                         : unit == "d"                  ? 86400
                                                                        : 0;
        age = end == a.c_str() || !scale || n == 0 || n > 366ull * 86400 / scale ? std::nullopt
                                                                                 : std::optional(n * scale);
    }
    if (!size || *size < (8u << 20) || !age) {
        std::fprintf(stderr, "stratoshark-helper: --flight-recorder takes SIZE[,AGE] with SIZE at least 8MB and AGE "
                             "such as 30m, 2h or 1d, not \"%s\"\n",
                     text);
        return false;
    }
    node->recorderBytes = *size;
    node->recorderAge = std::chrono::seconds(*age);
    return true;
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
                                      {"tls-secrets", optional_argument, nullptr, 'T'},
                                      {"k8s-metadata", required_argument, nullptr, 'k'},
                                      {"node-name", required_argument, nullptr, 'n'},
                                      {"seccomp", required_argument, nullptr, 'X'},
                                      {"help", no_argument, nullptr, 'h'},
                                      {nullptr, 0, nullptr, 0}};
    ss::helper::SyscallFilter syscallFilter = ss::helper::SyscallFilter::Enforce;
    namespace pb = stratoshark::helper::v1;
    pb::StartCapture request; // the same checks as a client's request
    std::string output, k8sMetadata, nodeName = defaultNodeName();
    unsigned long long value = 0;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "i:w:s:c:h", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 'i': request.add_interfaces(optarg); break;
        case 'w': output = optarg; break;
        case 's':
            if (!number("--snaplen", optarg, 1, SS_MAX_SNAPLEN, &value))
                return 1;
            request.set_snaplen(std::uint32_t(value));
            break;
        case 'd':
            if (!number("--duration", optarg, 0, ss::helper::RequestLimits::kMaxDurationMs / 1000, &value))
                return 1;
            request.set_duration_ms(value * 1000);
            break;
        case 'c':
            if (!number("--count", optarg, 0, ~0ull, &value))
                return 1;
            request.set_max_packets(value);
            break;
        case 'S': request.set_syscalls(optarg); break;
        case 'f': request.set_bpf_filter(optarg); break;
        case 'r':
            if (!number("--ring-bytes", optarg, 1, ~0ull, &value))
                return 1;
            request.set_buffer_bytes(value); // bounded by validateCapture, as a client's
            break;
        case 'e': request.set_metadata_filter(optarg); break;
        case 'T':
            if (optarg && std::strcmp(optarg, "all") != 0) {
                std::fprintf(stderr, "stratoshark-helper: --tls-secrets takes no value but \"all\"\n");
                return 1;
            }
            request.set_tls_secrets(optarg ? pb::StartCapture::TLS_SECRETS_ALL : pb::StartCapture::TLS_SECRETS_SELECTED);
            break;
        case 'k': k8sMetadata = optarg; break;
        case 'n': nodeName = optarg; break;
        case 'X':
            if (!syscallFilterOption(optarg, &syscallFilter))
                return 1;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (output.empty()) {
        std::fprintf(stderr, "stratoshark-helper: give -w OUT.pcapng\n");
        return 1;
    }
    removeStale();
    restrict({}, syscallFilter);
    ss::helper::CaptureSpec spec;
    try {
        ss::helper::CaptureContext context;
        context.pods = openPods(k8sMetadata);
        context.nodeName = nodeName;
        spec = ss::helper::validateCapture(request, context);
    } catch (const ss::helper::Refusal& r) {
        std::fprintf(stderr, "stratoshark-helper: %s\n", r.what());
        return 2;
    }
    ss::PcapngWriter writer(output, "Stratoshark helper (eBPF TC)");
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    ss::bpf::PcapngCapture capture(spec.options, writer);
    for (const std::string& warning : capture.unknownNames())
        std::fprintf(stderr, "stratoshark-helper: warning: %s\n", warning.c_str());
    std::fprintf(stderr, "stratoshark-helper: capturing on %s\n", spec.describe().c_str());
    const auto start = std::chrono::steady_clock::now();
    while (!g_stop && !capture.ended()) {
        capture.poll(20); // batched wake-ups: poll every 20 ms, then consume (notes §3)
        if (spec.durationMs && std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(spec.durationMs))
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
    if (!spec.options.syscalls.empty())
        std::fprintf(stderr, "stratoshark-helper: %llu syscall records written, %llu dropped\n",
                     static_cast<unsigned long long>(capture.records()),
                     static_cast<unsigned long long>(capture.syscallDrops()));
    if (spec.options.tlsSecrets)
        std::fprintf(stderr, "stratoshark-helper: %llu TLS secrets written\n",
                     static_cast<unsigned long long>(capture.tlsSecrets()));
    return 0;
}

int serve(int argc, char** argv)
{
    static const option kOptions[] = {{"socket", required_argument, nullptr, 's'},
                                      {"group", required_argument, nullptr, 'g'},
                                      {"foreground", no_argument, nullptr, 'f'},
                                      {"k8s-metadata", required_argument, nullptr, 'k'},
                                      {"spool", required_argument, nullptr, 'S'},
                                      {"spool-max-captures", required_argument, nullptr, 'C'},
                                      {"spool-max-duration", required_argument, nullptr, 'D'},
                                      {"spool-max-bytes", required_argument, nullptr, 'B'},
                                      {"listen", required_argument, nullptr, 'l'},
                                      {"tls-cert", required_argument, nullptr, 'c'},
                                      {"tls-key", required_argument, nullptr, 'K'},
                                      {"client-ca", required_argument, nullptr, 'a'},
                                      {"allow-client", required_argument, nullptr, 'A'},
                                      {"node-name", required_argument, nullptr, 'n'},
                                      {"max-clients", required_argument, nullptr, 'M'},
                                      {"max-buffer-total", required_argument, nullptr, 1021},
                                      {"falco-listen", required_argument, nullptr, 1000},
                                      {"tetragon", required_argument, nullptr, 1001},
                                      {"hubble", required_argument, nullptr, 1002},
                                      {"hubble-tls-ca", required_argument, nullptr, 1003},
                                      {"hubble-tls-cert", required_argument, nullptr, 1004},
                                      {"hubble-tls-key", required_argument, nullptr, 1005},
                                      {"flight-recorder", required_argument, nullptr, 1006},
                                      {"recorder-syscalls", required_argument, nullptr, 1007},
                                      {"triggers", required_argument, nullptr, 1008},
                                      {"trigger-max-captures", required_argument, nullptr, 1009},
                                      {"spool-quota", required_argument, nullptr, 1010},
                                      {"retention", required_argument, nullptr, 1011},
                                      {"hubble-tls-server-name", required_argument, nullptr, 1012},
                                      {"metrics", required_argument, nullptr, 1013},
                                      {"metrics-max-series", required_argument, nullptr, 1014},
                                      {"metrics-grace", required_argument, nullptr, 1015},
                                      {"otlp", required_argument, nullptr, 1016},
                                      {"metrics-labels", required_argument, nullptr, 1019},
                                      {"otlp-metrics", required_argument, nullptr, 1017},
                                      {"otlp-exporter", required_argument, nullptr, 1018},
                                      {"seccomp", required_argument, nullptr, 1020},
                                      {"help", no_argument, nullptr, 'h'},
                                      {nullptr, 0, nullptr, 0}};
    ss::helper::ServerOptions o;
    ss::helper::SyscallFilter syscallFilter = ss::helper::SyscallFilter::Enforce;
    o.socketPath = ss::ipc::kDefaultSocket;
    o.nodeName = defaultNodeName();
    std::string k8sMetadata;
    unsigned long long value = 0;
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "vh", kOptions, nullptr)) != -1) {
        switch (opt) {
        case 's': o.socketPath = optarg; break;
        case 'g': o.group = optarg; break;
        case 'f': break; // always in the foreground: systemd or the test supervises it
        case 'k': k8sMetadata = optarg; break;
        case 'v': o.verbose = true; break;
        case 'S': o.spoolDir = optarg; break;
        case 'C':
            if (!number("--spool-max-captures", optarg, 1, 64, &value))
                return 1;
            o.spoolLimits.captures = unsigned(value);
            break;
        case 'D':
            if (!number("--spool-max-duration", optarg, 1, 7 * 86400, &value))
                return 1;
            o.spoolLimits.duration = std::chrono::seconds(value);
            break;
        case 'B':
            if (!number("--spool-max-bytes", optarg, 1 << 20, 1ull << 40, &value))
                return 1;
            o.spoolLimits.bytes = value;
            break;
        case 'M':
            if (!number("--max-clients", optarg, 1, 1024, &value))
                return 1;
            o.limits.sessions = unsigned(value);
            break;
        case 'l': o.listen = optarg; break;
        case 'c': o.tls.cert = optarg; break;
        case 'K': o.tls.key = optarg; break;
        case 'a': o.tls.ca = optarg; break;
        case 'A': o.allowedClients.push_back(optarg); break;
        case 'n': o.nodeName = optarg; break;
        case 1000: o.node.falcoListen = optarg; break;
        case 1001: o.node.tetragon.push_back(optarg); break;
        case 1002: o.node.hubble.push_back(optarg); break;
        case 1003: o.node.hubbleTls.ca = optarg; break;
        case 1004: o.node.hubbleTls.cert = optarg; break;
        case 1005: o.node.hubbleTls.key = optarg; break;
        case 1012: o.node.hubbleTls.serverName = optarg; break;
        case 1013: o.node.metricsListen = optarg; break;
        case 1014: {
            unsigned long long n = 0;
            if (!number("--metrics-max-series", optarg, 1, 1000000, &n))
                return 1;
            o.node.metricsMaxSeries = n;
            break;
        }
        case 1015: {
            unsigned long long n = 0;
            if (!number("--metrics-grace", optarg, 0, 86400, &n))
                return 1;
            o.node.metricsGrace = std::chrono::seconds(n);
            break;
        }
        case 1016: o.node.otlpEndpoint = optarg; break;
        case 1019: {
            std::string list = optarg;
            const auto& known = ss::helper::HelperMetrics::flowLabelNames();
            for (std::size_t start = 0; start <= list.size();) {
                const std::size_t comma = std::min(list.find(',', start), list.size());
                const std::string label = list.substr(start, comma - start);
                if (std::find(known.begin(), known.end(), label) == known.end()) {
                    std::fprintf(stderr, "stratoshark-helper: --metrics-labels takes source_namespace, source_pod, "
                                         "destination_namespace, destination_pod (comma-separated), not \"%s\"\n",
                                 label.c_str());
                    return 1;
                }
                if (std::find(o.node.metricsLabels.begin(), o.node.metricsLabels.end(), label) ==
                    o.node.metricsLabels.end())
                    o.node.metricsLabels.push_back(label);
                start = comma + 1;
            }
            break;
        }
        case 1017: o.node.otlpMetrics = optarg; break;
        case 1018: o.node.otlpProgram = optarg; break;
        case 1020:
            if (!syscallFilterOption(optarg, &syscallFilter))
                return 1;
            break;
        case 1006:
            if (!recorderSize(optarg, &o.node))
                return 1;
            break;
        case 1007: o.node.recorderSyscalls = optarg; break;
        case 1008: o.node.triggersFile = optarg; break;
        case 1009:
            if (!number("--trigger-max-captures", optarg, 1, 64, &value))
                return 1;
            o.node.triggerLimits.maxCaptures = unsigned(value);
            break;
        case 1021: {
            const auto size = ss::capture::CaptureOutput::parseSize(optarg);
            if (!size || *size < (1u << 20)) {
                std::fprintf(stderr, "stratoshark-helper: --max-buffer-total takes a size of at least 1MB, not \"%s\"\n",
                             optarg);
                return 1;
            }
            o.limits.bufferBytes = *size;
            break;
        }
        case 1010: {
            const auto size = ss::capture::CaptureOutput::parseSize(optarg);
            if (!size || *size < (1u << 20)) {
                std::fprintf(stderr, "stratoshark-helper: --spool-quota takes a size of at least 1MB, not \"%s\"\n", optarg);
                return 1;
            }
            o.node.triggerLimits.spoolQuota = *size;
            break;
        }
        case 1011: {
            std::string why;
            const auto rules = ss::helper::parseRetention(optarg, &why);
            if (!rules) {
                std::fprintf(stderr, "stratoshark-helper: --retention %s\n", why.c_str());
                return 1;
            }
            o.node.retention = *rules;
            break;
        }
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if ((o.node.recorderBytes || !o.node.triggersFile.empty()) && o.spoolDir.empty()) {
        std::fprintf(stderr, "stratoshark-helper: --flight-recorder and --triggers write into the spool: give --spool DIR\n");
        return 1;
    }
    // --falco-listen [http://|https://]HOST:PORT: HTTPS with the helper's own certificate,
    // by default when it has one; http:// keeps it plain (Falco on the same node).
    const std::string& falco = o.node.falcoListen;
    const bool plain = falco.starts_with("http://"), secure = falco.starts_with("https://");
    if (plain || secure)
        o.node.falcoListen = falco.substr(falco.find("//") + 2);
    if (secure && (o.tls.cert.empty() || o.tls.key.empty())) {
        std::fprintf(stderr, "stratoshark-helper: --falco-listen https://… needs --tls-cert and --tls-key\n");
        return 1;
    }
    if (!o.node.falcoListen.empty() && !plain && !o.tls.cert.empty())
        o.node.falcoTls.cert = o.tls.cert, o.node.falcoTls.key = o.tls.key;
    if (!o.listen.empty() && (o.tls.cert.empty() || o.tls.key.empty() || o.tls.ca.empty())) {
        std::fprintf(stderr, "stratoshark-helper: --listen needs --tls-cert, --tls-key and --client-ca (clients must "
                             "present a certificate; plain TCP is never served)\n");
        return 1;
    }
    if (!o.spoolDir.empty()) { // the helper's own folder: root's, readable by the group
        if (mkdir(o.spoolDir.c_str(), 0750) != 0 && errno != EEXIST)
            throw ss::EngineError("create spool folder", o.spoolDir, std::strerror(errno));
        struct stat st {};
        if (lstat(o.spoolDir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0)
            throw ss::EngineError("use spool folder", o.spoolDir, "not a folder owned by root");
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGPIPE, SIG_IGN);
    removeStale();
    restrict({.startsCompanion = !o.node.otlpEndpoint.empty()}, syscallFilter);
    o.pods = openPods(k8sMetadata); // a bad file is refused now, not at the first capture
    if (!o.node.otlpEndpoint.empty() && o.node.otlpProgram.empty()) {
        char self[4096];
        const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        o.node.otlpProgram = ss::helper::SpanCompanion::findProgram(n > 0 ? std::string(self, std::size_t(n)) : "");
    } else if (o.node.otlpProgram.find('/') != std::string::npos) { // the companion starts in "/"
        char* absolute = realpath(o.node.otlpProgram.c_str(), nullptr);
        if (!absolute)
            throw ss::EngineError("find --otlp-exporter", o.node.otlpProgram, std::strerror(errno));
        o.node.otlpProgram = absolute;
        std::free(absolute);
    }
    const std::string listen = o.listen, socketPath = o.socketPath, group = o.group, node = o.nodeName;
    ss::helper::HelperServer server(std::move(o));
    std::fprintf(stderr, "stratoshark-helper: node %s, listening on %s (group %s)%s\n", node.c_str(),
                 socketPath.c_str(), group.c_str(), listen.empty() ? "" : (" and on " + listen + " (TLS)").c_str());
    server.run(g_stop);
    std::fprintf(stderr, "stratoshark-helper: stopped\n");
    return 0;
}

} // namespace

namespace {

// `check-triggers FILE`: what --triggers would say of it, without privileges (a ConfigMap
// checked before it is applied). 0 and the rules' names, or 1 and the line and reason.
int checkTriggers(int argc, char** argv)
{
    if (argc != 2) {
        std::fputs("Usage: stratoshark-helper check-triggers FILE\n", stderr);
        return 1;
    }
    const auto text = ss::readSmallFile(argv[1], 4u << 20);
    if (!text) {
        std::fprintf(stderr, "stratoshark-helper: cannot read %s: %s\n", argv[1], std::strerror(errno));
        return 1;
    }
    try {
        const auto rules = ss::helper::parseTriggerRules(*text);
        std::printf("%s: %zu rules\n", argv[1], rules.size());
        for (const auto& r : rules)
            std::printf("  %s (line %d): %s, %lld s before, %lld s after\n", r.name.c_str(), r.line,
                        r.tetragon ? ("Tetragon " + (r.tetragonEvent.empty() ? std::string("event") : r.tetragonEvent) +
                                      (r.tetragonBinary.empty() ? "" : " of " + r.tetragonBinary))
                                         .c_str()
                                   : ("Falco" + (r.falcoRule.empty() ? std::string() : " rule \"" + r.falcoRule + "\""))
                                         .c_str(),
                        static_cast<long long>(r.pre.count()), static_cast<long long>(r.duration.count()));
        return 0;
    } catch (const ss::helper::TriggerFileError& e) {
        std::fprintf(stderr, "stratoshark-helper: %s: %s\n", argv[1], e.what());
        return 1;
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "check-triggers") == 0)
        return checkTriggers(argc - 1, argv + 1);
    if (argc >= 2 && std::strcmp(argv[1], "compile-filter") == 0)
        return ss::bpf::compileFilterChild(); // the bounded libpcap compiler (filter_compiler.h)
    ss::bpf::rememberOwnProgram();
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
