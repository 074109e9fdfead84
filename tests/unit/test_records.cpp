// SPDX-License-Identifier: GPL-2.0-or-later
// Our record formats: write → read → the fields users filter on hold the values written;
// real tool output imported; malformed records shown as malformed, never a crash.
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "display_filter.h"
#include "event_import.h"
#include "pcapng_writer.h"
#include "random_access.h"
#include "record_builder.h"
#include "test_support.h"

#include <cerrno>
#include <fstream>
#include <functional>
#include <map>

using namespace ss;

namespace {

struct Written {
    std::uint16_t linkType;
    std::vector<std::uint8_t> bytes;
};

std::string writeRecords(const std::string& name, const std::vector<Written>& records)
{
    const std::string path = scratchPath(name);
    PcapngWriter writer(path, "stratoshark tests");
    std::map<std::uint16_t, std::uint32_t> ifaces;
    std::uint64_t ts = 1700000000000000000ull;
    for (const auto& r : records) {
        if (!ifaces.count(r.linkType))
            ifaces[r.linkType] = writer.addInterface(r.linkType, 0x40000,
                                                     r.linkType == SS_LINKTYPE_SYSCALL ? "syscalls"
                                                     : r.linkType == SS_LINKTYPE_FLOW  ? "hubble"
                                                                                       : "security-events");
        writer.writePacket(ifaces[r.linkType], ts += 1000, r.bytes.data(), std::uint32_t(r.bytes.size()),
                           std::uint32_t(r.bytes.size()));
    }
    writer.close();
    return path;
}

// Frame numbers matching `filter`, and the Info column of every frame.
struct Reading {
    std::vector<std::uint32_t> matches;
    std::vector<std::string> info;
};

Reading readWith(const std::string& path, const std::string& filter)
{
    DisplayFilter::Error error;
    auto df = DisplayFilter::compile(filter, &error);
    INFO(filter << ": " << error.message);
    REQUIRE(df);
    RandomAccessCapture capture(testRuntime(), path);
    capture.firstPass();
    Reading r;
    RandomAccessCapture::Request request;
    request.filter = df->get();
    for (std::uint32_t n = 1; n <= capture.frameCount(); ++n)
        capture.dissect(n, request, [&](const RandomAccessCapture::Packet& p) {
            if (p.matched)
                r.matches.push_back(n);
            for (int i = 0; i < p.columns->num_cols; ++i)
                if (p.columns->columns[i].col_fmt == COL_INFO)
                    r.info.emplace_back(get_column_text(p.columns, i));
        });
    return r;
}

std::vector<std::uint8_t> syscallRecord(const char* name, std::int64_t ret, int err,
                                        const std::function<void(RecordBuilder&)>& args)
{
    RecordBuilder b(SS_KIND_SYSCALL);
    b.u32(SS_TAG_PID, 4242).u32(SS_TAG_TID, 4243).str(SS_TAG_COMM, "xmrig").str(SS_TAG_POD, "frontend-abc123")
        .str(SS_TAG_NAMESPACE, "shop").u32(SS_TAG_SC_CPU, 1).str(SS_TAG_SC_NAME, name)
        .u64(SS_TAG_SC_RET, std::uint64_t(ret)).u32(SS_TAG_SC_ERRNO, std::uint32_t(err)).u64(SS_TAG_SC_LATENCY, 1500);
    args(b);
    return b.bytes();
}

std::string syscallCapture()
{
    return writeRecords("syscalls.pcapng",
        {{SS_LINKTYPE_SYSCALL, syscallRecord("connect", -ECONNREFUSED, ECONNREFUSED, [](RecordBuilder& b) {
              b.u64(SS_TAG_SC_FD, 3).str(SS_TAG_SC_ADDR, "203.0.113.45:4444");
          })},
         {SS_LINKTYPE_SYSCALL, syscallRecord("mount", -EPERM, EPERM, [](RecordBuilder& b) {
              b.str(SS_TAG_SC_PATH, "none").str(SS_TAG_SC_PATH2, "/proc").str(SS_TAG_SC_FSTYPE, "proc");
          })},
         {SS_LINKTYPE_SYSCALL, syscallRecord("openat", 5, 0, [](RecordBuilder& b) {
              b.str(SS_TAG_SC_PATH, "/etc/passwd").str(SS_TAG_SC_FLAGS, "O_RDONLY|O_CLOEXEC");
          })}});
}

} // namespace

