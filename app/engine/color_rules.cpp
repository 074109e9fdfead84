// SPDX-License-Identifier: GPL-2.0-or-later
#include "color_rules.h"

#include "display_filter.h"
#include "epan_includes.h"
#include "error.h"

#include <cstring>
#include <memory>

namespace ss::colorrules {
namespace {

ColorRule::Rgb rgb8(unsigned hex)
{
    auto c = [](unsigned v) { return std::uint16_t(v * 257); };
    return {c((hex >> 16) & 0xff), c((hex >> 8) & 0xff), c(hex & 0xff)};
}

bool isConversationColour(const color_filter_t* f)
{
    return f->filter_name && std::strncmp(f->filter_name, CONVERSATION_COLOR_PREFIX,
                                          std::strlen(CONVERSATION_COLOR_PREFIX)) == 0;
}

// A GSList of color_filter_t, deleted with epan's own function.
struct FilterList {
    GSList* list = nullptr;
    FilterList() = default;
    FilterList(const FilterList&) = delete;
    FilterList& operator=(const FilterList&) = delete;
    ~FilterList() { color_filter_list_delete(&list); }
    void append(color_filter_t* f) { list = g_slist_append(list, f); }
};

void appendTo(color_filter_t* f, gpointer user)
{
    static_cast<FilterList*>(user)->append(f);
}

ColorRule toRule(const color_filter_t* f)
{
    ColorRule r;
    r.name = f->filter_name ? f->filter_name : "";
    r.filter = f->filter_text ? f->filter_text : "";
    r.background = {f->bg_color.red, f->bg_color.green, f->bg_color.blue};
    r.foreground = {f->fg_color.red, f->fg_color.green, f->fg_color.blue};
    r.disabled = f->disabled;
    return r;
}

color_filter_t* toFilter(const ColorRule& r)
{
    color_t bg{r.background.red, r.background.green, r.background.blue};
    color_t fg{r.foreground.red, r.foreground.green, r.foreground.blue};
    return color_filter_new(r.name.c_str(), r.filter.c_str(), &bg, &fg, r.disabled);
}

std::vector<ColorRule> rulesOf(const FilterList& filters, bool withConversation)
{
    std::vector<ColorRule> out;
    for (GSList* l = filters.list; l; l = l->next) {
        const auto* f = static_cast<const color_filter_t*>(l->data);
        if (withConversation || !isConversationColour(f))
            out.push_back(toRule(f));
    }
    return out;
}

std::string takeError(gchar* err)
{
    std::string text = err ? err : "";
    g_free(err);
    return text;
}

} // namespace

std::vector<ColorRule> recordRules()
{
    // Falco's priorities are syslog's; Wireshark's "Bad TCP" colours mark a dropped flow.
    return {
        {"Falco: critical", R"(falco.priority matches "(?i)^(emergency|alert|critical)$")", rgb8(0xa40000),
         rgb8(0xfffc9c), false},
        {"Falco: error, warning", R"(falco.priority matches "(?i)^(error|warning)$")", rgb8(0xffb070),
         rgb8(0x000000), false},
        {"Falco: notice, info", "falco", rgb8(0xfff3c0), rgb8(0x000000), false},
        {"Cilium: dropped", R"(cilium.verdict == "DROPPED")", rgb8(0x12272e), rgb8(0xf78787), false},
        {"Failed system call", "syscall.ret < 0", rgb8(0xffd8d8), rgb8(0x5c0000), false},
    };
}

bool profileHasRules()
{
    char* path = get_persconffile_path(COLORFILTERS_FILE_NAME, TRUE);
    const bool exists = file_exists(path);
    g_free(path);
    return exists;
}

std::string load()
{
    std::string problem = takeError([] {
        gchar* err = nullptr;
        color_filters_reload(&err, nullptr);
        return err;
    }());
    if (profileHasRules())
        return problem;
    // No file of the profile's own: ours go before Wireshark's defaults (as a user's file would
    // order them: the specific before the general).
    std::vector<ColorRule> rules = recordRules();
    for (ColorRule& r : current())
        rules.push_back(std::move(r));
    try {
        colorrules::apply(rules, false);
    } catch (const EngineError& e) {
        problem += (problem.empty() ? "" : "; ") + std::string(e.what());
    }
    return problem;
}

std::vector<ColorRule> defaults()
{
    FilterList global;
    gchar* err = nullptr;
    color_filters_read_globals(&global, &err, appendTo);
    g_free(err); // no global file: ours alone
    std::vector<ColorRule> rules = recordRules();
    for (ColorRule& r : rulesOf(global, false))
        rules.push_back(std::move(r));
    return rules;
}

std::vector<ColorRule> current()
{
    FilterList all;
    color_filters_clone(&all, appendTo);
    return rulesOf(all, false);
}

int firstInvalid(const std::vector<ColorRule>& rules, std::string* message)
{
    for (std::size_t i = 0; i < rules.size(); ++i) {
        DisplayFilter::Error error;
        if (!rules[i].disabled && !DisplayFilter::compile(rules[i].filter, &error) && !error.message.empty()) {
            if (message)
                *message = error.message;
            return int(i);
        }
    }
    return -1;
}

void apply(const std::vector<ColorRule>& rules, bool save)
{
    std::string message;
    if (const int bad = firstInvalid(rules, &message); bad >= 0)
        throw EngineError("apply colouring rule", rules[std::size_t(bad)].name, message);
    FilterList all, edited;
    color_filters_clone(&all, appendTo);
    GSList* conversation = nullptr; // borrowed from `all`: epan copies what it keeps
    for (GSList* l = all.list; l; l = l->next)
        if (isConversationColour(static_cast<color_filter_t*>(l->data)))
            conversation = g_slist_append(conversation, l->data);
    for (const ColorRule& r : rules)
        edited.append(toFilter(r));
    gchar* err = nullptr;
    const bool applied = color_filters_apply(conversation, edited.list, &err);
    g_slist_free(conversation);
    if (!applied)
        throw EngineError("apply colouring rules", COLORFILTERS_FILE_NAME, takeError(err));
    if (save && !color_filters_write(edited.list, &err))
        throw EngineError("save colouring rules", COLORFILTERS_FILE_NAME, takeError(err));
}

std::vector<ColorRule> import(const std::string& path)
{
    FilterList read;
    gchar* err = nullptr;
    if (!color_filters_import(path.c_str(), &read, &err, appendTo))
        throw EngineError("import colouring rules", path, takeError(err));
    return rulesOf(read, false);
}

void exportTo(const std::string& path, const std::vector<ColorRule>& rules)
{
    FilterList out;
    for (const ColorRule& r : rules)
        out.append(toFilter(r));
    gchar* err = nullptr;
    if (!color_filters_export(path.c_str(), out.list, FALSE, &err))
        throw EngineError("export colouring rules", path, takeError(err));
}

} // namespace ss::colorrules
