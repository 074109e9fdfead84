// SPDX-License-Identifier: GPL-2.0-or-later
#include "epan_runtime.h"
#include "profiles.h"

#include <algorithm>

#include "epan_includes.h"
#include "error.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>

namespace ss {
namespace {

std::atomic<int> g_runtimeState{0}; // 0 never created, 1 alive, 2 torn down

void vreportFailure(const char* fmt, va_list ap)
{
    std::fprintf(stderr, "%s: ", get_friendly_program_name());
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
}

void reportOpenFailure(const char* file, int err, gboolean forWriting)
{
    std::fprintf(stderr, "%s: ", get_friendly_program_name());
    std::fprintf(stderr, file_open_error_message(err, forWriting), file);
    std::fputc('\n', stderr);
}

void reportReadFailure(const char* file, int err)
{
    std::fprintf(stderr, "%s: An error occurred while reading from the file \"%s\": %s.\n",
                 get_friendly_program_name(), file, g_strerror(err));
}

void reportWriteFailure(const char* file, int err)
{
    std::fprintf(stderr, "%s: An error occurred while writing to the file \"%s\": %s.\n",
                 get_friendly_program_name(), file, g_strerror(err));
}

void reportCfileOpenFailure(const char* file, int err, gchar* errInfo)
{
    std::fprintf(stderr, "%s: cannot open capture \"%s\": %s%s%s\n", get_friendly_program_name(), file,
                 wtap_strerror(err), errInfo ? " " : "", errInfo ? errInfo : "");
    g_free(errInfo);
}

void reportCfileDumpOpenFailure(const char* file, int err, gchar* errInfo, int)
{
    reportCfileOpenFailure(file, err, errInfo);
}

void reportCfileReadFailure(const char* file, int err, gchar* errInfo)
{
    std::fprintf(stderr, "%s: error reading capture \"%s\": %s%s%s\n", get_friendly_program_name(),
                 file ? file : "", wtap_strerror(err), errInfo ? " " : "", errInfo ? errInfo : "");
    g_free(errInfo);
}

void reportCfileWriteFailure(const char*, const char* out, int err, gchar* errInfo, guint32 frame, int)
{
    std::fprintf(stderr, "%s: error writing frame %u to \"%s\": %s\n", get_friendly_program_name(), frame,
                 out ? out : "", wtap_strerror(err));
    g_free(errInfo);
}

void reportCfileCloseFailure(const char* file, int err, gchar* errInfo)
{
    std::fprintf(stderr, "%s: error closing \"%s\": %s\n", get_friendly_program_name(), file, wtap_strerror(err));
    g_free(errInfo);
}

const report_message_routines kReportRoutines = {
    vreportFailure,        vreportFailure,         reportOpenFailure,
    reportReadFailure,     reportWriteFailure,     reportCfileOpenFailure,
    reportCfileDumpOpenFailure, reportCfileReadFailure, reportCfileWriteFailure,
    reportCfileCloseFailure,
};

} // namespace

EpanRuntime::EpanRuntime(const char* argv0, const Options& options)
{
    int expected = 0;
    if (!g_runtimeState.compare_exchange_strong(expected, 1))
        throw EngineError("initialise epan", options.programName,
                          "libwireshark can be initialised only once per process");

    // The strings handed to libwireshark must outlive it: keep a process-lifetime copy.
    const char* name = g_intern_string(options.programName.c_str());
    ws_log_init(name, nullptr);
    init_process_policies();
    relinquish_special_privs_perm();

    if (char* err = configuration_init(argv0, nullptr)) {
        // Not fatal: tshark goes on with default paths as well.
        std::fprintf(stderr, "%s: can't get pathname of directory containing the program: %s.\n", name, err);
        g_free(err);
    }
    init_report_message(name, &kReportRoutines);
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);

    wtap_init(options.loadPlugins);
    for (const proto_plugin* plugin : options.builtinDissectors)
        proto_register_plugin(plugin);

