// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_range.h"

#include <QObject>
#include <QStringList>

#include <algorithm>

namespace ss::ui {

using Flag = RandomAccessCapture::Flag;

namespace {

// "1-10,15,20-,-5" → inclusive pairs; false on a bad part (named in `error`).
bool parseRange(const QString& text, std::uint32_t last, std::vector<std::pair<std::uint32_t, std::uint32_t>>& out,
                QString* error)
{
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        const QString p = part.trimmed();
        bool okA = true, okB = true;
        std::uint32_t a = 0, b = 0;
        if (p.contains('-')) {
            a = p.section('-', 0, 0).trimmed().isEmpty() ? 1 : p.section('-', 0, 0).trimmed().toUInt(&okA);
            b = p.section('-', 1).trimmed().isEmpty() ? last : p.section('-', 1).trimmed().toUInt(&okB);
        } else {
            a = b = p.toUInt(&okA);
        }
        if (!okA || !okB || a == 0 || a > b) {
            *error = QObject::tr("Bad packet range \"%1\"").arg(p);
            return false;
        }
        out.emplace_back(a, std::min(b, last));
    }
    if (out.empty()) {
        *error = QObject::tr("The packet range is empty");
        return false;
    }
    return true;
}

} // namespace

std::vector<std::uint32_t> selectFrames(const PacketRange& range, const PacketRangeInput& in, QString* error)
{
    const auto last = std::uint32_t(in.total);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
    if (range.scope == PacketRange::Scope::Range && !parseRange(range.range, last, spans, error))
        return {};
    std::uint32_t firstMarked = 0, lastMarked = 0;
    if (range.scope == PacketRange::Scope::FirstToLastMarked)
        for (std::uint32_t f = 1; f <= last; ++f)
            if (in.flag(f, Flag::Marked)) {
                firstMarked = firstMarked ? firstMarked : f;
                lastMarked = f;
            }
    auto inScope = [&](std::uint32_t f) {
        switch (range.scope) {
        case PacketRange::Scope::All: return true;
        case PacketRange::Scope::Selected: return f == in.selected;
        case PacketRange::Scope::Marked: return in.flag(f, Flag::Marked);
        case PacketRange::Scope::FirstToLastMarked: return firstMarked && f >= firstMarked && f <= lastMarked;
        case PacketRange::Scope::Range:
            return std::any_of(spans.begin(), spans.end(), [f](const auto& s) { return f >= s.first && f <= s.second; });
        }
        return false;
    };
    std::vector<std::uint32_t> frames;
    for (std::uint32_t f = 1; f <= last; ++f) {
        if (range.displayedOnly && !std::binary_search(in.displayed->begin(), in.displayed->end(), f) &&
            !in.flag(f, Flag::TimeReference))
            continue;
        if (range.removeIgnored && in.flag(f, Flag::Ignored))
            continue;
        if (inScope(f))
            frames.push_back(f);
    }
    return frames;
}

} // namespace ss::ui
