// SPDX-License-Identifier: GPL-2.0-or-later
// The helper's protocol without a kernel: framing, helper addresses, the one place requests
// are checked, and the spool's names and bounds.
#include <catch2/catch.hpp>

#include "tls_secrets.h"

#include "buffer_budget.h"
#include "capture_request.h"
#include "endpoint.h"
#include "filter_compiler.h"
#include "helper.pb.h"
#include "ipc_framing.h"
#include "spool.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace pb = stratoshark::helper::v1;
using namespace ss;

TEST_CASE("frames: whole messages out of pieces, a length over the limit refused before its body")
{
    auto [a, b] = ipc::channelPair();
    pb::Request hello;
    hello.mutable_hello()->set_protocol_version(ipc::kProtocolVersion);
    hello.mutable_hello()->set_client("test");
    const std::string bytes = ipc::frame(hello) + ipc::frame(hello);
    ipc::FrameReader reader(ipc::kMaxRequestBytes);
    pb::Request got;
    for (std::size_t i = 0; i < bytes.size(); ++i) { // a byte at a time
        std::size_t n = 0;
        REQUIRE(a.writeSome(bytes.data() + i, 1, &n) == ipc::Channel::Io::Done);
        REQUIRE(reader.fill(b) == ipc::ReadResult::Ok);
        if (i + 1 < bytes.size() / 2)
            CHECK(reader.next(got) == ipc::ReadResult::Timeout);
    }
    CHECK(reader.next(got) == ipc::ReadResult::Ok);
    CHECK(got.hello().client() == "test");
    CHECK(reader.next(got) == ipc::ReadResult::Ok);
    CHECK(reader.next(got) == ipc::ReadResult::Timeout);

    const char huge[4] = {char(0xff), char(0xff), char(0xff), char(0x7f)};
    std::size_t n = 0;
    a.writeSome(huge, 4, &n);
    CHECK(reader.fill(b) == ipc::ReadResult::TooLarge);
}

TEST_CASE("a blocking read gives up at its deadline, a closed peer is Closed")
{
    auto [a, b] = ipc::channelPair();
    pb::Request r;
    const auto start = ipc::Clock::now();
    CHECK(ipc::readMessage(b, r, 1024, ipc::after(std::chrono::milliseconds(200))) == ipc::ReadResult::Timeout);
    CHECK(ipc::Clock::now() - start < std::chrono::seconds(2));
    { auto gone = std::move(a); }
    CHECK(ipc::readMessage(b, r, 1024, ipc::after(std::chrono::milliseconds(200))) == ipc::ReadResult::Closed);
}

TEST_CASE("a writer that is not read from queues, never blocks, and hands back what was not begun")
{
    auto [a, b] = ipc::channelPair();
    ipc::FrameWriter out;
    pb::Response r;
    r.mutable_data()->set_pcapng(std::string(100000, 'x'));
    for (int i = 0; i < 50; ++i)
        out.push(ipc::frame(r));
    CHECK(out.flush(a) == ipc::Channel::Io::WouldBlock);
    CHECK(out.pendingBytes() > 0);
    const std::size_t queued = out.pendingBytes();
    const auto unsent = out.takeUnsent();
    CHECK(!unsent.empty());
    CHECK(out.pendingBytes() < queued);
    CHECK(out.pendingBytes() <= 100010); // at most the frame that had begun
}

TEST_CASE("helper addresses")
{
    std::string error;
    auto e = ipc::parseEndpoint("tls://node-a:7443", &error);
    REQUIRE(e);
    CHECK((e->kind == ipc::Endpoint::Kind::Tls && e->host == "node-a" && e->port == "7443"));
    e = ipc::parseEndpoint("tls://[fd00::1]:7443", &error);
    REQUIRE(e);
    CHECK((e->host == "fd00::1" && e->text() == "[fd00::1]:7443"));
    e = ipc::parseEndpoint("unix:/run/stratoshark/helper.sock", &error);
    REQUIRE(e);
    CHECK(e->path == "/run/stratoshark/helper.sock");
    CHECK(ipc::parseEndpoint("/run/x.sock", &error));
    CHECK_FALSE(ipc::parseEndpoint("node-a:7443", &error));
    CHECK_FALSE(ipc::parseEndpoint("tls://node-a", &error));
    CHECK_FALSE(ipc::parseEndpoint("tls://node-a:99999", &error));
    CHECK_FALSE(ipc::parseEndpoint("unix:" + std::string(200, 'x'), &error));
}

