// SPDX-License-Identifier: GPL-2.0-or-later
#include "preferences_model.h"

#include <QFont>

#include "epan_includes.h"

#include <epan/prefs-int.h>

namespace ss::ui {
namespace {

bool shown(pref_t* pref)
{
    const int type = prefs_get_type(pref);
    return type != PREF_OBSOLETE && type != PREF_STATIC_TEXT;
}

bool editable(pref_t* pref)
{
    return prefs_get_type(pref) != PREF_UAT; // a table: edited as a file, not a value
}

QString takeString(char* text)
{
    QString s = QString::fromUtf8(text ? text : "");
    g_free(text);
    return s;
}

} // namespace

PreferencesModel::PreferencesModel(QObject* parent) : QAbstractItemModel(parent)
{
    struct Walk {
        PreferencesModel* self;
        Node* parent;
        QString prefix;
    };
    Walk top{this, &root_, {}};
    prefs_modules_foreach_submodules(
        nullptr,
        [](module_t* module, gpointer data) -> guint {
            auto* walk = static_cast<Walk*>(data);
            walk->self->addModule(walk->parent, module, walk->prefix);
            return 0;
        },
        &top);
}

PreferencesModel::~PreferencesModel() = default;

PreferencesModel::Node* PreferencesModel::add(Node* parent, pref_module* module, preference* pref, const QString& name)
{
    auto node = std::make_unique<Node>();
    node->parent = parent;
    node->row = int(parent->children.size());
    node->module = module;
    node->pref = pref;
    node->name = name;
    parent->children.push_back(node.get());
    nodes_.push_back(std::move(node));
    return nodes_.back().get();
}

void PreferencesModel::addModule(Node* parent, pref_module* module, const QString& prefix)
{
    if (module->obsolete)
        return;
    // A subtree without a name of its own (GUI → Columns) names its preferences after the
    // closest module that has one, as the preferences file does.
    const QString own = module->name ? QString::fromUtf8(module->name) : prefix;
    Node* node = add(parent, module, nullptr, QString::fromUtf8(module->title ? module->title : module->name));
    struct Walk {
        PreferencesModel* self;
        Node* parent;
        QString prefix;
    };
    Walk walk{this, node, own};
    prefs_pref_foreach(
        module,
        [](pref_t* pref, gpointer data) -> guint {
            auto* w = static_cast<Walk*>(data);
            if (shown(pref)) {
                const QString name = w->prefix + '.' + QString::fromUtf8(prefs_get_name(pref));
                w->self->byName_[name] = w->self->add(w->parent, w->parent->module, pref, name);
            }
            return 0;
        },
        &walk);
    if (prefs_module_has_submodules(module))
        prefs_modules_foreach_submodules(
            module,
            [](module_t* sub, gpointer data) -> guint {
                auto* w = static_cast<Walk*>(data);
                w->self->addModule(w->parent, sub, w->prefix);
                return 0;
            },
            &walk);
    if (node->children.empty()) { // nothing to show: drop it again
        parent->children.pop_back();
        nodes_.pop_back();
    }
}

PreferencesModel::Node* PreferencesModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : const_cast<Node*>(&root_);
}

QModelIndex PreferencesModel::find(const QString& name) const
{
    auto it = byName_.find(name);
    return it == byName_.end() ? QModelIndex() : createIndex(it->second->row, 0, it->second);
}

QModelIndex PreferencesModel::index(int row, int column, const QModelIndex& parent) const
{
    const Node* p = nodeOf(parent);
    if (row < 0 || column < 0 || column >= kColumns || row >= int(p->children.size()) ||
        (parent.isValid() && parent.column() != 0))
        return {};
    return createIndex(row, column, p->children[size_t(row)]);
}

QModelIndex PreferencesModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* p = nodeOf(child)->parent;
    return p == &root_ ? QModelIndex() : createIndex(p->row, 0, const_cast<Node*>(p));
}

int PreferencesModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int PreferencesModel::columnCount(const QModelIndex&) const
{
    return kColumns;
}

QString PreferencesModel::valueOf(const Node& node) const
{
    if (auto it = edits_.find(const_cast<Node*>(&node)); it != edits_.end())
        return it->second;
    if (prefs_get_type(node.pref) == PREF_PASSWORD)
        return QStringLiteral("••••••");
    return takeString(prefs_pref_to_str(node.pref, pref_current));
}

QVariant PreferencesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node& node = *nodeOf(index);
    if (!node.pref) {
        if (role == Qt::DisplayRole && index.column() == Name)
            return node.name;
        if (role == SearchRole)
            return node.name;
        if (role == Qt::ToolTipRole && node.module->description)
            return QString::fromUtf8(node.module->description);
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case Name:
            return node.name;
        case Status:
            return edits_.count(const_cast<Node*>(&node)) ? tr("Changed (not applied)")
                   : prefs_pref_is_default(node.pref)     ? tr("Default")
                                                          : tr("Changed");
        case Type:
            return QString::fromUtf8(prefs_pref_type_name(node.pref));
        case Value:
            return valueOf(node);
        }
        return {};
    case Qt::ToolTipRole:
        return QString::fromUtf8(prefs_get_title(node.pref)) + "\n" +
               QString::fromUtf8(prefs_get_description(node.pref) ? prefs_get_description(node.pref) : "");
    case TitleRole:
        return QString::fromUtf8(prefs_get_title(node.pref));
    case SearchRole:
        return node.name + '\n' + QString::fromUtf8(prefs_get_title(node.pref)) + '\n' +
               QString::fromUtf8(prefs_get_description(node.pref) ? prefs_get_description(node.pref) : "");
    case Qt::FontRole:
        if (!prefs_pref_is_default(node.pref) || edits_.count(const_cast<Node*>(&node))) {
            QFont bold;
            bold.setBold(true); // Wireshark shows changed preferences in bold
            return bold;
        }
        return {};
    default:
        return {};
    }
}

bool PreferencesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    Node* node = nodeOf(index);
    if (!index.isValid() || !node->pref || index.column() != Value || role != Qt::EditRole || !editable(node->pref))
        return false;
    const QString text = value.toString();
    if (text == takeString(prefs_pref_to_str(node->pref, pref_current)))
        edits_.erase(node);
    else
        edits_[node] = text;
    emit dataChanged(this->index(index.row(), 0, index.parent()), this->index(index.row(), kColumns - 1, index.parent()));
    return true;
}

QVariant PreferencesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case Type:
        return tr("Type");
    case Value:
        return tr("Value");
    }
    return {};
}

Qt::ItemFlags PreferencesModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const Node* node = nodeOf(index);
    if (node->pref && index.column() == Value && editable(node->pref))
        f |= Qt::ItemIsEditable;
    return f;
}

QStringList PreferencesModel::apply()
{
    QStringList errors;
    std::vector<Node*> done;
    for (const auto& [node, text] : edits_) {
        QByteArray arg = (node->name + ':' + text).toUtf8();
        char* detail = nullptr;
        const prefs_set_pref_e result = prefs_set_pref(arg.data(), &detail);
        const QString why = takeString(detail);
        if (result == PREFS_SET_OK)
            done.push_back(node);
        else
            errors << tr("%1: \"%2\" is not a valid value%3").arg(node->name, text, why.isEmpty() ? "" : ": " + why);
    }
    for (Node* node : done)
        edits_.erase(node);
    if (!done.empty()) {
        prefs_apply_all();
        beginResetModel(); // statuses and values of every row may have changed
        endResetModel();
    }
    return errors;
}

} // namespace ss::ui
