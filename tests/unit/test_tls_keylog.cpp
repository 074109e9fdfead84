// SPDX-License-Identifier: GPL-2.0-or-later
// The TLS key log (app/common/tls_keylog.h) and Decryption Secrets Blocks: what a key log
// may hold, how it is cut into blocks, and blocks written by our writer read back by wiretap
// in order, between the packets they were written among.
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "decryption_secrets.h"
#include "error.h"
#include "pcapng_writer.h"
#include "test_support.h"
#include "tls_keylog.h"

#include <string>

using namespace ss;

namespace {
const std::string kRandom(64, 'a');
const std::string kMaster(96, '0');
} // namespace

TEST_CASE("key log lines: the shapes Wireshark reads, nothing else")
{
    CHECK(tls::checkSecretLine("CLIENT_RANDOM " + kRandom + " " + kMaster) == nullptr);
    CHECK(tls::checkSecretLine("PMS_CLIENT_RANDOM " + kRandom + " " + kMaster) == nullptr);
    CHECK(tls::checkSecretLine("CLIENT_TRAFFIC_SECRET_0 " + kRandom + " " + std::string(64, 'F')) == nullptr);
    CHECK(tls::checkSecretLine("SERVER_HANDSHAKE_TRAFFIC_SECRET " + kRandom + " " + std::string(128, 'e')) == nullptr);
    CHECK(tls::checkSecretLine("RSA 0011223344556677 " + kMaster) == nullptr);
    CHECK(tls::checkSecretLine("RSA Session-ID:abcd Master-Key:" + kMaster) == nullptr);

    CHECK(tls::checkSecretLine("CLIENT_RANDOM " + kRandom) != nullptr);                          // no secret
    CHECK(tls::checkSecretLine("CLIENT_RANDOM " + kRandom + " " + kMaster + "00") != nullptr);  // 49 bytes
    CHECK(tls::checkSecretLine("CLIENT_RANDOM " + kRandom.substr(2) + " " + kMaster) != nullptr);
    CHECK(tls::checkSecretLine("CLIENT_TRAFFIC_SECRET_0 " + kRandom + " " + std::string(130, 'e')) != nullptr);
    CHECK(tls::checkSecretLine("CLIENT_TRAFFIC_SECRET_0 " + kRandom + " " + std::string(63, 'e')) != nullptr);
    CHECK(tls::checkSecretLine("CLIENT_RANDOM " + kRandom + " " + std::string(95, '0') + "g") != nullptr);
    CHECK(tls::checkSecretLine("CLIENT_RANDOM  " + kRandom + " " + kMaster) != nullptr); // two spaces
    CHECK(tls::checkSecretLine("client_random " + kRandom + " " + kMaster) != nullptr);
    CHECK(tls::checkSecretLine("RSA Session-ID: Master-Key:" + kMaster) != nullptr);
    CHECK(tls::checkSecretLine("") != nullptr);
}

TEST_CASE("a key log: comments, blank lines and CRLF pass; the first bad line is named")
{
    std::string problem;
    const std::string good = "# made by a test\r\n\r\nCLIENT_RANDOM " + kRandom + " " + kMaster + "\r\n   \n" +
                             "EXPORTER_SECRET " + kRandom + " " + std::string(64, '1');
    const auto log = tls::parseKeyLog(good, &problem);
    REQUIRE(log);
    CHECK(log->secrets == 2);
    CHECK(log->text == "CLIENT_RANDOM " + kRandom + " " + kMaster + "\nEXPORTER_SECRET " + kRandom + " " +
                           std::string(64, '1') + "\n");
    CHECK_FALSE(tls::parseKeyLog(good + "\nnonsense\n", &problem));
    CHECK(problem == "line 6: not a TLS secret label Wireshark reads");
    CHECK(tls::parseKeyLog("", &problem)->secrets == 0);
    CHECK_FALSE(tls::parseKeyLog(std::string(tls::kMaxKeyLogBytes + 1, '#'), &problem));
    CHECK(problem == "larger than 64 MiB");
}

TEST_CASE("a key log is cut at line ends, each piece at most the bound")
{
    const std::string line = "CLIENT_RANDOM " + kRandom + " " + kMaster + "\n"; // 176 bytes
    std::string text;
    for (int i = 0; i < 100; ++i)
        text += line;
    const auto pieces = tls::splitAtLines(text, 1000);
    std::string joined;
    for (auto p : pieces) {
        CHECK(p.size() <= 1000);
        CHECK(p.size() % line.size() == 0);
        joined += p;
    }
    CHECK(joined == text);
    CHECK(pieces.size() == 20); // five lines a piece
    // A line longer than the bound is a piece of its own; no line end at all: one piece.
    CHECK(tls::splitAtLines(line + line, 100) == std::vector<std::string_view>{line, line});
    CHECK(tls::splitAtLines("abc", 2) == std::vector<std::string_view>{"abc"});
    CHECK(tls::splitAtLines("", 10).empty());
}

TEST_CASE("secrets blocks written among packets are read back in order by wiretap")
{
    const std::string path = scratchPath("secrets.pcapng");
    const std::uint8_t frame[60] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
    {
        PcapngWriter writer(path, "test");
        const auto iface = writer.addInterface(1, 65535, "eth0");
        writer.writeDecryptionSecrets(tls::kSecretsTypeTls, "first\n");
        writer.writePacket(iface, 1000, frame, sizeof frame, sizeof frame);
        writer.writeDecryptionSecrets(0x5353484b, "ssh key"); // SSH: padded to 4 bytes
        writer.writePacket(iface, 2000, frame, sizeof frame, sizeof frame);
        CHECK_THROWS_AS(writer.writeDecryptionSecrets(tls::kSecretsTypeTls,
                                                      std::string(PcapngWriter::kMaxSecretsBytes + 1, 'x')),
                        EngineError);
        writer.close();
    }
    std::string error;
    const auto blocks = readSecretsBlocks(path, &error);
    CHECK(error.empty());
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].type == tls::kSecretsTypeTls);
    CHECK(blocks[0].data == "first\n");
    CHECK(blocks[1].type == 0x5353484b);
    CHECK(blocks[1].data == "ssh key");

    // Delivered before the packet that follows each block.
    auto file = CaptureFile::open(path, false);
    std::vector<std::string> order;
    SecretsListener listener(*file, [&order](SecretsBlock b) { order.push_back("secrets " + b.data); });
    CHECK_THROWS_AS(SecretsListener(*file, [](SecretsBlock) {}), EngineError); // one at a time
    WtapRecord record;
    gint64 offset = 0;
    while (file->readNext(record, &offset)) {
        order.push_back("packet");
        record.reset();
    }
    CHECK(order == std::vector<std::string>{"secrets first\n", "packet", "secrets ssh key", "packet"});
}
