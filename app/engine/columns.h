// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "epan_includes.h"

namespace ss {

// The packet-list columns as the preferences define them (No., Time, Source, ...), RAII
// around epan's column_info.
class Columns {
public:
    explicit Columns(e_prefs* prefs) { build_column_format_array(&info_, prefs->num_cols, TRUE); }
    ~Columns() { col_cleanup(&info_); }
    Columns(const Columns&) = delete;
    Columns& operator=(const Columns&) = delete;

    column_info* get() { return &info_; }
    int count() const { return info_.num_cols; }

private:
    column_info info_{};
};

} // namespace ss
