// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>

namespace ss {
class EpanRuntime;
}

ss::EpanRuntime& testRuntime();

inline std::string fixture(const std::string& name)
{
    return std::string(SS_SOURCE_DIR) + "/tests/fixtures/pcap/" + name;
}

inline std::string sampleCapture()
{
    return std::string(SS_SOURCE_DIR) + "/resources/samples/sample.pcapng";
}

inline std::string scratchPath(const std::string& name)
{
    return std::string(SS_BINARY_DIR) + "/" + name;
}

#include <fstream>
#include <iterator>

inline void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// ssh.pcap cut at byte 300: inside its 4th record.
inline std::string truncatedCapture()
{
    const std::string path = scratchPath("truncated.pcap");
    writeFile(path, readFile(fixture("ssh.pcap")).substr(0, 300));
    return path;
}