TEST_CASE("syscall records read back with a strace-like Info column")
{
    const Reading r = readWith(syscallCapture(), "syscall");
    REQUIRE(r.info.size() == 3);
    CHECK(r.info[0] == "xmrig[4242]: connect(3, 203.0.113.45:4444) = -1 ECONNREFUSED");
    CHECK(r.info[1] == "xmrig[4242]: mount(\"none\", \"/proc\", \"proc\") = -1 EPERM");
    CHECK(r.info[2] == "xmrig[4242]: openat(\"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 5");
    CHECK(r.matches == std::vector<std::uint32_t>{1, 2, 3});
}

TEST_CASE("the committed syscall fixture is what the writer writes today")
{
    // tests/fixtures/records/syscalls.pcapng is used by the plugin test; it must not drift.
    CHECK(readFile(syscallCapture()) == readFile(std::string(SS_SOURCE_DIR) + "/tests/fixtures/records/syscalls.pcapng"));
}

TEST_CASE("syscall fields filter as the issue's examples")
{
    const std::string path = syscallCapture();
    CHECK(readWith(path, "syscall.name == \"mount\" && syscall.ret < 0").matches == std::vector<std::uint32_t>{2});
    CHECK(readWith(path, "syscall.errno == \"ECONNREFUSED\"").matches == std::vector<std::uint32_t>{1});
    CHECK(readWith(path, "syscall.ret >= 0").matches == std::vector<std::uint32_t>{3});
    CHECK(readWith(path, "proc.name == \"xmrig\" && proc.pid == 4242").matches.size() == 3);
    CHECK(readWith(path, "k8s.pod == \"frontend-abc123\" && k8s.ns == \"shop\"").matches.size() == 3);
    CHECK(readWith(path, "syscall.latency == 1500 && syscall.cpu == 1").matches.size() == 3);
    CHECK(readWith(path, "syscall.failed").matches == std::vector<std::uint32_t>{1, 2}); // expert info
}

TEST_CASE("packets carrying process and pod comments filter by proc.* and k8s.*")
{
    // The bundled sample re-written with metadata comments on the TCP stream to port 9000,
    // as the capture helper writes them (docs/FORMAT.md §1).
    const std::string path = scratchPath("xmrig-tcp.pcapng");
    {
        auto in = CaptureFile::open(sampleCapture(), false);
        PcapngWriter writer(path, "stratoshark tests");
        const std::uint32_t iface = writer.addInterface(1, 262144, "lo");
        WtapRecord record;
        gint64 offset = 0;
        while (in->readNext(record, &offset)) {
            const auto* d = record.data();
            const auto& ph = record.rec()->rec_header.packet_header;
            const bool tcp9000 = ph.caplen >= 38 && d[12] == 0x08 && d[13] == 0x00 && d[23] == 6 &&
                                 ((d[34] << 8 | d[35]) == 9000 || (d[36] << 8 | d[37]) == 9000);
            std::vector<std::string> comments;
            if (tcp9000)
                comments = {"PID: 4242\nCmd: /usr/bin/xmrig\nArgs: xmrig -o pool.minexmr.com:4444",
                            "PodName: frontend-abc123\nPodNamespace: shop\nContainerId: 3ad7b26ded6d"};
            writer.writePacket(iface, std::uint64_t(record.rec()->ts.secs) * 1000000000ull + record.rec()->ts.nsecs, d,
                               ph.caplen, ph.len, comments);
            record.reset();
        }
        writer.close();
    }
    const auto expected = readWith(path, "tcp.port == 9000").matches;
    REQUIRE(expected.size() > 100);
    CHECK(readWith(path, "proc.name == \"xmrig\" && tcp").matches == expected);
    CHECK(readWith(path, "k8s.pod == \"frontend-abc123\"").matches == expected);
    CHECK(readWith(path, "container.id == \"3ad7b26ded6d\" && proc.pid == 4242").matches == expected);
    CHECK(readWith(path, "proc.name == \"xmrig\" && !tcp").matches.empty());
}

