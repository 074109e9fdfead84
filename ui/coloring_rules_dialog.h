// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QTreeView;

namespace ss::ui {

class ColoringRulesModel;

// View → Coloring Rules: the profile's rules in Wireshark's order and format — add, copy,
// delete, move, switch on/off, edit name and filter in place, pick colours, import and
// export colorfilters files, restore the defaults. OK (save()) compiles every rule first,
// puts them into effect and writes the profile's colorfilters file; an invalid filter
// keeps the dialog open, naming the rule.
class ColoringRulesDialog : public QDialog {
    Q_OBJECT
public:
    // `newFilter`: the filter a new rule starts with (Wireshark takes the display filter).
    explicit ColoringRulesDialog(const QString& newFilter, QWidget* parent = nullptr);

    ColoringRulesModel* model() const { return model_; }
    QTreeView* view() const { return view_; }
    QString message() const;
    bool save();
    bool importFrom(const QString& path); // appended after the rules there are, as Wireshark does
    bool exportTo(const QString& path) const;
    void restoreDefaults();
    void moveSelected(int by); // -1 up, +1 down

signals:
    void rulesChanged(); // after a successful save

private:
    void pickColor(bool foreground);
    void validate();
    int currentRow() const;

    ColoringRulesModel* model_;
    QTreeView* view_;
    QLabel* message_;
    QString newFilter_;
};

} // namespace ss::ui
