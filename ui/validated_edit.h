// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QLineEdit>

#include <functional>
#include <optional>

namespace ss::ui {

// A line edit that shows whether its text is valid as the display filter bar does (green,
// red with the reason, yellow for a warning), checked as you type by `check` (nullopt:
// valid; otherwise the reason) or from outside with setVerdict() (the helper's parser,
// which answers later).
class ValidatedEdit : public QLineEdit {
    Q_OBJECT
public:
    enum class State { Empty, Valid, Warning, Invalid, Pending };
    using Check = std::function<std::optional<QString>(const QString& text)>;

    explicit ValidatedEdit(Check check = {}, QWidget* parent = nullptr);

    State state() const { return state_; }
    QString message() const { return message_; }
    void setVerdict(State state, const QString& message);
    static QColor colorFor(State state);

signals:
    void stateChanged(ss::ui::ValidatedEdit::State state, const QString& message);

private:
    void validate(const QString& text);

    Check check_;
    State state_ = State::Empty;
    QString message_;
};

// libpcap's verdict on a capture filter (the helper compiles it the same way): nullopt when
// it compiles for Ethernet; otherwise libpcap's message.
std::optional<QString> checkCaptureFilter(const QString& filter);

} // namespace ss::ui
