// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace ss::cli {

enum class OutputFormat { Text, Fields, Json, JsonRaw, Ek, Pdml, Psml };

// What `stratoshark` was asked to do, parsed from tshark-compatible arguments before
// libwireshark is initialised. Nothing here touches epan.
struct ReadOptions {
    std::string readFile;              // -r
    std::string readFilter;            // -R (needs -2)
    std::string displayFilter;         // -Y, or trailing arguments
    bool twoPass = false;              // -2
    long maxPackets = 0;               // -c
    std::string writeFile;             // -w

    OutputFormat format = OutputFormat::Text; // -T
    bool formatGiven = false;
    std::string delimiter = " ";       // -T tabs
    bool printPacketInfo = false;
    bool printSummary = false;
    bool printDetails = false;         // -V, or implied by -T
    bool printHex = false;             // -x
    bool quiet = false;                // -q
    bool lineBuffered = false;         // -l
    std::string separator;             // -S
    std::string outputOnly;            // -O
    std::vector<std::string> fields;        // -e
    std::vector<std::string> fieldOptions;  // -E
    std::vector<std::string> preferences;   // -o
    std::vector<std::string> statistics;    // -z
    std::vector<std::string> disabledProtocols; // --disable-protocol
    std::vector<std::string> enabledProtocols;  // --enable-protocol
    std::string exportTlsKeys;              // --export-tls-keys: the file's TLS secrets as a key log

    // Live capture through the helpers (-i, -D), as tshark's capture options.
    struct Live {
        std::vector<std::string> interfaces;    // -i (names, or numbers from -D)
        std::string captureFilter;              // -f, or trailing words with -i
        std::uint32_t snaplen = 0;              // -s (0: whole packets)
        std::uint64_t bufferBytes = 0;          // -B MiB (0: the helper's default, 2 MiB, as tshark's)
        std::uint64_t durationMs = 0;           // -a duration:SEC
        std::uint64_t packets = 0;              // -c, -a packets:N
        std::uint64_t filesizeKb = 0;           // -a filesize:KB (with -w)
        bool printWhileWriting = false;         // -P
        std::vector<std::string> helpers;       // --helper (else $STRATOSHARK_HELPER, the local socket)
        std::string tlsCa, tlsCert, tlsKey;     // --tls-ca/--tls-cert/--tls-key (or STRATOSHARK_TLS_*)
        std::string tlsServerName;              // --tls-server-name
        std::string ebpfFilter, syscalls;       // --ebpf-filter, --syscalls
    } live;
    bool isLive() const { return !live.interfaces.empty(); }

    bool disableNameResolution = false;     // -n
    std::optional<std::string> nameResolveFlags; // -N
    std::optional<std::string> timeFormat;  // -t
    std::optional<std::string> secondsFormat; // -u
};

enum class Action { Read, Help, Version, Report, ListInterfaces };

struct ParsedArgs {
    Action action = Action::Read;
    ReadOptions read;
    std::string report;   // -G argument
    int exitCode = 0;     // non-zero: parsing failed; the message was printed
    bool failed() const { return exitCode != 0; }
};

// Parses argv; prints errors (to stderr) in tshark's words and sets exitCode on failure.
ParsedArgs parseArguments(int argc, char** argv);

void printUsage(std::FILE* out);

} // namespace ss::cli
