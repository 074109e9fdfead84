// SPDX-License-Identifier: GPL-2.0-or-later
#include "display_filter_edit.h"

#include "display_filter.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QStringListModel>

namespace ss::ui {
namespace {

QStringList registeredNames()
{
    QStringList names;
    void* protoCookie = nullptr;
    for (int proto = proto_get_first_protocol(&protoCookie); proto != -1;
         proto = proto_get_next_protocol(&protoCookie)) {
        if (!proto_is_protocol_enabled(find_protocol_by_id(proto)))
            continue;
        names << QString::fromUtf8(proto_get_protocol_filter_name(proto));
        void* fieldCookie = nullptr;
        for (header_field_info* hf = proto_get_first_protocol_field(proto, &fieldCookie); hf;
             hf = proto_get_next_protocol_field(proto, &fieldCookie)) {
            if (hf->same_name_prev_id == -1)
                names << QString::fromUtf8(hf->abbrev);
        }
    }
    names.sort();
    names.removeDuplicates();
    return names;
}

} // namespace

DisplayFilterEdit::DisplayFilterEdit(QWidget* parent) : QLineEdit(parent)
{
    setObjectName("displayFilterEdit");
    setPlaceholderText(tr("Apply a display filter … <Ctrl-/>"));
    setClearButtonEnabled(true);
    names_ = new QStringListModel(registeredNames(), this);
    fieldNames_ = names_->stringList();
    // Not QLineEdit::setCompleter: that completes the whole text, we complete the word.
    completer_ = new QCompleter(names_, this);
    completer_->setCaseSensitivity(Qt::CaseInsensitive);
    completer_->setWidget(this);
    connect(completer_, qOverload<const QString&>(&QCompleter::activated), this,
            &DisplayFilterEdit::insertCompletion);
    connect(this, &QLineEdit::textEdited, this, &DisplayFilterEdit::complete);
    connect(this, &QLineEdit::textChanged, this, &DisplayFilterEdit::validate);
    connect(this, &QLineEdit::returnPressed, this, &DisplayFilterEdit::apply);
}

QColor DisplayFilterEdit::colorFor(State state)
{
    switch (state) {
    case State::Valid: return QColor(0xaf, 0xff, 0xaf);
    case State::Deprecated: return QColor(0xff, 0xff, 0xaf);
    case State::Invalid: return QColor(0xff, 0xaf, 0xaf);
    case State::Empty: break;
    }
    return {};
}

void DisplayFilterEdit::validate(const QString& text)
{
    const std::string filterText = text.trimmed().toStdString();
    DisplayFilter::Error error;
    auto filter = DisplayFilter::compile(filterText, &error);
    if (filterText.empty()) {
        state_ = State::Empty;
        message_.clear();
    } else if (!filter) {
        state_ = State::Invalid;
        message_ = QString::fromStdString(error.message);
    } else if (std::string deprecated = filter->deprecationWarning(); !deprecated.empty()) {
        state_ = State::Deprecated;
        message_ = tr("\"%1\" is deprecated").arg(QString::fromStdString(deprecated));
    } else {
        state_ = State::Valid;
        message_.clear();
    }
    paintVerdict(this, colorFor(state_), message_);
    emit stateChanged(state_, message_);
}

QString DisplayFilterEdit::wordAtCursor(int* start) const
{
    const QString t = text();
    int end = cursorPosition();
    int begin = end;
    // Field names are letters, digits, '.', '_' and '-'; anything else ends a word.
    while (begin > 0 && (t[begin - 1].isLetterOrNumber() || t[begin - 1] == '.' || t[begin - 1] == '_' ||
                         t[begin - 1] == '-'))
        --begin;
    if (start)
        *start = begin;
    return t.mid(begin, end - begin);
}

void DisplayFilterEdit::complete()
{
    int start = 0;
    const QString word = wordAtCursor(&start);
    // The whole text may be a recent filter; past the first word only names are offered.
    const QString prefix = start == 0 ? text().left(cursorPosition()) : word;
    if (word.isEmpty()) {
        completer_->popup()->hide();
        return;
    }
    completer_->setCompletionPrefix(prefix);
    if (completer_->completionCount() == 0) {
        completer_->popup()->hide();
        return;
    }
    completer_->complete();
}

void DisplayFilterEdit::insertCompletion(const QString& completion)
{
    int start = 0;
    wordAtCursor(&start);
    const int end = cursorPosition();
    if (start == 0) { // a recent filter replaces all that was typed
        setText(completion + text().mid(end));
        setCursorPosition(completion.size());
        return;
    }
    setText(text().left(start) + completion + text().mid(end));
    setCursorPosition(start + completion.size());
}

void DisplayFilterEdit::paintVerdict(QLineEdit* edit, const QColor& color, const QString& message)
{
    QPalette pal = edit->palette();
    pal.setColor(QPalette::Base, color.isValid() ? color : QPalette().color(QPalette::Base));
    pal.setColor(QPalette::Text, color.isValid() ? QColor(Qt::black) : QPalette().color(QPalette::Text));
    edit->setPalette(pal);
    edit->setToolTip(message);
}

void DisplayFilterEdit::setHistory(const QStringList& history)
{
    history_ = history;
    names_->setStringList(history_ + fieldNames_); // recent filters first
}

void DisplayFilterEdit::apply()
{
    if (state_ == State::Invalid)
        return; // a bad filter can never be applied
    const QString filter = text().trimmed();
    if (!filter.isEmpty()) {
        history_.removeAll(filter);
        history_.prepend(filter);
        while (history_.size() > 30)
            history_.removeLast();
        names_->setStringList(history_ + fieldNames_);
    }
    emit applyRequested(filter);
}

} // namespace ss::ui
