// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_options_dialog.h"

#include "helper_probe.h"
#include "models/interface_model.h"
#include "validated_edit.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace ss::ui {
namespace {

QSpinBox* spin(QWidget* parent, int max, const QString& special, const QString& suffix)
{
    auto* s = new QSpinBox(parent);
    s->setRange(0, max);
    s->setSpecialValueText(special);
    s->setSuffix(suffix);
    return s;
}

// A line edit with a "Browse…" button for a file.
QWidget* fileField(QWidget* parent, QLineEdit* edit)
{
    auto* box = new QWidget(parent);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(edit);
    auto* browse = new QPushButton(QObject::tr("Browse…"), box);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit] {
        const QString path = QFileDialog::getOpenFileName(edit, QObject::tr("Choose a PEM file"), edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    row->addWidget(browse);
    return box;
}

} // namespace

CaptureOptionsDialog::CaptureOptionsDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName("captureOptions");
    setWindowTitle(tr("Capture Options"));
    probe_ = new HelperProbe(this);
    model_ = new InterfaceModel(this);
    connect(probe_, &HelperProbe::interfaces, this,
            [this](const QString& target, const QVector<HelperProbe::Interface>& list, const QString& error) {
                model_->update(target, list, error);
                QString problems;
                for (const auto& t : all_)
                    if (const QString e = model_->errorOf(QString::fromStdString(t.name)); !e.isEmpty())
                        problems += (problems.isEmpty() ? "" : "\n") + e;
                if (error_->property("fromProbe").toBool() || error_->text().isEmpty()) {
                    error_->setText(problems);
                    error_->setProperty("fromProbe", true);
                    error_->setVisible(!problems.isEmpty());
                }
                updateStart();
            });

    targets_ = new QListWidget(this);
    targets_->setObjectName("targets");
    targets_->setMaximumHeight(90);
    auto* addTarget = new QPushButton(tr("Add remote helper…"), this);
    connect(addTarget, &QPushButton::clicked, this, &CaptureOptionsDialog::addTargetDialog);
    connect(targets_, &QListWidget::itemChanged, this, &CaptureOptionsDialog::targetsChanged);

