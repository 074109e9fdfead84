// SPDX-License-Identifier: GPL-2.0-or-later
#include "io_stat.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace ss::cli {
namespace {

constexpr guint64 kWhole = G_MAXINT32; // "the whole capture" interval marker, as tshark's
constexpr guint64 kNanos = 1000000000;

struct CalcName {
    const char* name;
    IoStatReport::Calc calc;
};
// Longest names first where one is a prefix of another ("FRAMES BYTES" before "FRAMES").
constexpr CalcName kCalcs[] = {{"FRAMES BYTES", IoStatReport::Calc::FramesAndBytes},
                               {"FRAMES", IoStatReport::Calc::Frames},
                               {"BYTES", IoStatReport::Calc::Bytes},
                               {"COUNT", IoStatReport::Calc::Count},
                               {"SUM", IoStatReport::Calc::Sum},
                               {"MIN", IoStatReport::Calc::Min},
                               {"MAX", IoStatReport::Calc::Max},
                               {"AVG", IoStatReport::Calc::Avg},
                               {"LOAD", IoStatReport::Calc::Load}};

const char* calcName(IoStatReport::Calc calc)
{
    for (const auto& c : kCalcs)
        if (c.calc == calc)
            return c.name;
    return "";
}

bool isInteger(ftenum_t type)
{
    switch (type) {
    case FT_UINT8: case FT_UINT16: case FT_UINT24: case FT_UINT32: case FT_UINT64:
    case FT_INT8: case FT_INT16: case FT_INT24: case FT_INT32: case FT_INT64:
        return true;
    default:
        return false;
    }
}

bool isSigned(ftenum_t type)
{
    return type == FT_INT8 || type == FT_INT16 || type == FT_INT24 || type == FT_INT32 || type == FT_INT64;
}

// Digits of val (at least 1, at most maxWidth).
unsigned magnitude(guint64 val, unsigned maxWidth)
{
    unsigned mag = 0;
    for (unsigned i = 0; i < maxWidth; ++i) {
        ++mag;
        if ((val /= 10) == 0)
            break;
    }
    return mag;
}

std::string spaces(long n)
{
    return n > 0 ? std::string(static_cast<size_t>(n), ' ') : std::string();
}

// A column title centred over a value of width `width`, as tshark centres it (nothing when
// the title does not fit its rule).
std::string centred(const char* label, int width)
{
    const int labelLen = static_cast<int>(std::strlen(label));
    const int len = 6 - ((width - labelLen) / 2 + 1);
    if (len > 0 && len < 6) {
        const std::string pad = spaces(6 - len);
        return ((width - labelLen) % 2 == 0 ? pad : pad + " ") + label + pad + "|";
    }
    if (len > 0 && len <= 15)
        return std::string(label) + "|";
    return {};
}

std::string format(const char* fmt, ...) G_GNUC_PRINTF(1, 2);
std::string format(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char* text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    std::string out = text;
    g_free(text);
    return out;
}

} // namespace

IoStatReport::IoStatReport(guint64 interval, unsigned precision, Elapsed elapsed)
    : interval_(interval), precision_(precision), elapsed_(std::move(elapsed))
{
}

IoStatReport::~IoStatReport()
{
    for (auto& c : columns_)
        remove_tap_listener(c.get());
}

