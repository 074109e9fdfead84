// SPDX-License-Identifier: GPL-2.0-or-later
#include "bytes_view.h"

#include <QFontDatabase>
#include <QTextBlock>

namespace ss::ui {
namespace {

constexpr int kHexStart = 6;    // "0000  "
constexpr int kAsciiStart = 56; // "0000  " + 16 × "xx " + the gap after 8 + one space

int hexColumn(int j)
{
    return kHexStart + 3 * j + (j >= 8 ? 1 : 0);
}

int asciiColumn(int j)
{
    return kAsciiStart + j + (j >= 8 ? 1 : 0);
}

} // namespace

BytesView::BytesView(QWidget* parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setObjectName("bytesView");
}

void BytesView::setBytes(const QByteArray& bytes)
{
    bytes_ = bytes;
    QString text;
    for (int i = 0; i < bytes.size(); i += 16) {
        QString line = QStringLiteral("%1  ").arg(i, 4, 16, QLatin1Char('0'));
        QString ascii;
        for (int j = 0; j < 16; ++j) {
            if (i + j < bytes.size()) {
                const auto v = static_cast<unsigned char>(bytes[i + j]);
                line += QStringLiteral("%1 ").arg(v, 2, 16, QLatin1Char('0'));
                if (j == 8)
                    ascii += ' ';
                ascii += (v >= 0x20 && v < 0x7f) ? QChar(v) : QChar('.'); // a space byte keeps its column
            } else {
                line += QStringLiteral("   ");
            }
            if (j == 7)
                line += ' ';
        }
        text += line + QStringLiteral(" ") + ascii + '\n';
    }
    setPlainText(text);
    setExtraSelections({});
}

void BytesView::highlight(int start, int length)
{
    QList<QTextEdit::ExtraSelection> selections;
    QTextCharFormat format;
    format.setBackground(palette().highlight());
    format.setForeground(palette().highlightedText());
    for (int b = start; length > 0 && b < start + length && b < bytes_.size(); ++b) {
        if (b < 0)
            continue;
        const QTextBlock block = document()->findBlockByNumber(b / 16);
        for (int col : {hexColumn(b % 16), asciiColumn(b % 16)}) {
            QTextEdit::ExtraSelection sel;
            sel.format = format;
            sel.cursor = QTextCursor(block);
            sel.cursor.setPosition(block.position() + col);
            sel.cursor.setPosition(block.position() + col + (col < kAsciiStart ? 2 : 1), QTextCursor::KeepAnchor);
            selections << sel;
        }
    }
    setExtraSelections(selections);
    if (start >= 0 && start < bytes_.size()) {
        QTextCursor c(document()->findBlockByNumber(start / 16));
        setTextCursor(c);
        ensureCursorVisible();
    }
}

int BytesView::byteAt(int line, int column, int size)
{
    int j = -1;
    for (int k = 0; k < 16; ++k) {
        if ((column >= hexColumn(k) && column < hexColumn(k) + 2) || column == asciiColumn(k)) {
            j = k;
            break;
        }
    }
    const int offset = line * 16 + j;
    return j >= 0 && offset < size ? offset : -1;
}

void BytesView::mouseReleaseEvent(QMouseEvent* event)
{
    QPlainTextEdit::mouseReleaseEvent(event);
    const QTextCursor c = textCursor();
    const int offset = byteAt(c.blockNumber(), c.positionInBlock(), bytes_.size());
    if (offset >= 0)
        emit byteClicked(offset);
}

} // namespace ss::ui
