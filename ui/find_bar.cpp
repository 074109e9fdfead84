// SPDX-License-Identifier: GPL-2.0-or-later
#include "find_bar.h"

#include "models/packet_list_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

namespace ss::ui {

FindBar::FindBar(CaptureSession& session, PacketListModel& model, QTableView& list, QWidget* parent)
    : QWidget(parent), search_(session, model, this), model_(model), list_(list)
{
    setObjectName("findBar");
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 2, 4, 2);
    where_ = new QComboBox(this);
    where_->addItems({tr("Packet list"), tr("Packet details"), tr("Packet bytes")});
    width_ = new QComboBox(this);
    width_->addItems({tr("Narrow (UTF-8 / ASCII)"), tr("Wide (UTF-16)")});
    case_ = new QCheckBox(tr("Case sensitive"), this);
    kind_ = new QComboBox(this);
    kind_->addItems({tr("Display filter"), tr("Hex value"), tr("String"), tr("Regular Expression")});
    text_ = new QLineEdit(this);
    text_->setObjectName("findText");
    text_->setClearButtonEnabled(true);
    find_ = new QPushButton(tr("Find"), this);
    auto* cancel = new QPushButton(tr("Cancel"), this);
    for (QWidget* w : std::initializer_list<QWidget*>{where_, width_, case_, kind_})
        row->addWidget(w);
    row->addWidget(text_, 1);
    row->addWidget(find_);
    row->addWidget(cancel);
    connect(kind_, &QComboBox::currentIndexChanged, this, &FindBar::kindChanged);
    connect(text_, &QLineEdit::returnPressed, this, [this] { find(true); });
    connect(find_, &QPushButton::clicked, this, [this] { find(true); });
    connect(cancel, &QPushButton::clicked, this, &FindBar::close);
    connect(&search_, &PacketSearch::found, this, [this](int row) {
        list_.setCurrentIndex(model_.index(row, 0));
        list_.scrollTo(model_.index(row, 0));
    });
    connect(&search_, &PacketSearch::notFound, this, [this] { emit message(tr("No packet contained those bytes.")); });
    kindChanged();
    hide();
}

void FindBar::kindChanged()
{
    const auto kind = SearchSpec::Kind(kind_->currentIndex());
    where_->setEnabled(kind == SearchSpec::Kind::String);
    width_->setEnabled(kind == SearchSpec::Kind::String);
    case_->setEnabled(kind == SearchSpec::Kind::String || kind == SearchSpec::Kind::Regex);
    const char* hints[] = {"Enter a display filter, e.g. dns.qry.name contains \"minexmr\"",
                           "Enter hex bytes, e.g. 00:1c:2a", "Enter a string", "Enter a regular expression"};
    text_->setPlaceholderText(tr(hints[kind_->currentIndex()]));
}

void FindBar::close()
{
    search_.cancel();
    hide();
    emit closed();
}

void FindBar::open()
{
    show();
    text_->setFocus();
    text_->selectAll();
}

SearchSpec FindBar::spec() const
{
    SearchSpec s;
    s.kind = SearchSpec::Kind(kind_->currentIndex());
    s.where = SearchSpec::Where(where_->currentIndex());
    s.wide = width_->currentIndex() == 1;
    s.caseSensitive = case_->isChecked();
    s.text = text_->text();
    return s;
}

void FindBar::setSpec(const SearchSpec& spec)
{
    kind_->setCurrentIndex(int(spec.kind));
    where_->setCurrentIndex(int(spec.where));
    width_->setCurrentIndex(spec.wide ? 1 : 0);
    case_->setChecked(spec.caseSensitive);
    text_->setText(spec.text);
}

void FindBar::find(bool forward)
{
    if (isHidden() && text_->text().isEmpty()) { // Ctrl+N before anything was asked: ask
        open();
        return;
    }
    QString error;
    const int from = list_.currentIndex().isValid() ? list_.currentIndex().row() : -1;
    if (!search_.start(spec(), from, forward, &error))
        emit message(error);
}

void FindBar::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace ss::ui
