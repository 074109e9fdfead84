// SPDX-License-Identifier: GPL-2.0-or-later
#include "coloring_rules_dialog.h"

#include "error.h"
#include "models/coloring_rules_model.h"
#include "profiles.h"

#include <QColorDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace ss::ui {
namespace {

ColorRule::Rgb fromQColor(const QColor& c)
{
    const QRgba64 v = c.rgba64();
    return {v.red(), v.green(), v.blue()};
}

} // namespace

ColoringRulesDialog::ColoringRulesDialog(const QString& newFilter, QWidget* parent)
    : QDialog(parent), newFilter_(newFilter)
{
    setObjectName("ColoringRulesDialog");
    setWindowTitle(tr("Coloring Rules %1").arg(QString::fromStdString(profiles::current())));
    model_ = new ColoringRulesModel(this);
    model_->setRules(colorrules::current());
    view_ = new QTreeView(this);
    view_->setObjectName("coloringRules");
    view_->setModel(model_);
    view_->setRootIsDecorated(false);
    view_->setUniformRowHeights(true);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->header()->resizeSection(ColoringRulesModel::Name, 220);
    message_ = new QLabel(this);
    message_->setObjectName("coloringMessage");
    message_->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    auto button = [&](const QString& text, const char* name, auto slot) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(tr("+"), "newRule", [this] {
        ColorRule rule{tr("New coloring rule").toStdString(), newFilter_.toStdString(), {0xffff, 0xffff, 0xffff},
                       {0, 0, 0}, false};
        const int row = model_->addRule(rule, currentRow() >= 0 ? currentRow() : 0);
        view_->setCurrentIndex(model_->index(row, ColoringRulesModel::Name));
        view_->edit(view_->currentIndex());
    })->setToolTip(tr("Add a new coloring rule."));
    button(tr("Copy"), "copyRule", [this] {
        if (const int row = currentRow(); row >= 0) {
            const int at = model_->addRule(model_->rules()[size_t(row)], row + 1);
            view_->setCurrentIndex(model_->index(at, ColoringRulesModel::Name));
        }
    });
    button(tr("−"), "deleteRule", [this] {
        if (const int row = currentRow(); row >= 0)
            model_->removeRows(row, 1);
    })->setToolTip(tr("Delete this coloring rule."));
    button(tr("Up"), "ruleUp", [this] { moveSelected(-1); });
    button(tr("Down"), "ruleDown", [this] { moveSelected(1); });
    button(tr("Foreground…"), "foreground", [this] { pickColor(true); });
    button(tr("Background…"), "background", [this] { pickColor(false); });
    buttons->addStretch();

    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton* importButton = box->addButton(tr("Import…"), QDialogButtonBox::ActionRole);
    QPushButton* exportButton = box->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    QPushButton* defaults = box->addButton(QDialogButtonBox::RestoreDefaults);
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Coloring Rules"));
        if (!path.isEmpty())
            importFrom(path);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Coloring Rules"));
        if (!path.isEmpty())
            exportTo(path);
    });
    connect(defaults, &QPushButton::clicked, this, &ColoringRulesDialog::restoreDefaults);
    connect(box, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(model_, &QAbstractItemModel::dataChanged, this, &ColoringRulesDialog::validate);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(view_, 1);
    layout->addLayout(buttons);
    layout->addWidget(message_);
    layout->addWidget(box);
    resize(720, 520);
    validate();
}

int ColoringRulesDialog::currentRow() const
{
    return view_->currentIndex().isValid() ? view_->currentIndex().row() : -1;
}

QString ColoringRulesDialog::message() const
{
    return message_->text();
}

void ColoringRulesDialog::validate()
{
    std::string message;
    const int bad = colorrules::firstInvalid(model_->rules(), &message);
    if (bad < 0)
        message_->clear();
    else
        message_->setText(tr("%1: %2").arg(QString::fromStdString(model_->rules()[std::size_t(bad)].name),
                                           QString::fromStdString(message)));
}

void ColoringRulesDialog::moveSelected(int by)
{
    const int row = currentRow();
    if (row < 0)
        return;
    const int to = by < 0 ? row - 1 : row + 2; // moveRows' destination is before that row
    if (model_->moveRows({}, row, 1, {}, to))
        view_->setCurrentIndex(model_->index(row + by, ColoringRulesModel::Name));
}

void ColoringRulesDialog::pickColor(bool foreground)
{
    const int row = currentRow();
    if (row < 0)
        return;
    const ColorRule& rule = model_->rules()[size_t(row)];
    const ColorRule::Rgb& now = foreground ? rule.foreground : rule.background;
    const QColor picked = QColorDialog::getColor(QColor::fromRgba64(now.red, now.green, now.blue), this);
    if (!picked.isValid())
        return;
    const ColorRule::Rgb c = fromQColor(picked);
    model_->setColors(row, foreground ? &c : nullptr, foreground ? nullptr : &c);
}

bool ColoringRulesDialog::save()
{
    try {
        colorrules::apply(model_->rules(), true);
    } catch (const EngineError& e) {
        message_->setText(QString::fromStdString(e.object() + ": " + e.what()));
        return false;
    }
    emit rulesChanged();
    return true;
}

bool ColoringRulesDialog::importFrom(const QString& path)
{
    try {
        for (const ColorRule& rule : colorrules::import(path.toStdString()))
            model_->addRule(rule);
    } catch (const EngineError& e) {
        message_->setText(QString::fromStdString(e.step() + " " + e.object() + ": " + e.what()));
        return false;
    }
    validate();
    return true;
}

bool ColoringRulesDialog::exportTo(const QString& path) const
{
    try {
        colorrules::exportTo(path.toStdString(), model_->rules());
    } catch (const EngineError& e) {
        message_->setText(QString::fromStdString(e.step() + " " + e.object() + ": " + e.what()));
        return false;
    }
    return true;
}

void ColoringRulesDialog::restoreDefaults()
{
    model_->setRules(colorrules::defaults());
    validate();
}

} // namespace ss::ui
