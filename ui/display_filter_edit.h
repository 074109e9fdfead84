// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QLineEdit>
#include <QStringList>

class QCompleter;
class QStringListModel;

namespace ss::ui {

// The display filter bar: validates with epan as you type (green valid, red invalid with
// epan's message, yellow deprecated), completes protocol and field names from epan's
// registry — the word at the cursor, so names after `&&`, `||`, `(` complete as in
// Wireshark — and asks for the filter to be applied only when it is valid (or empty).
class DisplayFilterEdit : public QLineEdit {
    Q_OBJECT
public:
    enum class State { Empty, Valid, Deprecated, Invalid };

    explicit DisplayFilterEdit(QWidget* parent = nullptr);

    State state() const { return state_; }
    QString message() const { return message_; }
    void setHistory(const QStringList& history);
    QStringList history() const { return history_; }

    // The word being typed (after the last operator, parenthesis or space before the
    // cursor), which completion completes; `start` gets its position.
    QString wordAtCursor(int* start = nullptr) const;
    QCompleter* fieldCompleter() const { return completer_; }
    // Replaces the word at the cursor with `completion` (what choosing a completion does).
    void insertCompletion(const QString& completion);

    // Wireshark's colours for the three states.
    static QColor colorFor(State state);
    // Colours `edit` (no colour: the palette's own) and puts the reason in its tool tip.
    static void paintVerdict(QLineEdit* edit, const QColor& color, const QString& message);

signals:
    void stateChanged(ss::ui::DisplayFilterEdit::State state, const QString& message);
    void applyRequested(const QString& filter);

public slots:
    void apply();

private:
    void validate(const QString& text);
    void complete();

    State state_ = State::Empty;
    QString message_;
    QStringList history_;
    QStringList fieldNames_;
    QStringListModel* names_;
    QCompleter* completer_;
};

} // namespace ss::ui
