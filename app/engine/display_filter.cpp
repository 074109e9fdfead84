// SPDX-License-Identifier: GPL-2.0-or-later
#include "display_filter.h"

namespace ss {

std::unique_ptr<DisplayFilter> DisplayFilter::compile(const std::string& text, Error* error)
{
    dfilter_t* df = nullptr;
    gchar* errMsg = nullptr;
    dfilter_loc_t loc{-1, 0};
    if (!dfilter_compile_real(text.c_str(), &df, &errMsg, &loc, "stratoshark", FALSE, TRUE)) {
        if (error) {
            error->message = errMsg ? errMsg : "invalid display filter";
            error->column = loc.col_start;
            error->length = loc.col_len;
        }
        g_free(errMsg);
        return nullptr;
    }
    if (error)
        *error = Error{};
    if (!df)
        return nullptr;
    return std::unique_ptr<DisplayFilter>(new DisplayFilter(df, text));
}

std::string DisplayFilter::deprecationWarning() const
{
    std::string out;
    GPtrArray* deprecated = dfilter_deprecated_tokens(df_);
    if (deprecated) {
        for (guint i = 0; i < deprecated->len; ++i) {
            if (!out.empty())
                out += ", ";
            out += static_cast<const char*>(g_ptr_array_index(deprecated, i));
        }
    }
    return out;
}

std::string DisplayFilter::caretLine(const std::string& text, const Error& error)
{
    if (error.column < 0)
        return {};
    std::string line = "    " + text + "\n    ";
    line.append(static_cast<size_t>(error.column), ' ');
    line += '^';
    if (error.length > 1)
        for (size_t i = 1; i < error.length; ++i)
            line += "~";
    return line;
}

} // namespace ss
