// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "epan_includes.h"

namespace ss {

// A compiled Wireshark display filter (epan's compiler, epan's error messages).
class DisplayFilter {
public:
    struct Error {
        std::string message;   // epan's text, e.g. "\"1.2.3\" is not a valid hostname or IPv4 address."
        long column = -1;      // where in the text it went wrong, -1 when epan gives no place
        size_t length = 0;
    };

    // Compiles `text`. Returns the filter, or fills `error`. An empty text compiles to a
    // filter that is absent (nullptr) without error, as in Wireshark.
    static std::unique_ptr<DisplayFilter> compile(const std::string& text, Error* error);
    ~DisplayFilter() { dfilter_free(df_); }
    DisplayFilter(const DisplayFilter&) = delete;
    DisplayFilter& operator=(const DisplayFilter&) = delete;

    dfilter_t* get() const { return df_; }
    const std::string& text() const { return text_; }
    // Deprecated tokens epan warned about ("==" vs "eq" style), empty when none.
    std::string deprecationWarning() const;

    // The "    filter\n       ^~~~" marker tshark prints under a filter error.
    static std::string caretLine(const std::string& text, const Error& error);

private:
    DisplayFilter(dfilter_t* df, std::string text) : df_(df), text_(std::move(text)) {}
    dfilter_t* df_;
    std::string text_;
};

} // namespace ss