namespace {

helper::Refusal refusalOf(const pb::StartCapture& request)
{
    try {
        helper::validateCapture(request, {});
    } catch (const helper::Refusal& r) {
        return r;
    }
    return helper::Refusal(pb::Error::UNSPECIFIED, "accepted");
}

} // namespace

TEST_CASE("requests are checked in one place, each refusal has its code and field")
{
    pb::StartCapture ok;
    ok.add_interfaces("lo");
    const helper::CaptureSpec spec = helper::validateCapture(ok, {});
    CHECK(spec.options.snaplen == 262144); // whole packets, as tcpdump and dumpcap
    CHECK_FALSE(spec.options.addNewInterfaces);

    pb::StartCapture r = ok;
    r.set_interfaces(0, std::string("lo\0x", 4));
    CHECK(refusalOf(r).code() == pb::Error::NO_SUCH_INTERFACE);
    r = ok;
    r.add_interfaces("lo");
    CHECK(refusalOf(r).code() == pb::Error::BAD_REQUEST); // named twice
    r = ok;
    r.set_duration_ms(std::uint64_t(1) << 63);
    CHECK(refusalOf(r).code() == pb::Error::BAD_REQUEST);
    CHECK(refusalOf(r).field() == "duration_ms");
    r = ok;
    r.set_snaplen(262145);
    CHECK(refusalOf(r).field() == "snaplen");
    r = ok;
    r.set_syscalls("connect,nosuchcall");
    CHECK(refusalOf(r).field() == "syscalls");
    r = ok;
    r.set_metadata_filter("proc.name == curl && tcp.port == 80");
    CHECK(refusalOf(r).code() == pb::Error::FILTER_NOT_IN_KERNEL);
    r = ok;
    r.set_metadata_filter("proc.name == ");
    CHECK(refusalOf(r).code() == pb::Error::BAD_FILTER);
    r = ok;
    r.set_metadata_filter("k8s.pod == web");
    CHECK(refusalOf(r).code() == pb::Error::UNSUPPORTED); // no pod names on this helper
    r = ok;
    r.set_bpf_filter(std::string(5000, ' ') + "tcp");
    CHECK(refusalOf(r).code() == pb::Error::BAD_FILTER);
    for (int i = 0; i < 65; ++i)
        r.add_interfaces("lo");
    CHECK(refusalOf(r).field() == "interfaces");
}

TEST_CASE("TLS secrets: off by default, only for the processes a filter selects unless all, said in the log")
{
    pb::StartCapture r;
    r.add_interfaces("lo");
    CHECK_FALSE(helper::validateCapture(r, {}).options.tlsSecrets);
    r.set_tls_secrets(pb::StartCapture::TLS_SECRETS_SELECTED);
    CHECK(refusalOf(r).code() == pb::Error::BAD_REQUEST); // no --ebpf-filter to select with
    CHECK(refusalOf(r).field() == "tls_secrets");
    r.set_metadata_filter("proc.name == curl");
    helper::CaptureSpec spec = helper::validateCapture(r, {});
    CHECK(spec.options.tlsSecrets);
    CHECK(spec.describe().find("TLS secrets of the processes selected") != std::string::npos);
    CHECK(spec.pinnedBytes() == spec.options.ringBytes + SS_TLS_RINGBUF_BYTES);
    r.clear_metadata_filter();
    r.set_tls_secrets(pb::StartCapture::TLS_SECRETS_ALL);
    spec = helper::validateCapture(r, {});
    CHECK(spec.options.tlsSecrets);
    CHECK(spec.describe().find("TLS secrets of every process") != std::string::npos);
    r.set_tls_secrets(static_cast<pb::StartCapture::TlsSecrets>(7)); // a value this helper does not know
    CHECK(refusalOf(r).field() == "tls_secrets");
    r.set_tls_secrets(pb::StartCapture::TLS_SECRETS_ALL);
    r.set_since_ns(1);
    helper::CaptureContext withRecorder;
    withRecorder.recorder = reinterpret_cast<helper::FlightRecorder*>(&r); // only its presence is checked
    try {
        helper::validateCapture(r, withRecorder);
        FAIL("a flight recorder window with TLS secrets was accepted");
    } catch (const helper::Refusal& refusal) {
        CHECK(refusal.code() == pb::Error::UNSUPPORTED);
        CHECK(refusal.field() == "tls_secrets");
    }
}

