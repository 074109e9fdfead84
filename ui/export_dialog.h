// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

#include <vector>

#include "packet_range.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace ss::ui {

// File → Export Specified Packets (and Save As, with every packet): the file, its format
// (those wiretap can write for this capture's link type), and Wireshark's packet range box —
// All / Selected / Marked / First to last marked / Range, of the Captured or Displayed
// packets, Remove ignored — each with how many packets it selects in both columns.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    struct Format {
        QString name;
        int fileType; // wtap file type/subtype
        QString extension;
    };
    // The formats wiretap writes for `fileEncap` (pcapng first).
    static std::vector<Format> formatsFor(int fileEncap);

    ExportDialog(PacketRangeInput input, int fileEncap, bool wholeFile, QWidget* parent = nullptr);

    PacketRange range() const;
    void setRange(const PacketRange& range);
    QString path() const;
    void setPath(const QString& path);
    int fileType() const;
    void setFileType(int fileType);
    // How many packets `scope` selects, captured or displayed (what the dialog shows).
    QString countText(PacketRange::Scope scope, bool displayed) const;

private:
    void updateCounts();

    PacketRangeInput input_;
    std::vector<Format> formats_;
    QLineEdit* path_;
    QComboBox* format_;
    QButtonGroup* scopes_;
    QRadioButton* captured_;
    QRadioButton* displayed_;
    QLineEdit* rangeText_;
    QCheckBox* removeIgnored_;
    std::vector<std::pair<QLabel*, QLabel*>> counts_; // per scope: captured, displayed
};

} // namespace ss::ui
