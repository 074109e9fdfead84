// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "epan_includes.h"

namespace ss {

// Owns libwireshark's process-wide state: logging, wiretap, epan and preferences.
// epan can be initialised once per process only (epan_cleanup + epan_init crashes),
// so constructing a second EpanRuntime in the same process throws. Everything that
// dissects takes an EpanRuntime& to make that dependency explicit.
class EpanRuntime {
public:
    struct Options {
        std::string programName = "stratoshark";
        bool loadPlugins = true;
        // Dissectors compiled into the program, registered after the built-ins.
        std::vector<const proto_plugin*> builtinDissectors;
    };

    explicit EpanRuntime(const char* argv0, const Options& options);
    ~EpanRuntime();
    EpanRuntime(const EpanRuntime&) = delete;
    EpanRuntime& operator=(const EpanRuntime&) = delete;

    e_prefs* prefs() const { return prefs_; }

    // `name:value` as tshark's -o. Throws EngineError naming the preference.
    void setPreference(std::string_view nameValue);
    // Re-applies preferences after one or more setPreference calls.
    void applyPreferences();

    // Switches to a Wireshark configuration profile (profiles.h), as Wireshark's status bar
    // does: epan's preferences, disabled protocols and Decode As entries are read again from
    // its folder, then applied. The colour rules and the columns are the caller's to reload.
    // A global profile is copied to a personal one first. Throws EngineError naming it.
    void useProfile(const std::string& name);
    // Writes the preferences file of the profile in use, in Wireshark's format (its
    // write_prefs). Custom columns showing one of `transientColumns` (columns the program
    // adds by itself) are left out. Returns the file's path; throws EngineError.
    std::string savePreferences(const std::vector<std::string>& transientColumns = {});

    // True once per process while a runtime is alive.
    static bool alive();

private:
    e_prefs* prefs_ = nullptr;
};

} // namespace ss
