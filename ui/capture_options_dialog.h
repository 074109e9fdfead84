// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <vector>

#include "capture_targets.h"
#include "live_capture.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableView;

namespace ss::ui {

class HelperProbe;
class InterfaceModel;
class ValidatedEdit;

// Capture → Options… (Ctrl+K): the helpers to capture from (the local one and remembered
// tls:// nodes with their certificate files), their interfaces with live packet rates, a
// capture filter checked by libpcap as you type, an eBPF filter checked by the helper's own
// parser, syscalls, TLS secrets, snap length, the kernel buffer, when to stop, where the file goes. Start hands the
// settings on; refusals and errors are shown in the dialog, in words.
class CaptureOptionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit CaptureOptionsDialog(QWidget* parent = nullptr);
    ~CaptureOptionsDialog() override;

    CaptureSettings settings() const;
    // Shows a problem above the buttons (a refusal, an unreachable node).
    void showError(const QString& text);

    InterfaceModel* interfaces() const { return model_; }
    ValidatedEdit* captureFilter() const { return captureFilter_; }
    ValidatedEdit* ebpfFilter() const { return ebpfFilter_; }
    QPushButton* startButton() const { return start_; }
    QSpinBox* bufferSize() const { return bufferMb_; }
    // Off, the selected processes' (needs an eBPF filter: Start waits for one), every process's.
    QComboBox* tlsSecrets() const { return tlsSecrets_; }
    QListWidget* targetList() const { return targets_; }
    // Adds (or replaces) a remote target and remembers it.
    bool addTarget(const capture::CaptureTarget& target, QString* error);

signals:
    void startRequested(const ss::ui::CaptureSettings& settings);

private:
    void reloadTargets();
    void targetsChanged();
    void addTargetDialog();
    void checkEbpfFilter();
    void updateStart();

    std::vector<capture::CaptureTarget> all_;
    HelperProbe* probe_;
    InterfaceModel* model_;
    QListWidget* targets_;
    QTableView* table_;
    ValidatedEdit* captureFilter_;
    ValidatedEdit* ebpfFilter_;
    QComboBox* syscalls_;
    QComboBox* tlsSecrets_;
    QLabel* tlsMessage_;
    QSpinBox* snaplen_;
    QSpinBox* bufferMb_;
    QSpinBox* duration_;
    QSpinBox* packets_;
    QSpinBox* sizeMb_;
    QLineEdit* output_;
    QSpinBox* ringMb_;
    QSpinBox* ringFiles_;
    QLabel* error_;
    QPushButton* start_;
};

} // namespace ss::ui
