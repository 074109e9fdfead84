// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "helper.pb.h"
#include "pcapng_capture.h"

namespace ss::helper {

namespace pb = stratoshark::helper::v1;

// A request the helper will not carry out: a code for programs, words for people, and
// the request field at fault.
class Refusal : public std::runtime_error {
public:
    Refusal(pb::Error::Code code, const std::string& message, std::string field = {})
        : std::runtime_error(message), code_(code), field_(std::move(field))
    {
    }
    pb::Error::Code code() const { return code_; }
    const std::string& field() const { return field_; }

private:
    pb::Error::Code code_;
    std::string field_;
};

// What a client may ask for (docs/IPC.md). Everything is checked here, once, for both the
// socket and `stratoshark-helper capture`.
struct RequestLimits {
    static constexpr std::size_t kMaxInterfaces = 64;
    static constexpr std::uint32_t kDefaultSnaplen = 262144; // as tcpdump and dumpcap
    static constexpr std::uint64_t kMaxDurationMs = 366ull * 24 * 3600 * 1000;
    static constexpr std::size_t kMaxSyscallList = 4096;
    // The packet ring (StartCapture.buffer_bytes): dumpcap's default, bounded per request;
    // the helper bounds all of them together (BufferBudget).
    static constexpr std::uint64_t kDefaultBufferBytes = 2u << 20;
    static constexpr std::uint64_t kMinBufferBytes = 4096;
    static constexpr std::uint64_t kMaxBufferBytes = 1u << 30;
};

// What the helper brings to every capture: pod names, its node's name, the TLS port whose
// packets it never captures (its own stream to remote clients).
class FlightRecorder;

struct CaptureContext {
    std::shared_ptr<bpf::PodSource> pods;
    std::string nodeName;
    std::vector<bpf::ExcludedEndpoint> excluded;
    std::shared_ptr<sources::EventHub> events; // the node's live sources; null: none
    bool attachFlows = false;                  // one of them is Hubble
    FlightRecorder* recorder = nullptr;        // --flight-recorder; null: none
    // Whether a Unix-socket peer is the helper's own span companion (--otlp), which captures
    // as nobody even when no capture group exists; unset: none.
    std::function<bool(pid_t pid, uid_t uid)> isCompanion;
};

// A request checked and turned into what the capture takes.
struct CaptureSpec {
    bpf::PcapngCapture::Options options;
    std::uint64_t durationMs = 0;
    std::uint64_t sinceNs = 0, untilNs = 0; // a window served by the flight recorder (0: none)
    std::string bpfFilter, metadataFilter, syscalls; // as asked, for the log
    // The interfaces, "all up interfaces (…)" or names; for the log.
    std::string describe() const;
    // The kernel rings the capture pins while it runs: its packets', and the syscall
    // ring's when it records syscalls (what BufferBudget counts).
    std::uint64_t pinnedBytes() const;
};

// Throws Refusal.
CaptureSpec validateCapture(const pb::StartCapture& request, const CaptureContext& context);

// Client text (names, filters, the Hello's program name) for one log line: control
// characters shown as \n, \x01, …, cut at `max` bytes.
std::string printable(const std::string& text, std::size_t max = 512);

} // namespace ss::helper
