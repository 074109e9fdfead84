// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>
#include <vector>

namespace ss {

// Wireshark's configuration profiles, kept where Wireshark keeps them (its personal
// configuration folder — $WIRESHARK_CONFIG_DIR or ~/.config/wireshark — with one folder per
// profile under profiles/), so a profile a user made with Wireshark is ours too and the
// other way round. "Default" is the configuration folder itself. EpanRuntime::useProfile
// switches epan to one; these manage the folders. Errors are EngineError naming the
// profile.
namespace profiles {

inline constexpr const char* kDefault = "Default";

struct Profile {
    std::string name;
    bool global = false; // shipped with Wireshark (read-only); using it copies it first
};

// Default first, then the personal profiles by name, then global ones without a personal copy.
std::vector<Profile> list();
std::string current();           // the profile epan reads now
bool exists(const std::string& name);
// A name Wireshark accepts for a profile folder: not empty, not Default, ≤ 64 bytes, no
// path separator or characters Windows refuses, not starting with a dot.
bool validName(const std::string& name, std::string* why = nullptr);
// A new profile: empty, or a copy of `copyFrom`'s files (a personal or global profile).
void create(const std::string& name, const std::string& copyFrom = {});
void remove(const std::string& name); // never Default or the current one
void rename(const std::string& from, const std::string& to);
std::string folder(const std::string& name); // its folder (the configuration folder for Default)

// The packet-list column widths Wireshark remembered in the profile's `recent` file
// (`column.width:` — format or "%Cus:fields", pixels, optional :L/:C/:R alignment), in
// its order. Empty when the file or the key is absent; malformed entries are skipped.
struct ColumnWidth {
    std::string format; // "%m", "%t", … or "%Cus:http.host"
    int width = 0;
    char align = 0;      // 'L', 'C', 'R' or 0 (the column's default)
};
std::vector<ColumnWidth> recentColumnWidths();
// The same, from a recent file's text (tests, and a profile being carried over).
std::vector<ColumnWidth> parseRecentColumnWidths(const std::string& recentText);

} // namespace profiles
} // namespace ss
