// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QVector>

#include <deque>
#include <map>
#include <set>
#include <vector>

#include "helper_probe.h"

namespace ss::ui {

// The helpers' interfaces, a row each ("node-a/eth0" with several targets), with the packets
// per second they carry now as Wireshark's welcome page draws them (a sparkline of the last
// 20 seconds and the current rate), checkable for a capture. Fed by HelperProbe.
class InterfaceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Traffic, Status, ColumnCount };
    enum Role { TargetRole = Qt::UserRole + 1, InterfaceRole, RateRole };

    explicit InterfaceModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // One target's interfaces as its helper listed them now (or why it could not).
    void update(const QString& target, const QVector<HelperProbe::Interface>& list, const QString& error);
    // Several targets: names are shown as target/interface.
    void setShowTargets(bool show);
    void check(const QString& target, const QString& interface, bool on);
    // Checked interfaces of a target.
    std::vector<std::string> checked(const QString& target) const;
    std::set<QString> checkedTargets() const;
    QString errorOf(const QString& target) const;
    int rowOf(const QString& target, const QString& interface) const;

private:
    struct Row {
        QString target, name;
        bool up = false, checked = false;
        quint64 lastPackets = 0;
        bool counted = false;
        std::deque<double> rates; // packets/s, newest last
    };
    QString sparkline(const Row& row) const;

    std::vector<Row> rows_;
    std::map<QString, QString> errors_;
    bool showTargets_ = false;
};

} // namespace ss::ui
