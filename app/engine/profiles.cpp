// SPDX-License-Identifier: GPL-2.0-or-later
#include "profiles.h"

#include "epan_includes.h"
#include "error.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>

namespace ss::profiles {
namespace fs = std::filesystem;
namespace {

struct GFree {
    void operator()(char* p) const { g_free(p); }
};
using GString = std::unique_ptr<char, GFree>;

bool isDefault(const std::string& name)
{
    return name.empty() || name == kDefault;
}

std::string profileDir(const std::string& name, bool global)
{
    GString dir(get_profile_dir(isDefault(name) ? nullptr : name.c_str(), global));
    return dir ? dir.get() : "";
}

std::vector<std::string> subfolders(const std::string& dir)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory(ec) && validName(entry.path().filename().string()))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

std::vector<Profile> list()
{
    std::vector<Profile> out{{kDefault, false}};
    GString personal(get_profiles_dir());
    const std::vector<std::string> mine = subfolders(personal.get());
    for (const auto& name : mine)
        out.push_back({name, false});
    GString global(get_global_profiles_dir());
    for (const auto& name : subfolders(global.get()))
        if (!std::binary_search(mine.begin(), mine.end(), name))
            out.push_back({name, true});
    return out;
}

std::string current()
{
    return get_profile_name();
}

bool exists(const std::string& name)
{
    return isDefault(name) || profile_exists(name.c_str(), FALSE) || profile_exists(name.c_str(), TRUE);
}

bool validName(const std::string& name, std::string* why)
{
    auto fail = [&](const char* reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (name.empty())
        return fail("a profile needs a name");
    if (name == kDefault)
        return fail("Default is the profile without a folder of its own");
    if (name.size() > 64)
        return fail("a profile name has at most 64 bytes");
    if (name.front() == '.')
        return fail("a profile name may not start with a dot");
    if (name.find_first_of("/\\:*?\"<>|") != std::string::npos)
        return fail("a profile name may not contain / \\ : * ? \" < > |");
    for (unsigned char c : name)
        if (c < 0x20)
            return fail("a profile name may not contain control characters");
    return true;
}

std::string folder(const std::string& name)
{
    return profileDir(name, false);
}

void create(const std::string& name, const std::string& copyFrom)
{
    std::string why;
    if (!validName(name, &why))
        throw EngineError("create profile", name, why);
    if (profile_exists(name.c_str(), FALSE))
        throw EngineError("create profile", name, "a profile of this name exists");
    char* made = nullptr;
    if (create_persconffile_profile(name.c_str(), &made) == -1) {
        GString path(made);
        throw EngineError("create profile", name, std::string("cannot create ") + (path ? path.get() : "its folder") +
                                                      ": " + g_strerror(errno));
    }
    if (copyFrom.empty())
        return;
    // The source's files, not its folders (Wireshark copies a profile the same way).
    const bool fromGlobal = !isDefault(copyFrom) && !profile_exists(copyFrom.c_str(), FALSE) &&
                            profile_exists(copyFrom.c_str(), TRUE);
    const std::string from = profileDir(copyFrom, fromGlobal), to = folder(name);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(from, ec)) {
        if (!entry.is_regular_file(ec))
            continue;
        fs::copy_file(entry.path(), fs::path(to) / entry.path().filename(), fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw EngineError("copy profile", copyFrom + " → " + name,
                              "cannot copy " + entry.path().filename().string() + ": " + ec.message());
    }
    if (ec && ec != std::errc::no_such_file_or_directory)
        throw EngineError("copy profile", copyFrom, "cannot read its folder: " + ec.message());
}

void remove(const std::string& name)
{
    if (isDefault(name))
        throw EngineError("delete profile", kDefault, "the Default profile cannot be deleted");
    if (name == current())
        throw EngineError("delete profile", name, "the profile in use cannot be deleted");
    if (!profile_exists(name.c_str(), FALSE))
        throw EngineError("delete profile", name, "no such personal profile");
    char* failed = nullptr;
    if (delete_persconffile_profile(name.c_str(), &failed) == -1) {
        GString path(failed);
        throw EngineError("delete profile", name, std::string("cannot delete ") + (path ? path.get() : "") + ": " +
                                                      g_strerror(errno));
    }
}

void rename(const std::string& from, const std::string& to)
{
    std::string why;
    if (isDefault(from) || !profile_exists(from.c_str(), FALSE))
        throw EngineError("rename profile", from, "no such personal profile");
    if (!validName(to, &why))
        throw EngineError("rename profile", to, why);
    if (profile_exists(to.c_str(), FALSE))
        throw EngineError("rename profile", to, "a profile of this name exists");
    char *fromPath = nullptr, *toPath = nullptr;
    if (rename_persconffile_profile(from.c_str(), to.c_str(), &fromPath, &toPath) == -1) {
        GString a(fromPath), b(toPath);
        throw EngineError("rename profile", from, std::string("cannot rename it: ") + g_strerror(errno));
    }
}

std::vector<ColumnWidth> parseRecentColumnWidths(const std::string& text)
{
    // The value runs from "column.width:" to the next line that is empty, a comment or
    // another key (continuation lines are indented, as Wireshark writes them).
    const std::string key = "column.width:";
    std::size_t at = 0;
    while ((at = text.find(key, at)) != std::string::npos && at > 0 && text[at - 1] != '\n')
        at += key.size();
    if (at == std::string::npos)
        return {};
    std::string value;
    std::size_t pos = at + key.size();
    for (bool first = true; pos < text.size(); first = false) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string line = text.substr(pos, end - pos);
        if (!first && (line.empty() || (line[0] != ' ' && line[0] != '\t')))
            break;
        value += line + " ";
        pos = end + 1;
    }
    std::vector<std::string> items;
    std::string item;
    bool quoted = false;
    for (char c : value) {
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted) {
            items.push_back(item);
            item.clear();
        } else if (quoted || (c != ' ' && c != '\t'))
            item += c;
    }
    if (!item.empty())
        items.push_back(item);
    std::vector<ColumnWidth> out;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        ColumnWidth w;
        w.format = items[i];
        const std::string& width = items[i + 1];
        char* endp = nullptr;
        const long px = std::strtol(width.c_str(), &endp, 10);
        if (w.format.empty() || w.format[0] != '%' || endp == width.c_str() || px < 0 || px > 100000)
            continue;
        w.width = int(px);
        if (*endp == ':' && (endp[1] == 'L' || endp[1] == 'C' || endp[1] == 'R'))
            w.align = endp[1];
        out.push_back(w);
    }
    return out;
}

std::vector<ColumnWidth> recentColumnWidths()
{
    GString path(get_persconffile_path("recent", TRUE));
    std::error_code ec;
    if (!path || !fs::is_regular_file(path.get(), ec) || fs::file_size(path.get(), ec) > (1u << 20))
        return {};
    gchar* contents = nullptr;
    gsize length = 0;
    if (!g_file_get_contents(path.get(), &contents, &length, nullptr))
        return {};
    GString owned(contents);
    return parseRecentColumnWidths(std::string(contents, length));
}

} // namespace ss::profiles