    table_ = new QTableView(this);
    table_->setObjectName("interfaces");
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    connect(model_, &QAbstractItemModel::dataChanged, this, &CaptureOptionsDialog::updateStart);
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        model_->setData(model_->index(index.row(), InterfaceModel::Name), Qt::Checked, Qt::CheckStateRole);
        if (start_->isEnabled())
            start_->click();
    });

    captureFilter_ = new ValidatedEdit(checkCaptureFilter, this);
    captureFilter_->setObjectName("captureFilter");
    captureFilter_->setPlaceholderText(tr("tcpdump syntax, e.g. tcp port 443 and host 10.0.0.5"));
    ebpfFilter_ = new ValidatedEdit({}, this);
    ebpfFilter_->setObjectName("ebpfFilter");
    ebpfFilter_->setPlaceholderText(tr("e.g. k8s.pod == shop/web-1 and not proc.name == curl"));
    auto* debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(300);
    connect(ebpfFilter_, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, &CaptureOptionsDialog::checkEbpfFilter);
    connect(probe_, &HelperProbe::filterChecked, this, [this](const QString& filter, bool valid, const QString& message) {
        if (filter != ebpfFilter_->text())
            return; // an answer to what was typed before
        ebpfFilter_->setVerdict(valid ? (message.isEmpty() ? ValidatedEdit::State::Valid : ValidatedEdit::State::Warning)
                                      : ValidatedEdit::State::Invalid,
                                message);
    });
    for (auto* edit : {captureFilter_, ebpfFilter_})
        connect(edit, &ValidatedEdit::stateChanged, this, &CaptureOptionsDialog::updateStart);
    auto* filterMessage = new QLabel(this);
    filterMessage->setObjectName("filterMessage");
    filterMessage->setWordWrap(true);
    for (auto* edit : {captureFilter_, ebpfFilter_})
        connect(edit, &ValidatedEdit::stateChanged, filterMessage,
                [filterMessage](ValidatedEdit::State, const QString& m) { filterMessage->setText(m); });

    syscalls_ = new QComboBox(this);
    syscalls_->setEditable(true);
    syscalls_->addItems({"none", "default", "all", "connect,openat,execve,mount"});
    tlsSecrets_ = new QComboBox(this);
    tlsSecrets_->setObjectName("tlsSecrets");
    tlsSecrets_->addItems({tr("not taken"), tr("of the processes the eBPF filter selects"), tr("of every process")});
    tlsSecrets_->setToolTip(tr("The TLS secrets (OpenSSL 3) go into the file as Decryption Secrets Blocks: "
                               "Wireshark then shows the HTTPS in the clear with no key file"));
    tlsMessage_ = new QLabel(this);
    tlsMessage_->setObjectName("tlsMessage");
    tlsMessage_->setWordWrap(true);
    connect(tlsSecrets_, qOverload<int>(&QComboBox::currentIndexChanged), this, &CaptureOptionsDialog::updateStart);
    connect(ebpfFilter_, &QLineEdit::textChanged, this, &CaptureOptionsDialog::updateStart);
    snaplen_ = spin(this, 262144, tr("whole packets"), tr(" bytes"));
    bufferMb_ = spin(this, 1024, QString(), tr(" MiB")); // Wireshark's "Buffer (MB)": 2 by default
    bufferMb_->setMinimum(1);
    bufferMb_->setValue(2);
    bufferMb_->setObjectName("bufferSize");
    bufferMb_->setToolTip(tr("The kernel ring the packets wait in (rounded up to a power of two); "
                             "larger drops less in bursts"));
    duration_ = spin(this, 366 * 86400, tr("no limit"), tr(" s"));
    packets_ = spin(this, 1 << 30, tr("no limit"), tr(" packets"));
    sizeMb_ = spin(this, 1 << 20, tr("no limit"), tr(" MB"));
    output_ = new QLineEdit(this);
    output_->setObjectName("outputFile");
    output_->setPlaceholderText(tr("a temporary file (save it afterwards)"));
    ringMb_ = spin(this, 1 << 20, tr("one file"), tr(" MB per file"));
    ringFiles_ = spin(this, 100000, tr("keep all"), tr(" files"));

    auto* form = new QFormLayout;
    form->addRow(tr("Capture filter:"), captureFilter_);
    form->addRow(tr("eBPF filter:"), ebpfFilter_);
    form->addRow(QString(), filterMessage);
    form->addRow(tr("System calls:"), syscalls_);
    form->addRow(tr("TLS secrets:"), tlsSecrets_);
    form->addRow(QString(), tlsMessage_);
    form->addRow(tr("Snap length:"), snaplen_);
    form->addRow(tr("Buffer size:"), bufferMb_);
    form->addRow(tr("Stop after:"), duration_);
    form->addRow(QString(), packets_);
    form->addRow(QString(), sizeMb_);
    form->addRow(tr("Output file:"), fileField(this, output_));
    form->addRow(tr("Ring buffer:"), ringMb_);
    form->addRow(QString(), ringFiles_);

    error_ = new QLabel(this);
    error_->setObjectName("captureError");
    error_->setWordWrap(true);
    error_->setStyleSheet("QLabel { background: #ffafaf; color: black; padding: 4px; }");
    error_->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    start_ = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    start_->setObjectName("start");
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(start_, &QPushButton::clicked, this, [this] {
        error_->hide();
        error_->setProperty("fromProbe", false);
        emit startRequested(settings());
    });

    auto* layout = new QVBoxLayout(this);
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(targets_, 1);
    targetRow->addWidget(addTarget, 0, Qt::AlignTop);
    layout->addWidget(new QLabel(tr("Helpers:"), this));
    layout->addLayout(targetRow);
    layout->addWidget(table_, 1);
    layout->addLayout(form);
    layout->addWidget(error_);
    layout->addWidget(buttons);
    resize(720, 640);
    reloadTargets();
}

CaptureOptionsDialog::~CaptureOptionsDialog() = default;

void CaptureOptionsDialog::reloadTargets()
{
    all_ = capture::loadTargets();
    const QSignalBlocker block(targets_);
    targets_->clear();
    for (const auto& t : all_) {
        auto* item = new QListWidgetItem(QString::fromStdString(t.name + "  (" + t.address + ")"), targets_);
        item->setData(Qt::UserRole, QString::fromStdString(t.name));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(t.name == "local" ? Qt::Checked : Qt::Unchecked);
    }
    targetsChanged();
}

void CaptureOptionsDialog::targetsChanged()
{
    std::vector<capture::CaptureTarget> chosen;
    for (int i = 0; i < targets_->count(); ++i)
        if (targets_->item(i)->checkState() == Qt::Checked)
            if (const auto t = capture::findTarget(all_, targets_->item(i)->data(Qt::UserRole).toString().toStdString()))
                chosen.push_back(*t);
    model_->setShowTargets(chosen.size() > 1);
    probe_->setTargets(chosen);
    // Interfaces of targets no longer chosen go.
    for (const auto& t : all_)
        if (std::none_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.name == t.name; }))
            model_->update(QString::fromStdString(t.name), {}, {});
    updateStart();
}