TEST_CASE("Hubble flows from real exports: verdicts, drop reasons, pods")
{
    std::vector<events::ImportedRecord> records;
    events::ImportReport report;
    REQUIRE(events::importEvents(std::string(SS_SOURCE_DIR) + "/tests/fixtures/hubble/cilium-docs-export-rst-dropped-flows.jsonl",
                              events::EventSource::Hubble, records, report));
    REQUIRE(events::importEvents(std::string(SS_SOURCE_DIR) + "/tests/fixtures/hubble/basic-sample-5-http-flows.jsonl",
                              events::EventSource::Hubble, records, report));
    CHECK(report.problems.empty());
    REQUIRE(records.size() == 7);
    std::vector<Written> w;
    for (auto& r : records)
        w.push_back({r.linkType, r.bytes});
    const std::string path = writeRecords("flows.pcapng", w);
    CHECK(readWith(path, "cilium.verdict == \"DROPPED\"").matches == std::vector<std::uint32_t>{1, 2});
    CHECK(readWith(path, "cilium.drop_reason == \"POLICY_DENIED\" && cilium.src.pod == \"xwing\"").matches.size() == 1);
    CHECK(readWith(path, "cilium.dropped").matches.size() == 2);
    CHECK(readWith(path, "cilium.http.method == \"GET\"").matches.size() >= 1);
    const Reading all = readWith(path, "cilium");
    CHECK(all.info[1] == "DROPPED default/xwing:44916 → default/deathstar-7848d6c4d5-th9v2:80 TCP [SYN] (POLICY_DENIED)");
}

TEST_CASE("Falco alerts and Tetragon events: rule, priority, process and pod")
{
    const std::string dir = std::string(SS_SOURCE_DIR) + "/tests/fixtures/";
    std::vector<events::ImportedRecord> records;
    events::ImportReport report;
    REQUIRE(events::importEvents(dir + "falco/falcosidekick-readme-payload.json", events::EventSource::Falco, records, report));
    REQUIRE(events::importEvents(dir + "falco/critical-alert.json", events::EventSource::Falco, records, report));
    REQUIRE(events::importEvents(dir + "tetragon/events.json", events::EventSource::Tetragon, records, report));
    REQUIRE(events::importEvents(dir + "tetragon/process_kprobe.json", events::EventSource::Tetragon, records, report));
    CHECK(report.problems.empty());
    REQUIRE(records.size() == 6);
    std::vector<Written> w;
    for (auto& r : records)
        w.push_back({r.linkType, r.bytes});
    const std::string path = writeRecords("security.pcapng", w);
    CHECK(readWith(path, "falco.priority == \"Critical\"").matches == std::vector<std::uint32_t>{2});
    CHECK(readWith(path, "falco.rule == \"Write below binary dir\" && proc.cmdline == \"touch /bin/hack\"").matches.size() == 1);
    CHECK(readWith(path, "falco.alert.error").matches.size() == 2); // Error and Critical: expert errors
    CHECK(readWith(path, "tetragon.binary == \"/starwars-docker\" && k8s.pod contains \"deathstar\"").matches.size() == 2);
    CHECK(readWith(path, "tetragon.function == \"__x64_sys_write\" && tetragon.kprobe.arg contains \"etc/passwd\"").matches.size() == 1);
    CHECK(readWith(path, "container.name == \"spaceship\"").matches.size() == 1);
}

TEST_CASE("malformed lines are counted with their line numbers and skipped")
{
    const std::string path = scratchPath("mixed.jsonl");
    writeFile(path, "{\"rule\":\"r\",\"priority\":\"Notice\",\"time\":\"2024-01-01T00:00:00Z\"}\n"
                    "not json at all\n"
                    "{\"rule\":\"no priority\"}\n"
                    "{\"rule\":\"r2\",\"priority\":\"Debug\",\"time\":\"2024-01-01T00:00:01.5Z\"}\n");
    std::vector<events::ImportedRecord> records;
    events::ImportReport report;
    REQUIRE(events::importEvents(path, events::EventSource::Falco, records, report));
    CHECK(records.size() == 2);
    REQUIRE(report.problems.size() == 2);
    CHECK(report.problems[0] == path + ":2: not valid JSON");
    CHECK(report.problems[1] == path + ":3: not a Falco alert (no rule or priority)");
    CHECK(records[1].timestampNs == 1704067201500000000ull);
}

