// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "epan_includes.h"

#include <string>
#include <vector>

namespace ss {

// The packet-list columns as the preferences define them (No., Time, Source, ...), RAII
// around epan's column_info.
class Columns {
public:
    explicit Columns(e_prefs* prefs) { build_column_format_array(&info_, prefs->num_cols, TRUE); }
    ~Columns() { col_cleanup(&info_); }
    Columns(const Columns&) = delete;
    Columns& operator=(const Columns&) = delete;

    // Builds the columns again after the preferences' column list changed.
    void rebuild(e_prefs* prefs)
    {
        col_cleanup(&info_);
        info_ = column_info{};
        build_column_format_array(&info_, prefs->num_cols, TRUE);
    }

    column_info* get() { return &info_; }
    int count() const { return info_.num_cols; }

private:
    column_info info_{};
};

// Editing the preferences' column list (prefs->col_list) as Wireshark's Apply as Column and
// column header menu do. Callers rebuild their Columns afterwards.
// Appends a custom column showing `fields` ("proc.label", "http.host || tls.handshake.extensions_server_name");
// returns its index.
int addCustomColumn(e_prefs* prefs, const char* title, const char* fields);
// The index of the custom column showing exactly `fields`, or -1.
int findCustomColumn(e_prefs* prefs, const char* fields);
void removeColumn(e_prefs* prefs, int index);

// One entry of the column list as the Column Preferences edit it.
struct ColumnSpec {
    std::string title;
    int format = COL_CUSTOM; // epan's COL_… (col_format_desc names it)
    std::string fields;      // a custom column's field expression
    int occurrence = 0;
    bool resolved = true;
    bool visible = true;
};
std::vector<ColumnSpec> columnSpecs(const e_prefs* prefs);
// Replaces the column list (at least one column).
void setColumnSpecs(e_prefs* prefs, const std::vector<ColumnSpec>& columns);

} // namespace ss
