// SPDX-License-Identifier: GPL-2.0-or-later
// The -z reports of analysis: expert[,LEVEL][,FILTER], io,phs[,FILTER] and NAME,tree[,FILTER]
// for epan's statistics trees, printed as tshark 4.0 prints them.
#include "statistics.h"

#include "error.h"
#include "expert_tap.h"
#include "hierarchy_tap.h"
#include "io_stat.h"
#include "stats_tree_tap.h"

#include <cinttypes>
#include <cstdio>
#include <strings.h>

namespace ss::cli {
namespace {

void printExpertLevel(const ExpertTap& tap, ExpertTap::Level level, const char* label)
{
    const auto& entries = tap.entries(level);
    if (entries.empty())
        return;
    size_t total = 0;
    for (const auto& e : entries)
        total += e.frames.size();
    std::printf("\n%s (%zu)\n=============\n", label, total);
    std::printf("   Frequency      Group           Protocol  Summary\n");
    for (const auto& e : entries)
        std::printf("%12zu %10s %18s  %s\n", e.frames.size(), ExpertTap::groupName(e.group).c_str(),
                    e.protocol.c_str(), e.summary.c_str());
}

void printExpert(const ExpertTap& tap, ExpertTap::Level lowest)
{
    static const struct {
        ExpertTap::Level level;
        const char* label;
    } kOrder[] = {{ExpertTap::Error, "Errors"},
                  {ExpertTap::Warning, "Warns"},
                  {ExpertTap::Note, "Notes"},
                  {ExpertTap::Chat, "Chats"},
                  {ExpertTap::Comment, "Comments"}};
    for (const auto& o : kOrder)
        if (o.level >= lowest)
            printExpertLevel(tap, o.level, o.label);
}

// One line per protocol path, indented two spaces a level (at most 16 levels, then "..."),
// in a line of at most 79 characters, as tshark's protocol hierarchy.
void printHierarchyNodes(const std::vector<std::unique_ptr<HierarchyTap::Node>>& nodes, int depth)
{
    for (const auto& node : nodes) {
        std::string label;
        for (int i = 0; i < depth; ++i) {
            if (i > 15) {
                label += "...";
                break;
            }
            label += "  ";
        }
        label += node->abbrev;
        if (label.size() > 79)
            label.resize(79);
        std::printf("%-40s frames:%" PRIu64 " bytes:%" PRIu64 "\n", label.c_str(), node->frames, node->bytes);
        printHierarchyNodes(node->children, depth + 1);
    }
}

void printHierarchy(const HierarchyTap& tap)
{
    static const char rule[] = "===================================================================\n";
    std::printf("\n%sProtocol Hierarchy Statistics\nFilter: %s\n\n", rule, tap.filter().c_str());
    printHierarchyNodes(tap.roots(), 0);
    std::printf("%s", rule);
}

} // namespace

// expert[,error|warn|note|chat|comment][,FILTER]: a level word is optional, as in tshark.
bool Statistics::addExpert(const std::string& arg)
{
    static const struct {
        const char* word;
        ExpertTap::Level level;
    } kLevels[] = {{",error", ExpertTap::Error},
                   {",warn", ExpertTap::Warning},
                   {",note", ExpertTap::Note},
                   {",chat", ExpertTap::Chat},
                   {",comment", ExpertTap::Comment}};
    std::string rest = arg.substr(6); // after "expert"
    // One lowest level for every expert report, the last one given — as tshark 4.0 keeps it
    // (`-z expert,note,tcp -z expert,chat` prints chats in both; a report without a level
    // leaves it as it was).
    for (const auto& l : kLevels) {
        const size_t n = std::char_traits<char>::length(l.word);
        if (rest.size() >= n && strncasecmp(rest.c_str(), l.word, n) == 0) {
            expertLowest_ = int(l.level);
            rest.erase(0, n);
            break;
        }
    }
    const std::string filter = !rest.empty() && rest[0] == ',' ? rest.substr(1) : std::string();
    try {
        auto tap = std::make_unique<ExpertTap>(filter);
        tap->onDraw([this](const ExpertTap& t) { printExpert(t, ExpertTap::Level(expertLowest_)); });
        experts_.push_back(std::move(tap));
        return true;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: Expert tap error (%s)!\n", e.what());
        return false;
    }
}

// io,phs[,FILTER]
bool Statistics::addHierarchy(const std::string& arg)
{
    std::string filter;
    if (arg.size() > 6) {
        if (arg[6] != ',') {
            std::fprintf(stderr, "stratoshark: invalid \"-z io,phs[,<filter>]\" argument\n");
            return false;
        }
        filter = arg.substr(7);
    }
    try {
        auto tap = std::make_unique<HierarchyTap>(filter);
        tap->onDraw(printHierarchy);
        hierarchies_.push_back(std::move(tap));
        return true;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: Couldn't register io,phs tap: %s\n", e.what());
        return false;
    }
}

// NAME,tree[,FILTER]: one of epan's statistics trees.
bool Statistics::addStatsTree(const std::string& arg)
{
    const size_t comma = arg.find(',');
    const std::string name = arg.substr(0, comma);
    std::string filter;
    if (comma + 5 < arg.size() && arg[comma + 5] == ',')
        filter = arg.substr(comma + 6);
    try {
        auto tap = std::make_unique<StatsTreeTap>(name, filter);
        tap->onDraw([](const StatsTreeTap& t) { std::fputs(t.text().c_str(), stdout); });
        trees_.push_back(std::move(tap));
        return true;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: stats_tree for: %s failed to attach to the tap: %s\n", name.c_str(),
                     e.what());
        return false;
    }
}

bool Statistics::reportFailed() const
{
    for (const auto& r : ioStats_)
        if (r->failed())
            return true;
    return false;
}

// io,stat,INTERVAL[,COLUMN]...
bool Statistics::addIoStat(const std::string& arg)
{
    auto report = IoStatReport::create(
        arg, [this] { return elapsed_ ? elapsed_() : nstime_t{}; }, &failureCode_);
    if (!report)
        return false;
    ioStats_.push_back(std::move(report));
    return true;
}

} // namespace ss::cli
