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

} // namespace ss
