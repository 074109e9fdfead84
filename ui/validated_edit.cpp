// SPDX-License-Identifier: GPL-2.0-or-later
#include "validated_edit.h"

#include "display_filter_edit.h"

#include <pcap/pcap.h>

namespace ss::ui {

ValidatedEdit::ValidatedEdit(Check check, QWidget* parent) : QLineEdit(parent), check_(std::move(check))
{
    connect(this, &QLineEdit::textChanged, this, &ValidatedEdit::validate);
}

QColor ValidatedEdit::colorFor(State state)
{
    switch (state) {
    case State::Valid: return DisplayFilterEdit::colorFor(DisplayFilterEdit::State::Valid);
    case State::Warning: return DisplayFilterEdit::colorFor(DisplayFilterEdit::State::Deprecated);
    case State::Invalid: return DisplayFilterEdit::colorFor(DisplayFilterEdit::State::Invalid);
    default: return {};
    }
}

void ValidatedEdit::setVerdict(State state, const QString& message)
{
    state_ = text().trimmed().isEmpty() ? State::Empty : state;
    message_ = message;
    DisplayFilterEdit::paintVerdict(this, colorFor(state_), message_);
    emit stateChanged(state_, message_);
}

void ValidatedEdit::validate(const QString& text)
{
    if (text.trimmed().isEmpty()) {
        setVerdict(State::Empty, {});
        return;
    }
    if (!check_) { // judged from outside, later
        setVerdict(State::Pending, tr("Checking…"));
        return;
    }
    const auto problem = check_(text);
    setVerdict(problem ? State::Invalid : State::Valid, problem.value_or(QString()));
}

std::optional<QString> checkCaptureFilter(const QString& filter)
{
    const QByteArray text = filter.trimmed().toUtf8();
    if (text.size() > 512) // a long one is checked by the helper, whose compiler is bounded
        return std::nullopt;
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 262144);
    bpf_program program{};
    std::optional<QString> problem;
    if (pcap_compile(dead, &program, text.constData(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        problem = QString::fromUtf8(pcap_geterr(dead));
    else
        pcap_freecode(&program);
    pcap_close(dead);
    return problem;
}

} // namespace ss::ui
