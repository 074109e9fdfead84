// SPDX-License-Identifier: GPL-2.0-or-later
#include "preferences_dialog.h"

#include "columns.h"
#include "display_filter.h"
#include "models/column_list_model.h"
#include "models/preferences_model.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace ss::ui {

PreferencesDialog::PreferencesDialog(_e_prefs* prefs, QWidget* parent) : QDialog(parent), prefs_(prefs)
{
    setObjectName("PreferencesDialog");
    setWindowTitle(tr("Preferences"));
    tabs_ = new QTabWidget(this);
    tabs_->addTab(buildColumnsPage(), tr("Columns"));
    tabs_->addTab(buildAdvancedPage(), tr("Advanced"));
    message_ = new QLabel(this);
    message_->setObjectName("preferencesMessage");
    message_->setWordWrap(true);
    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, [this] {
        if (apply())
            accept();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs_, 1);
    layout->addWidget(message_);
    layout->addWidget(box);
    resize(900, 600);
}

QWidget* PreferencesDialog::buildColumnsPage()
{
    auto* page = new QWidget(this);
    columns_ = new ColumnListModel(columnSpecs(prefs_), this);
    columnView_ = new QTreeView(page);
    columnView_->setObjectName("columnList");
    columnView_->setModel(columns_);
    columnView_->setRootIsDecorated(false);
    columnView_->header()->resizeSection(ColumnListModel::Displayed, 80);
    columnView_->header()->resizeSection(ColumnListModel::Title, 180);
    columnView_->header()->resizeSection(ColumnListModel::Type, 220);
    auto* buttons = new QHBoxLayout;
    auto button = [&](const QString& text, auto slot) {
        auto* b = new QPushButton(text, page);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
    };
    button(tr("+"), [this] {
        const int row = columns_->addCustom(tr("New Column"), {});
        columnView_->setCurrentIndex(columns_->index(row, ColumnListModel::Fields));
        columnView_->edit(columnView_->currentIndex());
    });
    button(tr("−"), [this] {
        if (columnView_->currentIndex().isValid())
            columns_->removeRows(columnView_->currentIndex().row(), 1);
    });
    for (int by : {-1, 1})
        button(by < 0 ? tr("Up") : tr("Down"), [this, by] {
            const int row = columnView_->currentIndex().row();
            if (row >= 0 && columns_->moveRows({}, row, 1, {}, by < 0 ? row - 1 : row + 2))
                columnView_->setCurrentIndex(columns_->index(row + by, ColumnListModel::Title));
        });
    buttons->addStretch();
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(columnView_, 1);
    layout->addLayout(buttons);
    return page;
}

QWidget* PreferencesDialog::buildAdvancedPage()
{
    auto* page = new QWidget(this);
    prefsModel_ = new PreferencesModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(prefsModel_);
    proxy_->setRecursiveFilteringEnabled(true);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(PreferencesModel::Name);
    proxy_->setFilterRole(PreferencesModel::SearchRole);
    search_ = new QLineEdit(page);
    search_->setObjectName("preferencesSearch");
    search_->setPlaceholderText(tr("Search: a name, a title or words of its description"));
    search_->setClearButtonEnabled(true);
    connect(search_, &QLineEdit::textChanged, this, &PreferencesDialog::search);
    advancedView_ = new QTreeView(page);
    advancedView_->setObjectName("advancedPreferences");
    advancedView_->setModel(proxy_);
    advancedView_->setUniformRowHeights(true);
    advancedView_->header()->resizeSection(PreferencesModel::Name, 380);
    advancedView_->header()->resizeSection(PreferencesModel::Status, 110);
    advancedView_->header()->resizeSection(PreferencesModel::Type, 140);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(search_);
    layout->addWidget(advancedView_, 1);
    return page;
}

void PreferencesDialog::showPage(Page page)
{
    tabs_->setCurrentIndex(page == Columns ? 0 : 1);
}

void PreferencesDialog::search(const QString& text)
{
    if (search_->text() != text)
        search_->setText(text); // comes back here through textChanged
    proxy_->setFilterFixedString(text);
    if (!text.isEmpty())
        advancedView_->expandAll();
}

QString PreferencesDialog::message() const
{
    return message_->text();
}

bool PreferencesDialog::apply()
{
    if (const int row = columns_->incomplete(); row >= 0) {
        message_->setText(tr("Column \"%1\" needs fields.").arg(QString::fromStdString(columns_->columns()[size_t(row)].title)));
        showPage(Columns);
        return false;
    }
    for (const ColumnSpec& c : columns_->columns()) {
        DisplayFilter::Error error;
        if (c.format == COL_CUSTOM && !DisplayFilter::compile(c.fields, &error)) {
            message_->setText(tr("Column \"%1\": %2").arg(QString::fromStdString(c.title),
                                                          QString::fromStdString(error.message)));
            showPage(Columns);
            return false;
        }
    }
    const QStringList errors = prefsModel_->apply();
    if (!errors.isEmpty()) {
        message_->setText(errors.join('\n'));
        showPage(Advanced);
        return false;
    }
    setColumnSpecs(prefs_, columns_->columns());
    message_->clear();
    emit applied();
    return true;
}

} // namespace ss::ui
