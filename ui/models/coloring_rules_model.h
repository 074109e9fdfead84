// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "color_rules.h"
#include "vector_table_model.h"

namespace ss::ui {

// The rules View → Coloring Rules edits: name (checkable: the rule is on), filter, shown in
// their own colours. Rows are added, removed and moved as the dialog's buttons ask.
class ColoringRulesModel : public VectorTableModel<ColorRule> {
    Q_OBJECT
public:
    enum Column { Name, Filter, kColumns };

    explicit ColoringRulesModel(QObject* parent = nullptr) : VectorTableModel(parent) {}

    void setRules(std::vector<ColorRule> rules) { setRows(std::move(rules)); }
    const std::vector<ColorRule>& rules() const { return rows_; }
    // A new rule before `row` (at the end when out of range); its row.
    int addRule(const ColorRule& rule, int row = -1) { return insertRow(rule, row); }
    void setColors(int row, const ColorRule::Rgb* foreground, const ColorRule::Rgb* background);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
};

} // namespace ss::ui
