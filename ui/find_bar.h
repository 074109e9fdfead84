// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QWidget>

#include "packet_search.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;

namespace ss::ui {

// The bar Edit → Find Packet (Ctrl+F) opens under the filter bar, as in Wireshark: what to
// search by, where, character width, case, the text; Find (Enter, Ctrl+N / Ctrl+B for
// next / previous) selects the next matching packet in the list.
class FindBar : public QWidget {
    Q_OBJECT
public:
    FindBar(CaptureSession& session, PacketListModel& model, QTableView& list, QWidget* parent = nullptr);

    void open();                // shows the bar, focus in the text
    void find(bool forward);    // from the selected packet (a search already running is replaced)
    void setSpec(const SearchSpec& spec);
    SearchSpec spec() const;
    PacketSearch& search() { return search_; }

signals:
    void message(const QString& text);
    void closed(); // Cancel or Esc

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void kindChanged();
    void close();

    PacketSearch search_;
    PacketListModel& model_;
    QTableView& list_;
    QComboBox* kind_;
    QComboBox* where_;
    QComboBox* width_;
    QCheckBox* case_;
    QLineEdit* text_;
    QPushButton* find_;
};

} // namespace ss::ui