    if (!epan_init(nullptr, nullptr, options.loadPlugins)) {
        g_runtimeState = 2;
        throw EngineError("initialise epan", name, "epan_init failed");
    }
    // Tap plugins (the stats_tree plugin's ptype, plen, ip_hosts... trees) register their
    // listeners here; tshark's own table of built-in taps is not ours, so ours is empty.
    static tap_reg_t noBuiltinTaps[] = {{nullptr, nullptr}};
    register_all_tap_listeners(noBuiltinTaps);
    prefs_ = epan_load_settings();
}

EpanRuntime::~EpanRuntime()
{
    epan_cleanup();
    wtap_cleanup();
    g_runtimeState = 2;
}

bool EpanRuntime::alive()
{
    return g_runtimeState == 1;
}

void EpanRuntime::setPreference(std::string_view nameValue)
{
    std::string arg(nameValue);
    char* errmsg = nullptr;
    prefs_set_pref_e result = prefs_set_pref(arg.data(), &errmsg);
    std::string detail = errmsg ? errmsg : "";
    g_free(errmsg);
    switch (result) {
    case PREFS_SET_OK:
        return;
    case PREFS_SET_SYNTAX_ERR:
        throw EngineError("set preference", arg,
                          "Invalid -o flag \"" + arg + "\"" + (detail.empty() ? "" : ": " + detail));
    case PREFS_SET_NO_SUCH_PREF:
        throw EngineError("set preference", arg, "-o flag \"" + arg + "\" specifies unknown preference");
    case PREFS_SET_OBSOLETE:
        throw EngineError("set preference", arg, "-o flag \"" + arg + "\" specifies obsolete preference");
    }
}

void EpanRuntime::applyPreferences()
{
    prefs_apply_all();
}

void EpanRuntime::useProfile(const std::string& name)
{
    const bool isDefault = name.empty() || name == profiles::kDefault;
    if (!isDefault && !profile_exists(name.c_str(), FALSE)) {
        if (!profile_exists(name.c_str(), TRUE))
            throw EngineError("switch profile", name, "no such profile");
        profiles::create(name, name); // Wireshark uses a copy of a global profile
    }
    set_profile_name(isDefault ? nullptr : name.c_str());
    prefs_reset();
    proto_reenable_all();
    prefs_ = epan_load_settings();
    prefs_apply_all();
}

std::string EpanRuntime::savePreferences(const std::vector<std::string>& transientColumns)
{
    char* dir = nullptr;
    if (create_persconffile_dir(&dir) == -1) {
        std::string path = dir ? dir : "";
        g_free(dir);
        throw EngineError("save preferences", path, std::string("cannot create the folder: ") + g_strerror(errno));
    }
    // Leave the program's own columns out of the file for the time of the write.
    GList* all = prefs_->col_list;
    const int allCount = prefs_->num_cols;
    GList* kept = nullptr;
    int keptCount = 0;
    for (GList* l = all; l; l = l->next) {
        const auto* f = static_cast<const fmt_data*>(l->data);
        const bool transient =
            f->fmt == COL_CUSTOM && f->custom_fields &&
            std::find(transientColumns.begin(), transientColumns.end(), f->custom_fields) != transientColumns.end();
        if (!transient) {
            kept = g_list_append(kept, l->data);
            ++keptCount;
        }
    }
    prefs_->col_list = kept;
    prefs_->num_cols = keptCount;
    char* failed = nullptr;
    const int err = write_prefs(&failed);
    prefs_->col_list = all;
    prefs_->num_cols = allCount;
    g_list_free(kept);
    if (err != 0) {
        std::string path = failed ? failed : "";
        g_free(failed);
        throw EngineError("save preferences", path, g_strerror(err));
    }
    char* path = get_persconffile_path("preferences", TRUE);
    std::string out = path;
    g_free(path);
    return out;
}

} // namespace ss