std::unique_ptr<IoStatReport> IoStatReport::create(const std::string& arg, Elapsed elapsed, int* exitCode)
{
    static const char usage[] = "\nstratoshark: invalid \"-z io,stat,<interval>[,<filter>][,<filter>]...\" argument\n";
    *exitCode = 1;
    double seconds = 0;
    int used = 0;
    if (arg.back() == ',' || std::sscanf(arg.c_str(), "io,stat,%lf%n", &seconds, &used) != 1 || used < 8) {
        std::fputs(usage, stderr);
        return nullptr;
    }
    const char* rest = arg.c_str() + used;
    if (*rest && *rest != ',') {
        std::fputs(usage, stderr);
        return nullptr;
    }
    switch (timestamp_get_type()) {
    case TS_DELTA:
    case TS_DELTA_DIS:
    case TS_EPOCH:
        std::fputs("\nstratoshark: invalid -t operand. io,stat only supports -t <r|a|ad|adoy|u|ud|udoy>\n", stderr);
        return nullptr;
    default:
        break;
    }
    guint64 interval = kWhole;
    unsigned precision = 0;
    if (seconds != 0) {
        interval = static_cast<guint64>(seconds * 1000000.0 + 0.5);
        if (interval < 1) {
            std::fputs("\nstratoshark: \"-z\" interval must be >=0.000001 seconds or \"0\" for the entire capture "
                       "duration.\n",
                       stderr);
            *exitCode = 10;
            return nullptr;
        }
        precision = 6;
        for (guint64 i = interval; precision > 0 && i % 10 == 0; i /= 10)
            --precision;
    }
    std::unique_ptr<IoStatReport> report(new IoStatReport(interval, precision, std::move(elapsed)));
    if (!*rest)
        return report->addColumn(nullptr, exitCode) ? std::move(report) : nullptr;
    // Comma-separated columns; an empty one counts all frames and bytes.
    std::string columns(rest + 1);
    size_t start = 0;
    while (true) {
        const size_t comma = columns.find(',', start);
        std::string part = columns.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        char* stripped = g_strstrip(g_strdup(part.c_str()));
        part = stripped;
        g_free(stripped);
        const bool empty = comma == start;
        if (!report->addColumn(empty ? nullptr : &part, exitCode))
            return nullptr;
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return report;
}

// One column: `FUNC(field)filter`, a plain display filter, or nothing.
bool IoStatReport::addColumn(const std::string* filter, int* exitCode)
{
    auto column = std::make_unique<Column>();
    column->report = this;
    column->index = static_cast<int>(columns_.size());
    column->hasFilter = filter != nullptr;
    column->filter = filter ? *filter : std::string();
    std::string tapFilter = column->filter;
    for (const auto& c : kCalcs) {
        const size_t n = std::strlen(c.name);
        if (!filter || filter->compare(0, n, c.name) != 0)
            continue;
        column->calc = c.calc;
        if (filter->size() > n && (*filter)[n] == '(') {
            const size_t close = filter->find(')', n + 1);
            if (close == std::string::npos) {
                std::fputs("\nstratoshark: Closing parenthesis missing from calculated expression.\n", stderr);
                *exitCode = 10;
                return false;
            }
            const std::string field = filter->substr(n + 1, close - n - 1);
            const bool plain = c.calc == Calc::Frames || c.calc == Calc::Bytes;
            if (plain && !field.empty()) {
                std::fprintf(stderr, "\nstratoshark: %s does not require or allow a field name within the parens.\n",
                             c.name);
                *exitCode = 10;
                return false;
            }
            if (!plain && field.empty()) {
                std::fprintf(stderr, "\nstratoshark: You didn't specify a field name for %s(*).\n", c.name);
                *exitCode = 10;
                return false;
            }
            tapFilter = filter->substr(close + 1);
            if (!plain) {
                header_field_info* hfi = proto_registrar_get_byname(field.c_str());
                if (!hfi) {
                    std::fprintf(stderr, "\nstratoshark: There is no field named '%s'.\n", field.c_str());
                    *exitCode = 10;
                    return false;
                }
                column->hfIndex = hfi->id;
                const bool ok = isInteger(hfi->type) ||
                                ((hfi->type == FT_FLOAT || hfi->type == FT_DOUBLE) && c.calc != Calc::Load) ||
                                hfi->type == FT_RELATIVE_TIME || c.calc == Calc::Count;
                if (!ok) {
                    std::fprintf(stderr,
                                 "\nstratoshark: %s doesn't have integral values, so %s(*) calculations are not "
                                 "supported on it.\n",
                                 field.c_str(), c.name);
                    *exitCode = 10;
                    return false;
                }
            }
        } else if (c.calc == Calc::Frames || c.calc == Calc::Bytes) {
            tapFilter.clear();
        }
        break;
    }
    GString* error = register_tap_listener("frame", column.get(), tapFilter.empty() ? nullptr : tapFilter.c_str(),
                                           TL_REQUIRES_PROTO_TREE, nullptr, packetThunk,
                                           columns_.empty() ? drawThunk : nullptr, nullptr);
    if (error) {
        std::fprintf(stderr, "\nstratoshark: Couldn't register io,stat tap: %s\n", error->str);
        g_string_free(error, TRUE);
        *exitCode = 1;
        return false;
    }
    columns_.push_back(std::move(column));
    return true;
}

tap_packet_status IoStatReport::packetThunk(void* column, packet_info* pinfo, epan_dissect_t* edt, const void*,
                                            tap_flags_t)
{
    auto* c = static_cast<Column*>(column);
    c->report->packet(*c, pinfo, edt);
    return TAP_PACKET_REDRAW;
}

void IoStatReport::drawThunk(void* column)
{
    static_cast<Column*>(column)->report->draw();
}

void IoStatReport::packet(Column& c, packet_info* pinfo, epan_dissect_t* edt)
{
    const guint64 relative = static_cast<guint64>(pinfo->rel_ts.secs) * 1000000 + (pinfo->rel_ts.nsecs + 500) / 1000;
    if (!started_) {
        started_ = true;
        startTime_ = pinfo->abs_ts.secs - pinfo->rel_ts.secs;
    }
    if (c.cells.empty())
        c.cells.emplace_back();
    // Frames earlier than the current interval are left out, as tshark does.
    if (relative < (c.cells.size() - 1) * interval_)
        return;
    if (relative / interval_ >= kMaxIntervals) {
        tooManyIntervals_ = true;
        return;
    }
    while (relative >= c.cells.size() * interval_)
        c.cells.emplace_back();
    Cell& cell = c.cells.back();
    cell.frames++;
    const ftenum_t type = c.hfIndex >= 0 ? proto_registrar_get_ftype(c.hfIndex) : FT_NONE;
    GPtrArray* found = c.hfIndex >= 0 ? proto_get_finfo_ptr_array(edt->tree, c.hfIndex) : nullptr;
    const guint count = found ? found->len : 0;
    auto fi = [found](guint i) { return &static_cast<field_info*>(g_ptr_array_index(found, i))->value; };
    auto integer = [&](guint i) -> guint64 {
        switch (type) {
        case FT_UINT64: return fvalue_get_uinteger64(fi(i));
        case FT_INT64: return static_cast<guint64>(fvalue_get_sinteger64(fi(i)));
        case FT_INT8: case FT_INT16: case FT_INT24: case FT_INT32:
            return static_cast<guint64>(static_cast<gint64>(fvalue_get_sinteger(fi(i))));
        case FT_RELATIVE_TIME: {
            const nstime_t* t = static_cast<const nstime_t*>(fvalue_get_time(fi(i)));
            return static_cast<guint64>(t->secs) * kNanos + static_cast<guint64>(t->nsecs);
        }
        default: return fvalue_get_uinteger(fi(i));
        }
    };
    const bool real = type == FT_FLOAT || type == FT_DOUBLE;
    switch (c.calc) {
    case Calc::Frames:
    case Calc::Bytes:
    case Calc::FramesAndBytes:
        cell.counter += pinfo->fd->pkt_len;
        break;
    case Calc::Count:
        cell.counter += count;
        break;
    case Calc::Sum:
    case Calc::Avg:
        for (guint i = 0; i < count; ++i) {
            if (c.calc == Calc::Avg)
                cell.num++;
            if (type == FT_FLOAT)
                cell.floatCounter += static_cast<float>(fvalue_get_floating(fi(i)));
            else if (type == FT_DOUBLE)
                cell.doubleCounter += fvalue_get_floating(fi(i));
            else
                cell.counter += integer(i);
        }
        break;
    case Calc::Min:
    case Calc::Max:
        for (guint i = 0; i < count; ++i) {
            const bool first = c.calc == Calc::Min && cell.frames == 1 && i == 0;
            const bool min = c.calc == Calc::Min;
            if (real) {
                const double v = fvalue_get_floating(fi(i));
                double& target = cell.doubleCounter;
                if (type == FT_FLOAT) {
                    const float f = static_cast<float>(v);
                    if (first || (min ? f < cell.floatCounter : f > cell.floatCounter))
                        cell.floatCounter = f;
                } else if (first || (min ? v < target : v > target)) {
                    target = v;
                }
                continue;
            }
            const guint64 v = integer(i);
            bool better;
            if (type == FT_INT64)
                better = min ? static_cast<gint64>(v) < static_cast<gint64>(cell.counter)
                             : static_cast<gint64>(v) > static_cast<gint64>(cell.counter);
            else if (isSigned(type))
                better = min ? static_cast<gint32>(v) < static_cast<gint32>(cell.counter)
                             : static_cast<gint32>(v) > static_cast<gint32>(cell.counter);
            else
                better = min ? v < cell.counter : v > cell.counter;
            if (first || better)
                cell.counter = v;
        }
        break;
    case Calc::Load:
        for (guint i = 0; i < count; ++i) {
            // The time spread backwards over the intervals it covered.
            const nstime_t* t = static_cast<const nstime_t*>(fvalue_get_time(fi(i)));
            guint64 val = static_cast<guint64>(t->secs) * 1000000 + static_cast<guint64>(t->nsecs / 1000);
            const guint64 here = val % interval_;
            cell.counter += here;
            val -= here;
            for (size_t k = c.cells.size() - 1; val > 0 && k > 0; --k) {
                const guint64 part = std::min(val, interval_);
                c.cells[k - 1].counter += part;
                val -= part;
            }
        }
        break;
    }
    // The widest value of the column sets its width.
    switch (c.calc) {
    case Calc::Frames:
    case Calc::FramesAndBytes:
        c.maxFrames = std::max(c.maxFrames, cell.frames);
        if (c.calc == Calc::FramesAndBytes)
            c.maxValue = std::max(c.maxValue, cell.counter);
        break;
    case Calc::Bytes:
    case Calc::Count:
    case Calc::Load:
        c.maxValue = std::max(c.maxValue, cell.counter);
        break;
    case Calc::Sum:
    case Calc::Min:
    case Calc::Max:
        if (type == FT_FLOAT)
            c.maxValue = std::max(c.maxValue, static_cast<guint64>(cell.floatCounter + 0.5));
        else if (type == FT_DOUBLE)
            c.maxValue = std::max(c.maxValue, static_cast<guint64>(cell.doubleCounter + 0.5));
        else
            c.maxValue = std::max(c.maxValue, cell.counter);
        break;
    case Calc::Avg:
        if (cell.num == 0)
            break;
        if (type == FT_FLOAT)
            c.maxValue = std::max(c.maxValue, static_cast<guint64>(cell.floatCounter) / cell.num);
        else if (type == FT_DOUBLE)
            c.maxValue = std::max(c.maxValue, static_cast<guint64>(cell.doubleCounter) / cell.num);
        else if (type == FT_RELATIVE_TIME)
            c.maxValue = std::max(c.maxValue, (cell.counter / cell.num + 500000000) / kNanos);
        else
            c.maxValue = std::max(c.maxValue, cell.counter / cell.num);
        break;
    }
}

} // namespace ss::cli

