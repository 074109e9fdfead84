// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_copy.h"

#include "epan_includes.h"

#include <QObject>

namespace ss::ui {

QString summaryRow(const QStringList& columns, SummaryFormat format, std::uint32_t frame, const QString& file)
{
    switch (format) {
    case SummaryFormat::Csv:
        return '"' + columns.join("\",\"") + '"';
    case SummaryFormat::Yaml:
        return QStringLiteral("----\n# Packet %1 from %2\n- %3\n").arg(frame).arg(file, columns.join("\n- "));
    case SummaryFormat::Text:
        break;
    }
    return columns.join('\t');
}

namespace {

QString hexDump(const QByteArray& bytes, bool ascii)
{
    QString out;
    for (int offset = 0; offset < bytes.size(); offset += 16) {
        const QByteArray line = bytes.mid(offset, 16);
        out += QStringLiteral("%1  ").arg(offset, 4, 16, QChar('0'));
        QString text;
        for (char c : line) {
            out += QStringLiteral(" %1").arg(quint8(c), 2, 16, QChar('0'));
            text += g_ascii_isprint(c) ? QChar(c) : QChar('.');
        }
        if (ascii)
            out += QString(3 + (16 - line.size()) * 3, ' ') + text;
        out += '\n';
    }
    return out;
}

} // namespace

QString bytesAs(const QByteArray& bytes, BytesFormat format)
{
    QString out;
    switch (format) {
    case BytesFormat::HexAsciiDump:
        return hexDump(bytes, true);
    case BytesFormat::HexDump:
        return hexDump(bytes, false);
    case BytesFormat::PrintableText:
        for (char c : bytes)
            if (QChar ch(c); ch.isSpace() || ch.isPrint())
                out += ch;
        return out;
    case BytesFormat::HexStream:
        return QString::fromLatin1(bytes.toHex());
    case BytesFormat::EscapedString:
        out = '"';
        for (int i = 0; i < bytes.size(); ++i) {
            if (i % 16 == 0 && i != 0 && i != bytes.size() - 1)
                out += "\" \\\n\"";
            out += QStringLiteral("\\x%1").arg(quint8(bytes[i]), 2, 16, QChar('0'));
        }
        return out + "\"\n";
    }
    return out;
}

QString columnFilter(const QString& field, const QString& value)
{
    if (field.isEmpty() || value.isEmpty())
        return {};
    const header_field_info* hfi = proto_registrar_get_byname(field.toUtf8().constData());
    if (hfi && hfi->type == FT_STRING)
        return QStringLiteral("%1 == \"%2\"").arg(field, value);
    return QStringLiteral("%1 == %2").arg(field, value);
}

std::vector<FilterCombination> filterCombinations(const QString& selected, const QString& current)
{
    const QString negated = QStringLiteral("!(%1)").arg(selected);
    auto with = [&](const char* op, const QString& f) {
        return current.isEmpty() ? f : QStringLiteral("(%1) %2 %3").arg(current, op, f.startsWith('!') ? f : '(' + f + ')');
    };
    return {{QObject::tr("Selected"), selected},
            {QObject::tr("Not Selected"), negated},
            {QObject::tr("…and Selected"), with("&&", selected)},
            {QObject::tr("…or Selected"), with("||", selected)},
            {QObject::tr("…and not Selected"), with("&&", negated)},
            {QObject::tr("…or not Selected"), with("||", negated)}};
}

} // namespace ss::ui
