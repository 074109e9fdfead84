// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ss {

class CaptureFile;

// A pcapng Decryption Secrets Block as wiretap hands it over: its type (a key log of TLS,
// SSH or WireGuard; tls::kSecretsTypeTls) and its bytes.
struct SecretsBlock {
    std::uint32_t type = 0;
    std::string data;
};

// While alive, the secrets blocks wiretap reads from `file` (sequential reads) go to `sink`,
// in file order, each before the record that follows it — instead of to epan: for files read
// without dissection (`import --into` copying a capture, `--export-tls-keys`). wiretap's
// callback has no context, so one listener at a time per thread (a second throws).
class SecretsListener {
public:
    SecretsListener(CaptureFile& file, std::function<void(SecretsBlock)> sink);
    ~SecretsListener();
    SecretsListener(const SecretsListener&) = delete;
    SecretsListener& operator=(const SecretsListener&) = delete;

private:
    CaptureFile& file_;
    std::function<void(SecretsBlock)> sink_;
};

// Every secrets block of the capture at `path`, in file order (one sequential read). Throws
// EngineError naming the file when it cannot be opened; after a read error, returns the
// blocks before the damage with `readError` set.
std::vector<SecretsBlock> readSecretsBlocks(const std::string& path, std::string* readError);

} // namespace ss