namespace ss::cli {

void IoStatReport::draw()
{
    if (tooManyIntervals_) {
        std::fprintf(stderr,
                     "stratoshark: io,stat: the packets span more than %zu intervals of %.6f s; "
                     "no table (use a longer interval)\n",
                     kMaxIntervals, double(interval_) / 1e6);
        return;
    }
    const nstime_t elapsed = elapsed_();
    guint64 duration = static_cast<guint64>(elapsed.secs) * 1000000 + static_cast<guint64>((elapsed.nsecs + 500) / 1000);
    const guint64 exactDuration = duration;
    const bool whole = interval_ > duration || interval_ == kWhole;
    guint64 interval = whole ? duration : interval_;

    unsigned durMag = magnitude(duration / 1000000, 5);
    const unsigned invlMag = magnitude(interval / 1000000, 5);
    unsigned prec;
    long borderlen;
    if (interval == duration) {
        prec = durMag >= 2 ? 1 : durMag == 1 ? 3 : 6;
        borderlen = 30 + durMag + (prec == 0 ? 0 : prec + 1);
    } else {
        prec = precision_;
        borderlen = 24 + invlMag + (prec == 0 ? 0 : prec + 1);
    }
    guint64 dv = 1000000;
    for (unsigned i = 0; i < prec; ++i)
        dv /= 10;
    // The duration rounded to the interval's precision.
    if (duration % dv > 5 * (dv / 10)) {
        duration = (duration + 5 * (dv / 10)) / dv * dv;
        if (whole)
            interval = duration;
        durMag = magnitude(duration / 1000000, 5);
    }

    const ts_type tsType = timestamp_get_type();
    const bool dated = tsType == TS_ABSOLUTE_WITH_YMD || tsType == TS_ABSOLUTE_WITH_YDOY ||
                       tsType == TS_UTC_WITH_YMD || tsType == TS_UTC_WITH_YDOY;
    long invlColW = prec == 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10;
    invlColW = std::max(invlColW, dated ? 23L : 12L);
    borderlen = std::max(borderlen, invlColW);

    // Each column's width and cell format.
    struct Width {
        long frames = 0;
        long value = 0;
    };
    std::vector<Width> widths(columns_.size());
    long tabrowW = invlColW;
    for (size_t j = 0; j < columns_.size(); ++j) {
        Column& c = *columns_[j];
        Width& w = widths[j];
        const long nameLen = c.calc == Calc::FramesAndBytes ? 5 : static_cast<long>(std::strlen(calcName(c.calc)));
        if (c.calc == Calc::Frames || c.calc == Calc::FramesAndBytes) {
            w.frames = std::max(6U, magnitude(c.maxFrames, 15));
            tabrowW += w.frames + 3;
            if (c.calc == Calc::FramesAndBytes) {
                w.value = std::max(5U, magnitude(c.maxValue, 15));
                tabrowW += w.value + 3;
            }
            continue;
        }
        if (c.calc == Calc::Bytes || c.calc == Calc::Count) {
            w.value = std::max(5U, magnitude(c.maxValue, 15));
        } else {
            const ftenum_t type = proto_registrar_get_ftype(c.hfIndex);
            if (type == FT_FLOAT || type == FT_DOUBLE) {
                w.value = magnitude(c.maxValue, 15) + 7;
            } else if (type == FT_RELATIVE_TIME) {
                if (c.calc == Calc::Load)
                    c.maxValue = interval ? c.maxValue / interval : 0;
                else if (c.calc != Calc::Avg)
                    c.maxValue = (c.maxValue + 500000000) / kNanos;
                w.value = magnitude(c.maxValue, 15) + 7;
            } else {
                w.value = std::max<long>(nameLen, magnitude(c.maxValue, 15));
            }
        }
        tabrowW += w.value + 3;
    }
    borderlen = std::max(borderlen, tabrowW);
    long maxFilterW = 0;
    for (const auto& c : columns_)
        maxFilterW = std::max<long>(maxFilterW, c->hasFilter ? static_cast<long>(c->filter.size()) + 11 : 26);
    if (maxFilterW > borderlen && borderlen < 102)
        borderlen = std::min(maxFilterW, 102L);
    if (borderlen - tabrowW == 1)
        borderlen++;

    std::string out = "\n" + std::string(static_cast<size_t>(borderlen), '=') + "\n";
    auto line = [&](const std::string& text) { out += text + spaces(borderlen - 1 - static_cast<long>(text.size())) + "|\n"; };
    line("| IO Statistics");
    line("|");
    const auto secs = [](guint64 us) { return static_cast<unsigned>(us / 1000000); };
    if (prec == 0) {
        line(format("| Duration: %*u.%6u secs", durMag, secs(exactDuration), static_cast<unsigned>(exactDuration % 1000000)));
        line(format("| Interval: %*u secs", durMag, secs(interval)));
    } else {
        line(format("| Duration: %*u.%0*u secs", durMag, secs(duration), prec, static_cast<unsigned>(duration % 1000000 / dv)));
        line(format("| Interval: %*u.%0*u secs", durMag, secs(interval), prec, static_cast<unsigned>(interval % 1000000 / dv)));
    }
    line("|");
    for (size_t j = 0; j < columns_.size(); ++j) {
        const Column& c = *columns_[j];
        std::string head = format(j == 0 ? "| Col%2zu: " : "|    %2zu: ", j + 1);
        if (!c.hasFilter) {
            line(head + "Frames and bytes");
            continue;
        }
        std::string filter = c.filter;
        const size_t maxW = static_cast<size_t>(borderlen - 11);
        // Long filters wrap at the last space that fits.
        while (filter.size() > maxW) {
            const size_t space = filter.substr(0, maxW).rfind(' ');
            const size_t len = space == std::string::npos ? maxW : space;
            line(head + filter.substr(0, len));
            head = "|        ";
            filter = filter.substr(space == std::string::npos ? len : len + 1);
        }
        line(head + filter);
    }
    out += "|-" + std::string(static_cast<size_t>(borderlen - 3), '-') + "|\n";

    const std::string filler = tabrowW < borderlen ? spaces(borderlen - tabrowW - 1) + "|" : std::string();
    out += "|" + spaces(invlColW - 2) + "|";
    for (size_t j = 0; j < columns_.size(); ++j) {
        const Column& c = *columns_[j];
        const long w = c.calc == Calc::FramesAndBytes ? widths[j].frames + widths[j].value + 3
                       : c.calc == Calc::Frames       ? widths[j].frames
                                                      : widths[j].value;
        out += format("%-2zu", j + 1) + spaces(w) + "|";
    }
    out += filler;
    long k = 11;
    switch (tsType) {
    case TS_ABSOLUTE: out += "\n| Time    "; break;
    case TS_ABSOLUTE_WITH_YMD:
    case TS_ABSOLUTE_WITH_YDOY:
    case TS_UTC_WITH_YMD:
    case TS_UTC_WITH_YDOY:
        out += "\n| Date and time";
        k = 16;
        break;
    case TS_RELATIVE:
    case TS_NOT_SET: out += "\n| Interval"; break;
    default: break; // tshark prints no title here for -t u
    }
    out += spaces(invlColW - k) + "|";
    for (size_t j = 0; j < columns_.size(); ++j) {
        const Column& c = *columns_[j];
        if (c.calc == Calc::Frames) {
            out += centred("FRAMES", static_cast<int>(widths[j].frames));
        } else if (c.calc == Calc::FramesAndBytes) {
            out += centred("Frames", static_cast<int>(widths[j].frames));
            out += centred("Bytes", static_cast<int>(widths[j].value));
        } else {
            out += centred(calcName(c.calc), static_cast<int>(widths[j].value));
        }
    }
    out += filler + "\n|-" + std::string(static_cast<size_t>(std::max(0L, tabrowW - 3)), '-') + "|" + filler + "\n";

    const unsigned rows = interval ? static_cast<unsigned>(duration / interval + (duration % interval > 0 ? 1 : 0)) : 0;
    guint64 t = 0;
    for (unsigned i = 0; i < rows; ++i) {
        const bool last = i == rows - 1;
        const guint64 end = last ? duration : t + interval;
        const time_t when = startTime_ + static_cast<time_t>(t / 1000000);
        struct tm tmBuf {};
        const bool utc = tsType == TS_UTC || tsType == TS_UTC_WITH_YMD || tsType == TS_UTC_WITH_YDOY;
        const struct tm* tm = utc ? gmtime_r(&when, &tmBuf) : localtime_r(&when, &tmBuf);
        switch (tsType) {
        case TS_ABSOLUTE:
        case TS_UTC:
            out += format("| %02d:%02d:%02d |", tm->tm_hour, tm->tm_min, tm->tm_sec);
            break;
        case TS_ABSOLUTE_WITH_YMD:
        case TS_UTC_WITH_YMD:
            out += format("| %04d-%02d-%02d %02d:%02d:%02d |", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
                          tm->tm_hour, tm->tm_min, tm->tm_sec);
            break;
        case TS_ABSOLUTE_WITH_YDOY:
        case TS_UTC_WITH_YDOY:
            out += format("| %04d/%03d %02d:%02d:%02d |", tm->tm_year + 1900, tm->tm_yday + 1, tm->tm_hour,
                          tm->tm_min, tm->tm_sec);
            break;
        default:
            if (prec == 0) {
                const char* lead = durMag == 1 ? "|  " : "| ";
                if (last)
                    out += format("%s%*u <> %-*s|", lead, durMag, secs(t), durMag >= 3 ? durMag + 1 : 3, "Dur");
                else
                    out += format("%s%*u <> %*u%s|", lead, durMag, secs(t), durMag, secs(end),
                                  durMag == 1 ? "  " : " ");
            } else {
                out += format("| %*u.%0*u <> %*u.%0*u |", durMag, secs(t), prec,
                              static_cast<unsigned>(t % 1000000 / dv), durMag, secs(end), prec,
                              static_cast<unsigned>(end % 1000000 / dv));
            }
            break;
        }
        for (size_t j = 0; j < columns_.size(); ++j)
            out += cellText(*columns_[j], widths[j].frames, widths[j].value, i, last, interval, end - t);
        out += filler + "\n";
        t += interval;
    }
    out += std::string(static_cast<size_t>(borderlen), '=') + "\n";
    std::fputs(out.c_str(), stdout);
}

} // namespace ss::cli