TEST_CASE("malformed records are shown as malformed and never crash")
{
    auto good = syscallRecord("close", 0, 0, [](RecordBuilder& b) { b.u64(SS_TAG_SC_FD, 7); });
    auto shortRecord = std::vector<std::uint8_t>(good.begin(), good.begin() + 8);
    auto wrongVersion = good;
    wrongVersion[4] = 9;
    auto badMagic = good;
    badMagic[0] = 'X';
    auto lyingLength = good;
    lyingLength[8] = 0xff; // TLV length past the data
    lyingLength[9] = 0xff;
    auto lyingTlv = good;
    lyingTlv[SS_RECORD_HEADER_LEN + 2] = 0xf0; // first TLV claims ~61 KB
    auto wrongWidth = good;
    wrongWidth[SS_RECORD_HEADER_LEN + 2] = 3; // PID TLV with 3 bytes
    const std::string path = writeRecords("malformed.pcapng", {{SS_LINKTYPE_SYSCALL, shortRecord},
                                                               {SS_LINKTYPE_SYSCALL, wrongVersion},
                                                               {SS_LINKTYPE_SYSCALL, badMagic},
                                                               {SS_LINKTYPE_SYSCALL, lyingLength},
                                                               {SS_LINKTYPE_SYSCALL, lyingTlv},
                                                               {SS_LINKTYPE_SYSCALL, wrongWidth},
                                                               {SS_LINKTYPE_FLOW, shortRecord},
                                                               {SS_LINKTYPE_SECURITY, badMagic},
                                                               {SS_LINKTYPE_SYSCALL, good}});
    const Reading r = readWith(path, "ssrec.malformed");
    CHECK(r.matches == std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(r.info[8] == "xmrig[4242]: close(7) = 0");
}

TEST_CASE("pretty-printed documents: each problem named by the line its document starts on")
{
    const std::string alert = "{\n  \"rule\": \"r\",\n  \"priority\": \"Critical\",\n  \"output\": \"o\",\n"
                              "  \"time\": \"2024-01-01T00:00:00.000000000Z\"\n}\n";
    const std::string path = scratchPath("pretty.json");
    {
        std::ofstream f(path);
        for (int i = 0; i < 200; ++i) // lines 1–7, 8–14, … (6 lines and a blank one each): every 50th document is not an alert
            f << (i % 50 == 49 ? "{\n  \"x\": 1,\n  \"y\": 2,\n  \"z\": 3,\n  \"w\": 4\n}\n" : alert) << "\n";
    }
    std::vector<events::ImportedRecord> records;
    events::ImportReport report;
    REQUIRE(events::importEvents(path, events::EventSource::Falco, records, report));
    CHECK(records.size() == 196);
    REQUIRE(report.problems.size() == 4);
    for (int k = 0; k < 4; ++k) {
        const int doc = 50 * k + 49;
        CHECK(report.problems[size_t(k)].find(":" + std::to_string(doc * 7 + 1) + ": ") != std::string::npos);
    }
}

TEST_CASE("an imported event larger than a live source may send is a problem with its size, never parsed")
{
    const std::string alert = R"({"rule": "r", "priority": "Critical", "output": "o", "time": "2024-01-01T00:00:00.000000000Z"})";
    const std::string huge = R"({"rule": "big", "priority": "Critical", "output": ")" + std::string(3u << 20, 'x') + "\"}";
    for (const bool pretty : {false, true}) {
        const std::string path = scratchPath(pretty ? "huge-pretty.json" : "huge-lines.json");
        {
            std::ofstream f(path);
            const std::string sep = pretty ? "\n\n" : "\n";
            f << (pretty ? "{\n  \"rule\": \"r\", \"priority\": \"Critical\", \"output\": \"o\",\n  \"time\": "
                           "\"2024-01-01T00:00:00.000000000Z\"\n}"
                         : alert)
              << sep << huge << sep << alert << "\n";
        }
        std::vector<events::ImportedRecord> records;
        events::ImportReport report;
        REQUIRE(events::importEvents(path, events::EventSource::Falco, records, report));
        INFO(pretty);
        CHECK(records.size() == 2);
        REQUIRE(report.problems.size() == 1);
        CHECK(report.problems[0].find(pretty ? ":6: an event of " : ":2: an event of ") != std::string::npos);
        CHECK(report.problems[0].find("larger than " + std::to_string(events::kMaxEventBytes)) != std::string::npos);
    }
}