TEST_CASE("the kernel buffer: dumpcap's 2 MiB by default, a power of two, bounded per request and in all")
{
    pb::StartCapture r;
    r.add_interfaces("lo");
    CHECK(helper::validateCapture(r, {}).options.ringBytes == 2u << 20);
    r.set_buffer_bytes(3u << 20);
    CHECK(helper::validateCapture(r, {}).options.ringBytes == 4u << 20);
    r.set_buffer_bytes(4096);
    CHECK(helper::validateCapture(r, {}).options.ringBytes == 4096);
    CHECK(helper::validateCapture(r, {}).pinnedBytes() == 4096);
    r.set_syscalls("connect"); // the syscall ring is pinned too, and counted
    CHECK(helper::validateCapture(r, {}).pinnedBytes() == 4096 + (16u << 20));
    r.clear_syscalls();
    for (const std::uint64_t bad : {std::uint64_t(1), std::uint64_t(4095), (std::uint64_t(1) << 30) + 1, ~std::uint64_t(0)}) {
        r.set_buffer_bytes(bad);
        CHECK(refusalOf(r).code() == pb::Error::BAD_REQUEST);
        CHECK(refusalOf(r).field() == "buffer_bytes");
    }

    helper::BufferBudget budget(8u << 20);
    auto a = budget.take(4u << 20);
    auto b = budget.take(4u << 20);
    CHECK(a);
    CHECK(b);
    CHECK_FALSE(budget.take(4096)); // all taken
    {
        auto moved = std::move(a);
        CHECK(budget.used() == 8u << 20);
    } // given back once, by the lease that holds it
    CHECK(budget.used() == 4u << 20);
    auto c = budget.take(4u << 20);
    CHECK(c);
    c = budget.take(1); // refused: c now holds nothing, and its bytes went back
    CHECK_FALSE(c);
    CHECK(budget.used() == 4u << 20);
}

TEST_CASE("tcpdump filters are compiled in a limited child: programs, libpcap's errors, and too much work")
{
    const auto program = bpf::compileTcpdumpFilterBounded("tcp port 80");
    CHECK(program.size() > 5);
    try {
        bpf::compileTcpdumpFilterBounded("tcp port");
        FAIL("accepted");
    } catch (const EngineError& e) {
        CHECK(std::string(e.what()).find("syntax error") != std::string::npos);
    }
    std::string ports = "port 1";
    for (int i = 2; i <= 330; ++i)
        ports += " or port " + std::to_string(i);
    const auto start = std::chrono::steady_clock::now();
    try {
        bpf::compileTcpdumpFilterBounded(ports);
        FAIL("accepted");
    } catch (const EngineError& e) {
        CHECK(std::string(e.what()).find("too complex") != std::string::npos);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(bpf::FilterCompileLimits::kWallSeconds + 2));
}

TEST_CASE("the spool: a file of its own for each capture, a bound on how many run, stopped by owner or root")
{
    char base[] = "/tmp/ss-spool-XXXXXX";
    REQUIRE(mkdtemp(base));
    helper::SpoolLimits limits;
    limits.captures = 2;
    limits.bytes = 100;
    helper::Spool spool(base, getgid(), limits);
    std::string why;
    auto first = spool.start("uid1000", "header", &why);
    auto second = spool.start("uid1000", "header", &why);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->path() != second->path()); // the same second, the same owner: two files
    CHECK_FALSE(spool.start("uid1000", "header", &why));
    CHECK(why.find("spooled captures run already") != std::string::npos);
    CHECK(first->write(std::string(50, 'x'), 1));
    CHECK_FALSE(first->write(std::string(50, 'x'), 1)); // past 100 bytes
    CHECK(spool.list().size() == 2);
    CHECK(spool.stop(first->name(), "uid1001", false) == helper::Spool::StopResult::NotYours);
    CHECK(spool.stop(first->name(), "uid1000", false) == helper::Spool::StopResult::Stopped);
    CHECK(first->stopRequested());
    CHECK(spool.stop(second->name(), "uid0", true) == helper::Spool::StopResult::Stopped);
    CHECK(spool.stop("nosuch.pcapng", "uid0", true) == helper::Spool::StopResult::NotFound);
    struct stat st {};
    REQUIRE(stat(first->path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    std::filesystem::remove_all(base);
}
