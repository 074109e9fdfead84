// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QPlainTextEdit>

namespace ss::ui {

// Packet bytes as hex + ASCII, 16 bytes a line. Highlights a byte range (the selected
// field) and reports which byte a click landed on.
class BytesView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit BytesView(QWidget* parent = nullptr);

    void setBytes(const QByteArray& bytes);
    void highlight(int start, int length);
    // The byte shown at text position (line, column), or -1.
    static int byteAt(int line, int column, int size);

signals:
    void byteClicked(int offset);

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QByteArray bytes_;
};

} // namespace ss::ui