TEST_CASE("a record never grows past what wiretap reads back: values cut or left out are counted")
{
    RecordBuilder b(SS_KIND_FALCO);
    b.str(SS_TAG_SE_PRIORITY, "Critical").str(SS_TAG_SE_RULE, "huge outputs");
    for (int i = 0; i < 10; ++i) // 10 × 60 KB output fields: 600 KB of values
        b.str(SS_TAG_SE_OUTPUT, std::string(60000, char('a' + i)));
    b.u32(SS_TAG_PID, 7).str(SS_TAG_JSON, std::string(70000, '{')); // no room: left out; and cut at 65,535
    const auto& bytes = b.bytes();
    CHECK(bytes.size() <= SS_RECORD_MAX_LEN);
    CHECK(bytes.size() > SS_RECORD_MAX_LEN - 1024); // filled, not emptied
    CHECK(b.truncated() == 8);                       // 1 cut, 5 output fields, the PID and the JSON left out
    CHECK(b.bytes().size() == bytes.size());          // the flag is written once
    const std::string path = writeRecords("truncated.pcapng", {{SS_LINKTYPE_SECURITY, bytes}});
    const Reading r = readWith(path, "ssrec.truncated == 8 && falco.priority == \"Critical\"");
    CHECK(r.matches == std::vector<std::uint32_t>{1});
}

TEST_CASE("LINKTYPE_USERn frames are ours only on our interfaces (or with our magic): others' stay Wireshark's")
{
    auto good = syscallRecord("close", 0, 0, [](RecordBuilder& b) { b.u64(SS_TAG_SC_FD, 7); });
    auto badMagic = good;
    badMagic[0] = 'X';
    const std::string path = scratchPath("user-linktypes.pcapng");
    {
        PcapngWriter writer(path, "stratoshark tests");
        const std::uint32_t ours = writer.addInterface(SS_LINKTYPE_SYSCALL, 0x40000, "syscalls");
        const std::uint32_t theirs = writer.addInterface(SS_LINKTYPE_SYSCALL, 0x40000, "pktap0", "someone else's");
        std::uint64_t ts = 1700000000000000000ull;
        for (auto [iface, bytes] : {std::pair{ours, &badMagic}, std::pair{theirs, &badMagic}, std::pair{theirs, &good}})
            writer.writePacket(iface, ts += 1000, bytes->data(), std::uint32_t(bytes->size()), std::uint32_t(bytes->size()));
        writer.close();
    }
    // our interfaces carry the mark
    CHECK(readWith(path, "frame.interface_description == \"" SS_RECORD_IDB_PREFIX "syscalls\"").matches ==
          std::vector<std::uint32_t>{1});
    // on ours a damaged record is ours, malformed; elsewhere the same bytes go to Wireshark's
    // DLT_USER handling; a whole record of ours on another interface (a file written before
    // the mark) is still ours
    CHECK(readWith(path, "ssrec.malformed").matches == std::vector<std::uint32_t>{1});
    CHECK(readWith(path, "user_dlt").matches == std::vector<std::uint32_t>{2});
    CHECK(readWith(path, "syscall.name == \"close\"").matches == std::vector<std::uint32_t>{3});
}

TEST_CASE("JSON nesting is measured outside strings, before the recursive parser sees it")
{
    const std::string deep = std::string(65, '[') + std::string(65, ']');
    CHECK(events::nestedTooDeep(deep, 64));
    CHECK_FALSE(events::nestedTooDeep(deep, 65));
    CHECK_FALSE(events::nestedTooDeep("{\"a\": \"" + std::string(100, '[') + "\\\" [\"}", 2)); // brackets in a string
    events::LiveEvent event;
    std::string why;
    CHECK_FALSE(events::convertEvent(events::EventSource::Falco, "{\"o\": " + deep + "}", 0, &event, &why));
    CHECK(why == "nested deeper than 64 levels");
}

TEST_CASE("concatenated JSON documents are read one by one, however their brackets sit in strings")
{
    const std::string path = std::string(SS_BINARY_DIR) + "/concatenated-falco.json";
    std::ofstream(path) << R"({"rule": "A ]}", "priority": "Critical", "time": "2024-01-01T00:00:00Z", "output_fields": {}})"
                        << R"({"rule": "B {[", "priority": "Warning", "time": "2024-01-01T00:00:01Z", "output_fields": {}})";
    std::vector<events::ImportedRecord> records;
    events::ImportReport report;
    REQUIRE(events::importEvents(path, events::EventSource::Falco, records, report));
    REQUIRE(records.size() == 2);
    CHECK(records[0].fields.at("rule") == "A ]}");
    CHECK(records[1].fields.at("rule") == "B {[");
}
