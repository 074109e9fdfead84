// SPDX-License-Identifier: GPL-2.0-or-later
// --ebpf-filter: parsing, the truth table the kernel reads, and the sets that set each bit.
#include <catch2/catch.hpp>

#include "ebpf_filter.h"
#include "error.h"
#include "k8s_metadata.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

using ss::bpf::EbpfFilter;

namespace {

// What the kernel decides for an owner whose atoms `mask` are true (meta_filter.h).
bool keeps(const EbpfFilter& f, std::uint32_t mask)
{
    const ss_meta_config c = f.config();
    return (c.truth[mask >> 3] >> (mask & 7)) & 1;
}

std::string refusal(const std::string& text)
{
    try {
        EbpfFilter f(text);
    } catch (const ss::EngineError& e) {
        return e.what();
    }
    return "accepted";
}

} // namespace

TEST_CASE("a comparison is one atom, the truth table follows and/or/not and parentheses")
{
    EbpfFilter f("k8s.pod == web and not (proc.name == \"curl\" || proc.pid == 42)");
    REQUIRE(f.atoms().size() == 3);
    CHECK(f.atoms()[0].field == EbpfFilter::Atom::Pod);
    CHECK(f.atoms()[0].value == "web");
    CHECK(f.atoms()[1].value == "curl");
    CHECK(f.atoms()[2].value == "42");
    CHECK(keeps(f, 0b001));
    CHECK_FALSE(keeps(f, 0b011));
    CHECK_FALSE(keeps(f, 0b101));
    CHECK_FALSE(keeps(f, 0b000));
    CHECK(f.config().enabled == 1);
    CHECK(f.needsPods());
    CHECK(f.needsCgroups());
}

TEST_CASE("the same comparison twice is one atom, words and symbols are the same operators")
{
    EbpfFilter f("(proc.pid eq 7 && k8s.ns == shop) or (proc.pid == 7 and not k8s.ns == shop)");
    REQUIRE(f.atoms().size() == 2);
    CHECK(keeps(f, 0b01));
    CHECK(keeps(f, 0b11));
    CHECK_FALSE(keeps(f, 0b10));
    CHECK(f.needsCgroups());
}

TEST_CASE("field != value means present and different, as in Wireshark, a field alone means present")
{
    EbpfFilter f("proc.name != curl");
    // atoms: proc.name == curl, proc.name present (set whenever the owner is known)
    REQUIRE(f.atoms().size() == 2);
    CHECK(f.config().owner_bits == 0b10);
    CHECK_FALSE(keeps(f, 0b00)); // no owner: no proc.name at all
    CHECK(keeps(f, 0b10));
    CHECK_FALSE(keeps(f, 0b11));
    EbpfFilter present("not k8s.pod");
    CHECK(keeps(present, 0));
    CHECK_FALSE(keeps(present, 1));
    CHECK_FALSE(present.needsPods()); // any pod: the cgroup path is enough
}

TEST_CASE("bad expressions are refused with what is wrong and where")
{
    CHECK(refusal("k8s.pod ==") == "expected a value after \"k8s.pod\" at column 11");
    CHECK(refusal("(proc.pid == 1") == "expected \")\" at column 15");
    CHECK(refusal("proc.pid == one") == "proc.pid takes a number, not \"one\" at column 13");
    CHECK(refusal("container.id == abc") == "container.id needs 12 hex digits or more at column 17");
    CHECK(refusal("k8s.pod == \"x") == "unterminated string at column 12");
    CHECK(refusal("proc.name == a b") == "unexpected \"b\" at column 16");
    CHECK(refusal("ip.src == 10.0.0.1").starts_with("\"ip.src\" cannot be filtered in the kernel"));
    CHECK(refusal("proc.pid == 1 or proc.pid == 2 or proc.pid == 3 or proc.pid == 4 or proc.pid == 5 or "
                  "proc.pid == 6 or proc.pid == 7 or proc.pid == 8 or proc.pid == 9")
              .starts_with("more than 8 different comparisons"));
}

