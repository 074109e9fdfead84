// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace ss::ui {

// The texts Wireshark's Copy menus put on the clipboard, for a packet-list row and for
// packet bytes (same formats, so what users paste elsewhere reads the same).
enum class SummaryFormat { Text, Csv, Yaml };
// One row's column texts: tab-separated, quoted CSV, or a YAML list headed by the frame and file.
QString summaryRow(const QStringList& columns, SummaryFormat format, std::uint32_t frame = 0,
                   const QString& file = {});

enum class BytesFormat { HexAsciiDump, HexDump, PrintableText, HexStream, EscapedString };
QString bytesAs(const QByteArray& bytes, BytesFormat format);

// The display filter for a column's value (epan's column expression): `field == value`,
// the value quoted for string fields. Empty when the column has no expression.
QString columnFilter(const QString& field, const QString& value);

// Wireshark's filter combinations of `selected` with the `current` filter, by menu label
// ("Selected", "Not Selected", "…and Selected", …).
struct FilterCombination {
    QString label;
    QString filter;
};
std::vector<FilterCombination> filterCombinations(const QString& selected, const QString& current);

} // namespace ss::ui
