// SPDX-License-Identifier: GPL-2.0-or-later
#include "columns.h"

#include <cstring>

namespace ss {

int addCustomColumn(e_prefs* prefs, const char* title, const char* fields)
{
    auto* format = g_new0(fmt_data, 1);
    format->title = g_strdup(title);
    format->fmt = COL_CUSTOM;
    format->custom_fields = g_strdup(fields);
    format->custom_occurrence = 0;
    format->visible = TRUE;
    format->resolved = TRUE;
    prefs->col_list = g_list_append(prefs->col_list, format);
    return prefs->num_cols++;
}

int findCustomColumn(e_prefs* prefs, const char* fields)
{
    int i = 0;
    for (GList* l = prefs->col_list; l; l = l->next, ++i) {
        const auto* f = static_cast<const fmt_data*>(l->data);
        if (f->fmt == COL_CUSTOM && f->custom_fields && std::strcmp(f->custom_fields, fields) == 0)
            return i;
    }
    return -1;
}

void removeColumn(e_prefs* prefs, int index)
{
    GList* l = g_list_nth(prefs->col_list, guint(index));
    if (!l)
        return;
    auto* f = static_cast<fmt_data*>(l->data);
    g_free(f->title);
    g_free(f->custom_fields);
    g_free(f);
    prefs->col_list = g_list_delete_link(prefs->col_list, l);
    --prefs->num_cols;
}

std::vector<ColumnSpec> columnSpecs(const e_prefs* prefs)
{
    std::vector<ColumnSpec> out;
    for (GList* l = prefs->col_list; l; l = l->next) {
        const auto* f = static_cast<const fmt_data*>(l->data);
        out.push_back({f->title ? f->title : "", f->fmt, f->custom_fields ? f->custom_fields : "",
                       f->custom_occurrence, bool(f->resolved), bool(f->visible)});
    }
    return out;
}

void setColumnSpecs(e_prefs* prefs, const std::vector<ColumnSpec>& columns)
{
    if (columns.empty())
        return;
    while (prefs->num_cols > 0)
        removeColumn(prefs, prefs->num_cols - 1);
    for (const ColumnSpec& c : columns) {
        auto* format = g_new0(fmt_data, 1);
        format->title = g_strdup(c.title.c_str());
        format->fmt = c.format;
        format->custom_fields = c.format == COL_CUSTOM ? g_strdup(c.fields.c_str()) : nullptr;
        format->custom_occurrence = c.occurrence;
        format->visible = c.visible;
        format->resolved = c.resolved;
        prefs->col_list = g_list_append(prefs->col_list, format);
        ++prefs->num_cols;
    }
}

} // namespace ss