TEST_CASE("the sets: pids, task names cut to 15 bytes, cgroups of the named pods and containers")
{
    const auto pods = ss::bpf::PodDirectory::fromJson(R"({"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": "web", "namespace": "shop", "uid": "11111111-2222-3333-4444-555555555555"}},
        {"kind": "Pod", "metadata": {"name": "db", "namespace": "shop", "uid": "66666666-7777-8888-9999-000000000000"}}]})",
                                                      "test");
    // A directory tree named like a node's cgroups (any directory tree will do: ids are
    // inode numbers).
    char base[] = "/tmp/ss-cgroups-XXXXXX";
    REQUIRE(mkdtemp(base));
    const std::string root = base, a(64, 'a'), b(64, 'b');
    const std::string webPod = root + "/kubepods.slice/kubepods-pod11111111_2222_3333_4444_555555555555.slice";
    const std::string dbPod = root + "/kubepods/burstable/pod66666666-7777-8888-9999-000000000000";
    std::filesystem::create_directories(webPod + "/cri-containerd-" + a + ".scope");
    std::filesystem::create_directories(dbPod + "/" + b);
    std::filesystem::create_directories(root + "/system.slice/ssh.service");
    ss::bpf::CgroupDirectory cgroups(root);
    EbpfFilter f("proc.pid == 42 or proc.name == averyveryverylongname or k8s.pod == web or container.id == "
                 "bbbbbbbbbbbb or k8s.ns == shop");
    const auto sets = f.sets(cgroups, pods);
    CHECK(sets.pids == std::map<std::uint32_t, std::uint32_t>{{42, 0b1}});
    CHECK(sets.comms == std::map<std::string, std::uint32_t>{{"averyveryverylo", 0b10}});
    std::map<std::string, std::uint32_t> byPath;
    for (const auto& [id, bits] : sets.cgroups)
        byPath[cgroups.entries().at(id).path] = bits;
    const std::string web = "/kubepods.slice/kubepods-pod11111111_2222_3333_4444_555555555555.slice";
    const std::string db = "/kubepods/burstable/pod66666666-7777-8888-9999-000000000000";
    CHECK(byPath == std::map<std::string, std::uint32_t>{{web, 0b10100},
                                                         {web + "/cri-containerd-" + a + ".scope", 0b10100},
                                                         {db, 0b10000},
                                                         {db + "/" + b, 0b11000}});
    std::filesystem::remove_all(root);
}

TEST_CASE("hostile expressions are refused without recursion: 65,000 negations, deep parentheses, length")
{
    // Each was a stack overflow of the root helper when the parser recursed per "!".
    CHECK(refusal(std::string(4000, '!') + "proc.name == curl") == "accepted");
    CHECK(refusal(std::string(65000, '!') + "proc.name == curl").find("longer than 4096 characters") != std::string::npos);
    CHECK(refusal(std::string(40, '(') + "proc.pid == 1" + std::string(40, ')')).find("nested deeper than 32") !=
          std::string::npos);
    CHECK(refusal(std::string(32, '(') + "proc.pid == 1" + std::string(32, ')')) == "accepted");
    // An even number of negations is the expression itself, an odd one its negation.
    EbpfFilter twice("! ! proc.pid == 7"), thrice("not not not proc.pid == 7");
    CHECK(keeps(twice, 0b1));
    CHECK_FALSE(keeps(twice, 0));
    CHECK_FALSE(keeps(thrice, 0b1));
    CHECK(keeps(thrice, 0));
}

TEST_CASE("a field the kernel cannot test is its own kind of refusal")
{
    CHECK_THROWS_AS(EbpfFilter("proc.name == curl && tcp.port == 80"), ss::bpf::FieldNotInKernel);
    try {
        EbpfFilter("proc.name == ");
        FAIL("accepted");
    } catch (const ss::bpf::FieldNotInKernel&) {
        FAIL("a syntax error is not a field the kernel cannot test");
    } catch (const ss::EngineError&) {
    }
}

TEST_CASE("k8s.pod takes namespace/name, names the node does not know are told, with those it knows")
{
    const auto pods = ss::bpf::PodDirectory::fromJson(R"({"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": "web", "namespace": "shop", "uid": "11111111-2222-3333-4444-555555555555"}},
        {"kind": "Pod", "metadata": {"name": "web", "namespace": "test", "uid": "66666666-7777-8888-9999-000000000000"}}]})",
                                                      "test");
    char base[] = "/tmp/ss-cgroups-XXXXXX";
    REQUIRE(mkdtemp(base));
    const std::string root = base;
    std::filesystem::create_directories(root + "/kubepods/pod11111111-2222-3333-4444-555555555555");
    std::filesystem::create_directories(root + "/kubepods/pod66666666-7777-8888-9999-000000000000");
    ss::bpf::CgroupDirectory cgroups(root);
    std::map<std::string, std::uint32_t> byPath;
    EbpfFilter qualified("k8s.pod == shop/web");
    for (const auto& [id, bits] : qualified.sets(cgroups, pods).cgroups)
        byPath[cgroups.entries().at(id).path] = bits;
    CHECK(byPath == std::map<std::string, std::uint32_t>{{"/kubepods/pod11111111-2222-3333-4444-555555555555", 1}});
    CHECK(qualified.unknownNames(cgroups, pods).empty());
    CHECK(EbpfFilter("k8s.pod == web").sets(cgroups, pods).cgroups.size() == 2); // both namespaces' "web"

    const auto unknown = EbpfFilter("k8s.pod == nosuch or k8s.ns == prod or container.id == 0123456789ab")
                             .unknownNames(cgroups, pods);
    REQUIRE(unknown.size() == 3);
    CHECK(unknown[0] == "k8s.pod == nosuch: no such pod on this node (it knows shop/web, test/web)");
    CHECK(unknown[1] == "k8s.ns == prod: no such namespace on this node (it knows shop, test)");
    CHECK(unknown[2] == "container.id == 0123456789ab: no such container on this node (it knows none)");
    std::filesystem::remove_all(root);
}
