// SPDX-License-Identifier: GPL-2.0-or-later
#include "stat_tree_model.h"

namespace ss::ui {

StatTreeModel::Node* StatTreeModel::Node::add(QVector<QVariant> rowValues)
{
    auto child = std::make_unique<Node>();
    child->values = std::move(rowValues);
    child->parent = this;
    child->row = int(children.size());
    children.push_back(std::move(child));
    return children.back().get();
}

StatTreeModel::StatTreeModel(QStringList headers, QObject* parent)
    : QAbstractItemModel(parent), headers_(std::move(headers)), root_(std::make_unique<Node>())
{
}

StatTreeModel::~StatTreeModel() = default;

void StatTreeModel::setRoot(std::unique_ptr<Node> root, const QStringList& headers)
{
    beginResetModel();
    if (!headers.isEmpty())
        headers_ = headers;
    root_ = root ? std::move(root) : std::make_unique<Node>();
    endResetModel();
}

const StatTreeModel::Node* StatTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : root_.get();
}

QModelIndex StatTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= headers_.size() || (parent.isValid() && parent.column() != 0))
        return {};
    const Node* p = nodeOf(parent);
    if (row < 0 || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex StatTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* p = nodeOf(child)->parent;
    if (!p || p == root_.get())
        return {};
    return createIndex(p->row, 0, const_cast<Node*>(p));
}

int StatTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int StatTreeModel::columnCount(const QModelIndex&) const
{
    return int(headers_.size());
}

QVariant StatTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node* n = nodeOf(index);
    const QVariant value = index.column() < n->values.size() ? n->values[index.column()] : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        if (value.typeId() == QMetaType::Double)
            return QString::number(value.toDouble(), 'f', 2);
        return value;
    case SortRole: return value;
    case FrameRole: return n->frame ? QVariant(n->frame) : QVariant();
    case FilterRole: return n->filter.isEmpty() ? QVariant() : QVariant(n->filter);
    case Qt::TextAlignmentRole:
        return index.column() > 0 ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default: return {};
    }
}

QVariant StatTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= headers_.size())
        return {};
    return headers_[section];
}

} // namespace ss::ui
