// SPDX-License-Identifier: GPL-2.0-or-later
#include "retention.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>

namespace ss::helper {
namespace {

struct SpoolFile {
    std::string path;
    std::uint64_t size;
    std::time_t modified;
};

void listInto(const std::string& dir, const std::string& prefix, std::map<std::string, std::vector<SpoolFile>>* kinds)
{
    DIR* d = opendir(dir.c_str());
    for (dirent* e = d ? readdir(d) : nullptr; e; e = readdir(d)) {
        const std::string name = e->d_name;
        if (!name.ends_with(".pcapng"))
            continue;
        struct stat st {};
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        (*kinds)[Retention::kindOf(prefix + name)].push_back(
            {dir + "/" + name, std::uint64_t(st.st_size), st.st_mtim.tv_sec});
    }
    if (d)
        closedir(d);
}

std::optional<std::uint64_t> number(const std::string& text, const std::string& units, const std::uint64_t* scales)
{
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (text[0] == '-')
        return std::nullopt;
    const std::string unit = text.substr(used);
    const auto at = unit.empty() ? 0 : units.find(unit);
    if (unit.size() > 1 || at == std::string::npos || n > UINT64_MAX / scales[at])
        return std::nullopt;
    return n * scales[at];
}

} // namespace

std::uint64_t regularFileBytes(const std::string& dir)
{
    std::uint64_t total = 0;
    DIR* d = opendir(dir.c_str());
    for (dirent* e = d ? readdir(d) : nullptr; e; e = readdir(d)) {
        struct stat st {};
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
            total += std::uint64_t(st.st_size);
    }
    if (d)
        closedir(d);
    return total;
}

std::vector<RetentionRule> defaultRetention()
{
    using std::chrono::hours;
    return {{"pcap", hours(24 * 7), 0}, {"flows", hours(24 * 30), 0}, {"alerts", hours(24 * 90), 0}};
}

std::optional<std::vector<RetentionRule>> parseRetention(const std::string& text, std::string* why)
{
    static const std::uint64_t kTimes[] = {1, 1, 60, 3600, 86400};  // (none) s m h d
    static const std::uint64_t kSizes[] = {1, 1ull << 10, 1ull << 20, 1ull << 30, 1ull << 40}; // (none) K M G T
    std::vector<RetentionRule> rules = defaultRetention();
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        const auto eq = item.find('=');
        const std::string kind = item.substr(0, eq);
        auto rule = std::find_if(rules.begin(), rules.end(), [&](const RetentionRule& r) { return r.kind == kind; });
        if (eq == std::string::npos || rule == rules.end()) {
            *why = "\"" + item + "\": give KIND=AGE[:SIZE], KIND one of pcap, flows, alerts";
            return std::nullopt;
        }
        const std::string value = item.substr(eq + 1);
        const auto colon = value.find(':');
        const auto age = number(value.substr(0, colon), " smhd", kTimes);
        const auto size = colon == std::string::npos ? std::optional<std::uint64_t>(0)
                                                     : number(value.substr(colon + 1), " KMGT", kSizes);
        if (!age || !size) {
            *why = "\"" + item + "\": an age such as 7d or 12h, and a size such as 50G";
            return std::nullopt;
        }
        rule->maxAge = std::chrono::seconds(*age);
        rule->maxBytes = *size;
    }
    return rules;
}

Retention::Retention(std::string spoolDir, std::vector<RetentionRule> rules)
    : dir_(std::move(spoolDir)), rules_(std::move(rules))
{
}

std::string Retention::kindOf(const std::string& relative)
{
    if (relative.starts_with("archive/flows_"))
        return "flows";
    if (relative.starts_with("archive/alerts_"))
        return "alerts";
    return "pcap";
}

std::vector<std::string> Retention::prune(const std::set<std::string>& beingWritten, std::time_t now)
{
    std::map<std::string, std::vector<SpoolFile>> kinds;
    listInto(dir_, "", &kinds);
    listInto(dir_ + "/recorder", "recorder/", &kinds);
    listInto(dir_ + "/archive", "archive/", &kinds);
    std::vector<std::string> deleted;
    for (const RetentionRule& rule : rules_) {
        std::vector<SpoolFile>& files = kinds[rule.kind];
        std::sort(files.begin(), files.end(), [](const SpoolFile& a, const SpoolFile& b) {
            return a.modified != b.modified ? a.modified < b.modified : a.path < b.path;
        });
        std::uint64_t total = 0;
        for (const SpoolFile& f : files)
            total += f.size;
        for (const SpoolFile& f : files) {
            const bool tooOld = rule.maxAge.count() && now - f.modified > rule.maxAge.count();
            const bool tooMuch = rule.maxBytes && total > rule.maxBytes;
            if (!tooOld && !tooMuch)
                break; // the rest are newer, and within the size
            if (beingWritten.count(f.path))
                continue; // its turn comes when it is finished
            if (unlink(f.path.c_str()) != 0)
                continue;
            total -= f.size;
            deleted.push_back(f.path);
            std::fprintf(stderr, "stratoshark-helper: retention: deleted %s (%s, %llu bytes, last written %lld s ago): %s\n",
                         f.path.c_str(), rule.kind.c_str(), static_cast<unsigned long long>(f.size),
                         static_cast<long long>(now - f.modified),
                         tooOld ? ("older than " + std::to_string(rule.maxAge.count()) + " s").c_str()
                                : ("the " + rule.kind + " files are over " + std::to_string(rule.maxBytes) + " bytes")
                                      .c_str());
        }
    }
    return deleted;
}

} // namespace ss::helper
