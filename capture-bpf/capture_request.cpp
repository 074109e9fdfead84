// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_request.h"

#include "tls_secrets.h"

#include "ebpf_filter.h"
#include "error.h"
#include "filter_compiler.h"
#include "interfaces.h"
#include "packet_capture.h"
#include "syscall_capture.h"
#include "wall_clock.h"

#include <net/if.h>

#include <bit>
#include <cstdio>
#include <regex>

namespace ss::helper {
namespace {

std::vector<bpf::PacketCapturer::Interface> checkInterfaces(const pb::StartCapture& request)
{
    if (std::size_t(request.interfaces_size()) > RequestLimits::kMaxInterfaces)
        throw Refusal(pb::Error::BAD_REQUEST,
                      "name at most " + std::to_string(RequestLimits::kMaxInterfaces) +
                          " interfaces (or none: all that are up)",
                      "interfaces");
    std::vector<bpf::PacketCapturer::Interface> out;
    for (const std::string& name : request.interfaces()) {
        // An embedded NUL would make "lo\0x" mean "lo" to the kernel.
        const bool wellFormed = !name.empty() && name.size() < IF_NAMESIZE && name.find('\0') == std::string::npos;
        const unsigned index = wellFormed ? if_nametoindex(name.c_str()) : 0;
        if (!index)
            throw Refusal(pb::Error::NO_SUCH_INTERFACE, "no interface \"" + printable(name, 64) + "\" on the helper's host",
                          "interfaces");
        if (!bpf::ethernetFramed(name))
            throw Refusal(pb::Error::UNSUPPORTED,
                          "interface \"" + name + "\" does not carry Ethernet frames (only Ethernet-framed devices "
                          "and lo are captured yet)",
                          "interfaces");
        for (const auto& earlier : out)
            if (earlier.ifindex == int(index))
                throw Refusal(pb::Error::BAD_REQUEST, "interface \"" + name + "\" named twice", "interfaces");
        out.push_back({name, int(index)});
    }
    return out;
}

} // namespace

std::string printable(const std::string& text, std::size_t max)
{
    std::string out;
    for (const char c : text) {
        if (out.size() >= max) {
            out += "…";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (u < 0x20 || u == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", u);
            out += escaped;
        } else
            out += c;
    }
    return out;
}

std::string CaptureSpec::describe() const
{
    std::string names;
    for (const auto& i : options.interfaces)
        names += (names.empty() ? "" : ",") + i.name;
    std::string text = options.addNewInterfaces ? "all up interfaces (" + names + ")" : names;
    if (!bpfFilter.empty())
        text += ", filter \"" + printable(bpfFilter) + "\"";
    if (!metadataFilter.empty())
        text += ", ebpf-filter \"" + printable(metadataFilter) + "\"";
    if (!options.syscalls.empty())
        text += ", syscalls " + printable(syscalls, 200);
    if (options.tlsSecrets) // the log says who asked for secrets (never the secrets)
        text += metadataFilter.empty() ? ", TLS secrets of every process" : ", TLS secrets of the processes selected";
    text += ", snaplen " + std::to_string(options.snaplen);
    text += ", buffer " + (options.ringBytes >= (1u << 20) ? std::to_string(options.ringBytes >> 20) + " MiB"
                                                           : std::to_string(options.ringBytes >> 10) + " KiB");
    if (sinceNs)
        text += ", from the flight recorder since " + std::to_string(sinceNs) + " ns" +
                (untilNs ? " until " + std::to_string(untilNs) + " ns" : std::string());
    return text;
}

std::uint64_t CaptureSpec::pinnedBytes() const
{
    return options.ringBytes + (options.syscalls.empty() ? 0 : SS_SC_RINGBUF_BYTES) +
           (options.tlsSecrets ? SS_TLS_RINGBUF_BYTES : 0);
}

namespace {

std::uint64_t bufferBytes(std::uint64_t asked)
{
    if (!asked)
        return RequestLimits::kDefaultBufferBytes;
    if (asked < RequestLimits::kMinBufferBytes || asked > RequestLimits::kMaxBufferBytes)
        throw Refusal(pb::Error::BAD_REQUEST, "a buffer of 4 KiB to 1 GiB (0: 2 MiB)", "buffer_bytes");
    return std::bit_ceil(asked); // a BPF ring is a power of two
}

} // namespace

CaptureSpec validateCapture(const pb::StartCapture& request, const CaptureContext& context)
{
    CaptureSpec spec;
    bpf::PcapngCapture::Options& o = spec.options;
    o.interfaces = checkInterfaces(request);
    o.addNewInterfaces = o.interfaces.empty(); // and those that come up during the capture
    if (o.addNewInterfaces)
        o.interfaces = bpf::upInterfaces();

    o.snaplen = request.snaplen() ? request.snaplen() : RequestLimits::kDefaultSnaplen;
    if (o.snaplen > SS_MAX_SNAPLEN)
        throw Refusal(pb::Error::BAD_REQUEST, "snaplen is 1 to " + std::to_string(SS_MAX_SNAPLEN) + " (0: whole packets)",
                      "snaplen");
    if (request.duration_ms() > RequestLimits::kMaxDurationMs)
        throw Refusal(pb::Error::BAD_REQUEST, "a duration of at most 366 days (0: until stopped)", "duration_ms");
    spec.durationMs = request.duration_ms();
    o.maxPackets = request.max_packets();
    o.ringBytes = std::uint32_t(bufferBytes(request.buffer_bytes()));

    spec.syscalls = request.syscalls();
    if (spec.syscalls.size() > RequestLimits::kMaxSyscallList)
        throw Refusal(pb::Error::BAD_REQUEST, "the syscall list is too long", "syscalls");
    try {
        o.syscalls = bpf::SyscallCapturer::parseList(spec.syscalls.empty() ? "none" : spec.syscalls);
    } catch (const EngineError& e) {
        throw Refusal(pb::Error::BAD_REQUEST, "--syscalls: \"" + printable(e.object(), 64) + "\" is " + e.what(),
                      "syscalls");
    }

    spec.bpfFilter = request.bpf_filter();
    if (!spec.bpfFilter.empty()) {
        try {
            o.filter = bpf::compileTcpdumpFilterBounded(spec.bpfFilter);
        } catch (const EngineError& e) {
            // The seed's own mistake: a time window written as a capture filter.
            const bool looksLikeTime = std::regex_search(spec.bpfFilter, std::regex(R"(\d{4}-\d{2}-\d{2}|\btime\b)"));
            throw Refusal(pb::Error::BAD_FILTER,
                          "--filter \"" + printable(e.object(), 200) + "\": " + e.what() +
                              (looksLikeTime ? " (a time window is --since and --until, not a capture filter)" : ""),
                          "bpf_filter");
        }
    }

    spec.metadataFilter = request.metadata_filter();
    if (!spec.metadataFilter.empty()) {
        try {
            const bpf::EbpfFilter parsed(spec.metadataFilter);
            if (parsed.needsPods() && !context.pods)
                throw Refusal(pb::Error::UNSUPPORTED,
                              "--ebpf-filter: k8s.pod and k8s.ns need pod names, and this helper has none (start it "
                              "with --k8s-metadata FILE or in-cluster)",
                              "metadata_filter");
        } catch (const bpf::FieldNotInKernel& e) {
            throw Refusal(pb::Error::FILTER_NOT_IN_KERNEL, std::string("--ebpf-filter: ") + e.what(), "metadata_filter");
        } catch (const EngineError& e) {
            throw Refusal(pb::Error::BAD_FILTER, std::string("--ebpf-filter: ") + e.what(), "metadata_filter");
        }
        o.ebpfFilter = spec.metadataFilter;
    }
    switch (request.tls_secrets()) {
    case pb::StartCapture::TLS_SECRETS_OFF: break;
    case pb::StartCapture::TLS_SECRETS_SELECTED:
        if (spec.metadataFilter.empty())
            throw Refusal(pb::Error::BAD_REQUEST,
                          "--tls-secrets takes the secrets of the processes --ebpf-filter selects: give one, or "
                          "--tls-secrets=all for every process's",
                          "tls_secrets");
        o.tlsSecrets = true;
        break;
    case pb::StartCapture::TLS_SECRETS_ALL: o.tlsSecrets = true; break;
    default: throw Refusal(pb::Error::BAD_REQUEST, "tls_secrets is OFF, SELECTED or ALL", "tls_secrets");
    }
    o.pods = context.pods;
    o.nodeName = context.nodeName;
    o.excluded = context.excluded;
    o.events = context.events;
    o.attachFlows = context.attachFlows;

    spec.sinceNs = request.since_ns();
    spec.untilNs = request.until_ns();
    if (spec.sinceNs || spec.untilNs) {
        const std::uint64_t now = wallClockNs();
        if (!spec.sinceNs) // only an end: a live capture until then
            spec.sinceNs = now;
        if (!context.recorder)
            throw Refusal(pb::Error::UNSUPPORTED,
                          "--since/--until: this helper keeps no flight recorder (start it with --flight-recorder "
                          "SIZE[,AGE])",
                          "since_ns");
        if (spec.untilNs && spec.untilNs <= spec.sinceNs)
            throw Refusal(pb::Error::BAD_REQUEST, "--until must be later than --since", "until_ns");
        if (spec.sinceNs > now + 1'000'000'000)
            throw Refusal(pb::Error::BAD_REQUEST, "--since is in the future", "since_ns");
        if (spec.untilNs && spec.untilNs - spec.sinceNs > RequestLimits::kMaxDurationMs * 1'000'000)
            throw Refusal(pb::Error::BAD_REQUEST, "a window of at most 366 days", "until_ns");
        if (o.tlsSecrets)
            throw Refusal(pb::Error::UNSUPPORTED,
                          "--tls-secrets: the flight recorder keeps no TLS secrets (capture live, without --since)",
                          "tls_secrets");
    }
    return spec;
}

} // namespace ss::helper