namespace ss::cli {

// One cell of the table: the row's value of column c, in the column's width.
std::string IoStatReport::cellText(const Column& c, long framesW, long valueW, size_t row, bool last,
                                   guint64 interval, guint64 span)
{
    const int fw = static_cast<int>(framesW);
    const int vw = static_cast<int>(valueW);
    const bool present = row < c.cells.size();
    const Cell cell = present ? c.cells[row] : Cell{};
    const ftenum_t type = c.hfIndex >= 0 ? proto_registrar_get_ftype(c.hfIndex) : FT_NONE;
    const int mag = vw - 7; // integer digits of a real or time value
    auto seconds = [&](guint64 micros) {
        return format(" %*u.%06u |", mag, static_cast<unsigned>(micros / 1000000), static_cast<unsigned>(micros % 1000000));
    };
    auto integer = [&](guint64 v) {
        return isSigned(type) ? format(" %*" PRId64 " |", vw, static_cast<gint64>(v)) : format(" %*" PRIu64 " |", vw, v);
    };
    switch (c.calc) {
    case Calc::Frames:
        return format(" %*u |", fw, cell.frames);
    case Calc::FramesAndBytes:
        return format(" %*u | %*" PRIu64 " |", fw, cell.frames, vw, cell.counter);
    case Calc::Bytes:
    case Calc::Count:
        return format(" %*" PRIu64 " |", vw, cell.counter);
    case Calc::Sum:
    case Calc::Min:
    case Calc::Max:
        if (type == FT_FLOAT)
            return format(" %*.6f |", mag, static_cast<double>(cell.floatCounter));
        if (type == FT_DOUBLE)
            return format(" %*.6f |", mag, cell.doubleCounter);
        if (type == FT_RELATIVE_TIME)
            return seconds((cell.counter + 500) / 1000);
        return integer(cell.counter);
    case Calc::Avg: {
        const guint32 num = cell.num ? cell.num : 1;
        if (type == FT_FLOAT)
            return format(" %*.6f |", mag, static_cast<double>(cell.floatCounter / num));
        if (type == FT_DOUBLE)
            return format(" %*.6f |", mag, cell.doubleCounter / num);
        if (type == FT_RELATIVE_TIME)
            return seconds((cell.counter / num + 500) / 1000);
        return integer(cell.counter / num);
    }
    case Calc::Load: {
        const guint64 over = last ? span : interval;
        if (!over)
            return seconds(0);
        return format(" %*u.%06u |", mag, static_cast<unsigned>(cell.counter / over),
                      static_cast<unsigned>((cell.counter % over) * 1000000 / over));
    }
    }
    return {};
}

} // namespace ss::cli
