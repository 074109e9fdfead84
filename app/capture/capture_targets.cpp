// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_targets.h"

#include "helper_targets.h"

#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <fstream>

namespace ss::capture {
namespace {

// One target a section: "[name]" then key=value lines (address, tls-ca, tls-cert, tls-key,
// tls-server-name).
bool validName(const std::string& name)
{
    if (name.empty() || name.size() > 64 || name == "local")
        return false;
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

} // namespace

std::string targetsPath()
{
    if (const char* env = std::getenv("STRATOSHARK_TARGETS"); env && *env)
        return env;
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const std::string base = xdg && *xdg ? xdg : std::string(home ? home : "/tmp") + "/.config";
    return base + "/stratoshark/targets.conf";
}

std::vector<CaptureTarget> loadTargets(const std::string& path)
{
    std::vector<CaptureTarget> targets;
    CaptureTarget local{"local", defaultHelpers().front(), {}};
    tlsFromEnvironment(&local.tls);
    targets.push_back(local);
    std::ifstream in(path);
    CaptureTarget* current = nullptr;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        if (line.front() == '[' && line.back() == ']') {
            const std::string name = line.substr(1, line.size() - 2);
            current = validName(name) && !findTarget(targets, name) ? &targets.emplace_back() : nullptr;
            if (current)
                current->name = name;
            continue;
        }
        const auto eq = line.find('=');
        if (!current || eq == std::string::npos)
            continue;
        const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
        if (key == "address")
            current->address = value;
        else if (key == "tls-ca")
            current->tls.ca = value;
        else if (key == "tls-cert")
            current->tls.cert = value;
        else if (key == "tls-key")
            current->tls.key = value;
        else if (key == "tls-server-name")
            current->tls.serverName = value;
    }
    std::erase_if(targets, [](const CaptureTarget& t) { return t.address.empty(); });
    return targets;
}

bool saveTargets(const std::vector<CaptureTarget>& targets, std::string* error, const std::string& path)
{
    const std::string dir = path.substr(0, path.rfind('/'));
    for (std::size_t at = 1; (at = dir.find('/', at)) != std::string::npos; ++at)
        mkdir(dir.substr(0, at).c_str(), 0700);
    mkdir(dir.c_str(), 0700);
    std::ofstream out(path, std::ios::trunc);
    out << "# Stratoshark capture targets (written by the GUI; read by stratoshark-extcap)\n";
    for (const CaptureTarget& t : targets) {
        if (t.name == "local")
            continue;
        if (!validName(t.name)) {
            *error = "a target's name is letters, digits, '-', '_' and '.': \"" + t.name + "\"";
            return false;
        }
        out << "[" << t.name << "]\naddress=" << t.address << "\n";
        const std::pair<const char*, const std::string*> files[] = {
            {"tls-ca", &t.tls.ca}, {"tls-cert", &t.tls.cert}, {"tls-key", &t.tls.key}, {"tls-server-name", &t.tls.serverName}};
        for (const auto& [key, value] : files)
            if (!value->empty())
                out << key << "=" << *value << "\n";
    }
    out.close();
    if (!out) {
        *error = "cannot write " + path;
        return false;
    }
    return true;
}

std::optional<CaptureTarget> findTarget(const std::vector<CaptureTarget>& targets, const std::string& name)
{
    for (const CaptureTarget& t : targets)
        if (t.name == name)
            return t;
    return std::nullopt;
}

} // namespace ss::capture
