// SPDX-License-Identifier: GPL-2.0-or-later
#include "export_dialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace ss::ui {

std::vector<ExportDialog::Format> ExportDialog::formatsFor(int fileEncap)
{
    std::vector<Format> formats;
    auto add = [&](int type) {
        if (type < 0 || !wtap_dump_can_write_encap(type, fileEncap))
            return;
        for (const Format& f : formats)
            if (f.fileType == type)
                return;
        const char* ext = wtap_default_file_extension(type);
        formats.push_back({QString::fromUtf8(wtap_file_type_subtype_description(type)), type,
                           ext ? QString::fromUtf8(ext) : QString()});
    };
    add(wtap_pcapng_file_type_subtype());
    add(wtap_pcap_file_type_subtype());
    add(wtap_pcap_nsec_file_type_subtype());
    if (fileEncap != WTAP_ENCAP_PER_PACKET) {
        GArray* encaps = g_array_new(FALSE, FALSE, sizeof(int));
        g_array_append_val(encaps, fileEncap);
        GArray* types = wtap_get_savable_file_types_subtypes_for_file(wtap_pcapng_file_type_subtype(), encaps, 0,
                                                                      FT_SORT_BY_DESCRIPTION);
        g_array_free(encaps, TRUE);
        for (guint i = 0; types && i < types->len; ++i)
            add(g_array_index(types, int, i));
        if (types)
            g_array_free(types, TRUE);
    }
    return formats;
}

ExportDialog::ExportDialog(PacketRangeInput input, int fileEncap, bool wholeFile, QWidget* parent)
    : QDialog(parent), input_(std::move(input)), formats_(formatsFor(fileEncap))
{
    setWindowTitle(wholeFile ? tr("Save Capture File As") : tr("Export Specified Packets"));
    auto* layout = new QVBoxLayout(this);
    auto* fileRow = new QGridLayout;
    path_ = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    format_ = new QComboBox(this);
    for (const Format& f : formats_)
        format_->addItem(f.name, f.fileType);
    fileRow->addWidget(new QLabel(tr("File:"), this), 0, 0);
    fileRow->addWidget(path_, 0, 1);
    fileRow->addWidget(browse, 0, 2);
    fileRow->addWidget(new QLabel(tr("Save as:"), this), 1, 0);
    fileRow->addWidget(format_, 1, 1, 1, 2);
    layout->addLayout(fileRow);

    auto* box = new QGroupBox(tr("Packet Range"), this);
    auto* grid = new QGridLayout(box);
    captured_ = new QRadioButton(tr("Captured"), box);
    displayed_ = new QRadioButton(tr("Displayed"), box);
    displayed_->setChecked(true);
    grid->addWidget(captured_, 0, 1);
    grid->addWidget(displayed_, 0, 2);
    scopes_ = new QButtonGroup(this);
    const char* names[] = {"All packets", "Selected packet only", "Marked packets only", "First to last marked",
                           "Range:"};
    for (int i = 0; i < 5; ++i) {
        auto* radio = new QRadioButton(tr(names[i]), box);
        scopes_->addButton(radio, i);
        grid->addWidget(radio, i + 1, 0);
        auto* c = new QLabel(box);
        auto* d = new QLabel(box);
        grid->addWidget(c, i + 1, 1);
        grid->addWidget(d, i + 1, 2);
        counts_.emplace_back(c, d);
    }
    scopes_->button(0)->setChecked(true);
    rangeText_ = new QLineEdit(box);
    rangeText_->setPlaceholderText(tr("e.g. 1-10,15,20-"));
    grid->addWidget(rangeText_, 6, 0);
    removeIgnored_ = new QCheckBox(tr("Remove ignored packets"), box);
    grid->addWidget(removeIgnored_, 7, 0);
    layout->addWidget(box);
    box->setVisible(!wholeFile);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString ext = formats_.empty() ? QString() : formats_[size_t(format_->currentIndex())].extension;
        const QString chosen = QFileDialog::getSaveFileName(this, windowTitle(), path_->text(),
                                                            format_->currentText() + " (*." + ext + ")");
        if (!chosen.isEmpty())
            path_->setText(chosen);
    });
    connect(rangeText_, &QLineEdit::textChanged, this, [this] {
        scopes_->button(int(PacketRange::Scope::Range))->setChecked(true);
        updateCounts();
    });
    connect(removeIgnored_, &QCheckBox::toggled, this, &ExportDialog::updateCounts);
    updateCounts();
}

PacketRange ExportDialog::range() const
{
    PacketRange r;
    r.scope = PacketRange::Scope(scopes_->checkedId());
    r.range = rangeText_->text();
    r.displayedOnly = displayed_->isChecked();
    r.removeIgnored = removeIgnored_->isChecked();
    return r;
}

void ExportDialog::setRange(const PacketRange& range)
{
    rangeText_->setText(range.range);
    scopes_->button(int(range.scope))->setChecked(true);
    (range.displayedOnly ? displayed_ : captured_)->setChecked(true);
    removeIgnored_->setChecked(range.removeIgnored);
    updateCounts();
}

QString ExportDialog::path() const
{
    return path_->text();
}

void ExportDialog::setPath(const QString& path)
{
    path_->setText(path);
}

int ExportDialog::fileType() const
{
    return format_->currentData().toInt();
}

void ExportDialog::setFileType(int fileType)
{
    const int i = format_->findData(fileType);
    if (i >= 0)
        format_->setCurrentIndex(i);
}

QString ExportDialog::countText(PacketRange::Scope scope, bool displayed) const
{
    const auto& [c, d] = counts_[size_t(scope)];
    return (displayed ? d : c)->text();
}

void ExportDialog::updateCounts()
{
    for (int i = 0; i < 5; ++i)
        for (bool displayed : {false, true}) {
            PacketRange r = range();
            r.scope = PacketRange::Scope(i);
            r.displayedOnly = displayed;
            QString error;
            const auto frames = selectFrames(r, input_, &error);
            QLabel* label = displayed ? counts_[size_t(i)].second : counts_[size_t(i)].first;
            label->setText(error.isEmpty() ? QString::number(frames.size()) : QStringLiteral("–"));
        }
}

} // namespace ss::ui
