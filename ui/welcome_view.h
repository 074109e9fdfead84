// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QWidget>

class QTableView;

namespace ss::ui {

class HelperProbe;
class InterfaceModel;

// What the window shows with no file open, as Wireshark's welcome page: the interfaces of
// the local helper and of the remembered remote ones, with their traffic now; a double
// click captures on one.
class WelcomeView : public QWidget {
    Q_OBJECT
public:
    explicit WelcomeView(QWidget* parent = nullptr);

    InterfaceModel* interfaces() const { return model_; }
    QTableView* table() const { return table_; }
    void reload(); // the targets again (after the capture dialog added one)
    void setActive(bool active); // polls the helpers only while shown

signals:
    void captureRequested(const QString& target, const QString& interface);

private:
    HelperProbe* probe_;
    InterfaceModel* model_;
    QTableView* table_;
};

} // namespace ss::ui
