// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractItemModel>

#include <map>
#include <memory>
#include <vector>

struct pref_module;
struct preference;

namespace ss::ui {

// Every epan preference as Wireshark's Preferences → Advanced shows it: a tree of modules
// (Protocols → TCP …) and their preferences with full name (tcp.desegment_tcp_streams),
// status, type and value. Values are edited as the preferences file writes them; edits wait
// in the model until apply() sets them through epan (prefs_set_pref, as -o does).
class PreferencesModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Status, Type, Value, kColumns };
    static constexpr int TitleRole = Qt::UserRole + 1;  // the preference's title ("Allow subdissector…")
    static constexpr int SearchRole = Qt::UserRole + 2; // name, title and description: what a search matches

    explicit PreferencesModel(QObject* parent = nullptr);
    ~PreferencesModel() override;

    // The index of a preference by full name, or invalid.
    QModelIndex find(const QString& name) const;
    // Sets the pending edits in epan. Returns the errors (empty when all went in), one per
    // refused value, naming the preference.
    QStringList apply();
    bool pending() const { return !edits_.empty(); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Node {
        Node* parent = nullptr;
        int row = 0;
        pref_module* module = nullptr;
        preference* pref = nullptr; // null for a module
        QString name;               // full name for a preference, title for a module
        std::vector<Node*> children;
    };
    Node* nodeOf(const QModelIndex& index) const;
    Node* add(Node* parent, pref_module* module, preference* pref, const QString& name);
    void addModule(Node* parent, pref_module* module, const QString& prefix);
    QString valueOf(const Node& node) const;

    std::vector<std::unique_ptr<Node>> nodes_;
    Node root_;
    std::map<QString, Node*> byName_;
    std::map<Node*, QString> edits_;
};

} // namespace ss::ui