bool CaptureOptionsDialog::addTarget(const capture::CaptureTarget& target, QString* error)
{
    auto targets = capture::loadTargets();
    std::erase_if(targets, [&](const auto& t) { return t.name == target.name; });
    targets.push_back(target);
    std::string why;
    if (!capture::saveTargets(targets, &why)) {
        *error = QString::fromStdString(why);
        return false;
    }
    reloadTargets();
    for (int i = 0; i < targets_->count(); ++i)
        if (targets_->item(i)->data(Qt::UserRole).toString().toStdString() == target.name)
            targets_->item(i)->setCheckState(Qt::Checked);
    return true;
}

void CaptureOptionsDialog::addTargetDialog()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Add Remote Helper"));
    auto* name = new QLineEdit(&dialog);
    auto* address = new QLineEdit("tls://", &dialog);
    auto* ca = new QLineEdit(&dialog);
    auto* cert = new QLineEdit(&dialog);
    auto* key = new QLineEdit(&dialog);
    auto* serverName = new QLineEdit(&dialog);
    serverName->setPlaceholderText(tr("the name its certificate carries, if not its address"));
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Name:"), name);
    form->addRow(tr("Address:"), address);
    form->addRow(tr("CA:"), fileField(&dialog, ca));
    form->addRow(tr("Certificate:"), fileField(&dialog, cert));
    form->addRow(tr("Key:"), fileField(&dialog, key));
    form->addRow(tr("Server name:"), serverName);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    capture::CaptureTarget t{name->text().trimmed().toStdString(), address->text().trimmed().toStdString(),
                             {ca->text().toStdString(), cert->text().toStdString(), key->text().toStdString(),
                              serverName->text().trimmed().toStdString()}};
    QString error;
    if (!addTarget(t, &error))
        showError(error);
}

void CaptureOptionsDialog::checkEbpfFilter()
{
    const QString text = ebpfFilter_->text().trimmed();
    if (text.isEmpty())
        return;
    // The first chosen helper's parser decides (every helper has the same one).
    for (int i = 0; i < targets_->count(); ++i)
        if (targets_->item(i)->checkState() == Qt::Checked) {
            probe_->checkFilter(targets_->item(i)->data(Qt::UserRole).toString(), ebpfFilter_->text(), QString());
            return;
        }
}

void CaptureOptionsDialog::updateStart()
{
    const bool filtersOk = captureFilter_->state() != ValidatedEdit::State::Invalid &&
                           ebpfFilter_->state() != ValidatedEdit::State::Invalid;
    // The helper refuses the selected processes' secrets without a filter to select them.
    const bool tlsOk = tlsSecrets_->currentIndex() != 1 || !ebpfFilter_->text().trimmed().isEmpty();
    tlsMessage_->setText(tlsOk ? QString() : tr("Give an eBPF filter that selects the processes, or take every process's."));
    tlsMessage_->setVisible(!tlsOk);
    start_->setEnabled(filtersOk && tlsOk && !model_->checkedTargets().empty());
}

void CaptureOptionsDialog::showError(const QString& text)
{
    error_->setProperty("fromProbe", false);
    error_->setText(text);
    error_->setVisible(!text.isEmpty());
}

CaptureSettings CaptureOptionsDialog::settings() const
{
    CaptureSettings s;
    for (const QString& target : model_->checkedTargets())
        if (const auto t = capture::findTarget(all_, target.toStdString()))
            s.sources.push_back({*t, model_->checked(target)});
    s.captureFilter = captureFilter_->text().trimmed().toStdString();
    s.ebpfFilter = ebpfFilter_->text().trimmed().toStdString();
    const QString syscalls = syscalls_->currentText().trimmed();
    s.syscalls = syscalls == "none" ? std::string() : syscalls.toStdString();
    s.tlsSecrets = tlsSecrets_->currentIndex();
    s.snaplen = std::uint32_t(snaplen_->value());
    s.bufferBytes = std::uint64_t(bufferMb_->value()) << 20;
    s.durationMs = std::uint64_t(duration_->value()) * 1000;
    s.packets = std::uint64_t(packets_->value());
    s.maxBytes = std::uint64_t(sizeMb_->value()) * 1000000;
    s.outputPath = output_->text().trimmed().toStdString();
    s.ringBytes = std::uint64_t(ringMb_->value()) * 1000000;
    s.ringFiles = unsigned(ringFiles_->value());
    return s;
}

} // namespace ss::ui
