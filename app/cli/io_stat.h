// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "epan_includes.h"

namespace ss::cli {

// tshark's `-z io,stat,INTERVAL[,COLUMN]...`: per time interval, the frames and bytes of the
// packets each column's display filter matches, or a calculation over a field of them
// (COUNT, SUM, MIN, MAX, AVG, LOAD: `AVG(tcp.time_delta)tcp.time_delta`). Printed in tshark
// 4.0's table when the taps are drawn.
class IoStatReport {
public:
    // The capture's elapsed time (first to last packet read), known only at the end.
    using Elapsed = std::function<nstime_t()>;

    // Parses the argument and registers one tap per column. On a bad argument prints tshark's
    // message and returns nullptr with `*exitCode` set (1 or 10, as tshark exits).
    static std::unique_ptr<IoStatReport> create(const std::string& arg, Elapsed elapsed, int* exitCode);
    ~IoStatReport();
    IoStatReport(const IoStatReport&) = delete;
    IoStatReport& operator=(const IoStatReport&) = delete;

    enum class Calc { Frames, Bytes, FramesAndBytes, Count, Sum, Min, Max, Avg, Load };

    // At most this many intervals are kept per column: a capture whose packets span more
    // (records stamped years apart, a 1 µs interval over an hour) gets an error instead of
    // a table, where tshark 4.0 allocates until it aborts.
    static constexpr std::size_t kMaxIntervals = 2'000'000;
    bool failed() const { return tooManyIntervals_; }

private:
    struct Cell {
        guint32 frames = 0;
        guint32 num = 0;
        guint64 counter = 0;
        float floatCounter = 0;
        double doubleCounter = 0;
    };
    struct Column {
        IoStatReport* report = nullptr;
        int index = 0;
        std::string filter; // as given, empty for "Frames and bytes"
        bool hasFilter = false;
        Calc calc = Calc::FramesAndBytes;
        int hfIndex = -1;
        std::vector<Cell> cells; // one per interval, up to the last one with a packet
        guint64 maxValue = 0;
        guint32 maxFrames = 0;
    };

    IoStatReport(guint64 interval, unsigned precision, Elapsed elapsed);
    bool addColumn(const std::string* filter, int* exitCode);
    static tap_packet_status packetThunk(void* column, packet_info*, epan_dissect_t*, const void*, tap_flags_t);
    static void drawThunk(void* column);
    void packet(Column& column, packet_info* pinfo, epan_dissect_t* edt);
    void draw();
    static std::string cellText(const Column& c, long framesW, long valueW, size_t row, bool last, guint64 interval,
                                guint64 span);

    guint64 interval_;   // µs; G_MAXINT32 for "the whole capture"
    unsigned precision_; // decimal places of the interval
    Elapsed elapsed_;
    bool started_ = false;
    bool tooManyIntervals_ = false;
    time_t startTime_ = 0; // of the first packet counted, whole seconds
    std::vector<std::unique_ptr<Column>> columns_;
};

} // namespace ss::cli
