// SPDX-License-Identifier: GPL-2.0-or-later
// A TLS key log as `stratoshark import --tls-keys` reads one: parsed (tls_keylog.h); what it
// accepts must be lines checkSecretLine accepts, cut at line ends into pieces that rejoin to
// it, written as Decryption Secrets Blocks by our writer and read back by wiretap, equal and in
// order. A difference aborts.
#include <cstdio>
#include <cstdlib>

#include "capture_file.h"
#include "decryption_secrets.h"
#include "fuzz_support.h"
#include "tls_keylog.h"

namespace {

[[noreturn]] void differ(const char* what)
{
    std::fprintf(stderr, "tls key log: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    ss::fuzz::runtime(); // wiretap
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string problem;
    const auto log = ss::tls::parseKeyLog(text, &problem);
    if (!log) {
        if (problem.rfind("line ", 0) != 0)
            differ("a refusal that names no line");
        return 0;
    }
    std::size_t lines = 0;
    for (std::size_t at = 0; at < log->text.size(); ++lines) {
        const std::size_t nl = log->text.find('\n', at);
        if (nl == std::string::npos)
            differ("a line without its end");
        if (ss::tls::checkSecretLine(std::string_view(log->text).substr(at, nl - at)))
            differ("an accepted line the checker refuses");
        at = nl + 1;
    }
    if (lines != log->secrets)
        differ("secret count");
    // Small pieces, so that inputs of a few lines are cut too.
    const std::size_t bound = 1 + size % 700;
    const auto pieces = ss::tls::splitAtLines(log->text, bound);
    std::string joined;
    for (auto piece : pieces) {
        if (piece.size() > bound && piece.find('\n') != piece.size() - 1)
            differ("a piece over the bound that is not one line");
        joined += piece;
    }
    if (joined != log->text)
        differ("pieces do not rejoin");

    std::vector<std::uint8_t> file;
    {
        ss::PcapngWriter writer([&](const std::uint8_t* d, std::size_t n) { file.insert(file.end(), d, d + n); },
                                "fuzz");
        const auto iface = writer.addInterface(1, 65535, "eth0");
        const std::uint8_t frame[14] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
        for (auto piece : pieces) {
            writer.writeDecryptionSecrets(ss::tls::kSecretsTypeTls, piece);
            writer.writePacket(iface, 1, frame, sizeof frame, sizeof frame);
        }
        writer.close();
    }
    std::string error;
    const auto blocks = ss::readSecretsBlocks(ss::fuzz::asFile(file), &error);
    if (!error.empty())
        differ(error.c_str());
    if (blocks.size() != pieces.size())
        differ("block count");
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].type != ss::tls::kSecretsTypeTls || blocks[i].data != pieces[i])
            differ("a block read back differs");
    return 0;
}
