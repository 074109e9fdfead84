// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ss {

// A packet colouring rule as Wireshark keeps them (View → Coloring Rules): a name, a
// display filter, colours with 16 bits per channel, and whether it is switched off.
struct ColorRule {
    struct Rgb {
        std::uint16_t red = 0, green = 0, blue = 0;
        bool operator==(const Rgb&) const = default;
    };
    std::string name;
    std::string filter;
    Rgb background;
    Rgb foreground;
    bool disabled = false;
    bool operator==(const ColorRule&) const = default;
};

// epan's colouring rules of the profile in use. Files are Wireshark's `colorfilters` format
// (`@name@filter@[r,g,b][r,g,b]`, `!` before a disabled rule), read and written by epan, so
// a user's file works both ways. Errors are EngineError naming the rule or the file.
namespace colorrules {

// Reads the profile's rules into epan: its colorfilters file, or — when it has none —
// ours for the record protocols (recordRules) followed by Wireshark's global defaults.
// Returns epan's complaint about the file ("" when none; the readable rules still apply).
std::string load();
// The rules in effect, in order, without the temporary conversation colours.
std::vector<ColorRule> current();
// The first enabled rule whose filter epan refuses: its index and epan's message; -1 when all compile.
int firstInvalid(const std::vector<ColorRule>& rules, std::string* message);
// Puts `rules` into effect in this order (the conversation colours stay first). Every
// filter is compiled first: the first that fails throws, naming the rule, and nothing
// changes. With `save`, the profile's colorfilters file is written too.
void apply(const std::vector<ColorRule>& rules, bool save);
// A colorfilters file's rules (View → Coloring Rules → Import).
std::vector<ColorRule> import(const std::string& path);
// Writes `rules` as a colorfilters file (Export).
void exportTo(const std::string& path, const std::vector<ColorRule>& rules);
// The profile's own colorfilters file exists (else the defaults are in use).
bool profileHasRules();
// What a profile without its own file uses: ours, then Wireshark's global rules.
std::vector<ColorRule> defaults();
// Ours: Falco alerts by priority, Cilium's DROPPED verdicts, failed system calls.
std::vector<ColorRule> recordRules();

} // namespace colorrules
} // namespace ss
