// SPDX-License-Identifier: GPL-2.0-or-later
#include "view_settings.h"

#include "epan_includes.h"
#include "models/packet_list_model.h"

#include <QActionGroup>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QWidget>

namespace ss::ui {

ViewSettings::ViewSettings(PacketListModel& model, std::vector<QWidget*> zoomed, QObject* parent)
    : QObject(parent), model_(model), zoomed_(std::move(zoomed))
{
    for (QWidget* w : zoomed_)
        baseSizes_.push_back(w->font().pointSize());
    QSettings settings;
    if (settings.contains("view/timeFormat"))
        timestamp_set_type(ts_type(settings.value("view/timeFormat").toInt()));
    if (settings.contains("view/timePrecision"))
        timestamp_set_precision(settings.value("view/timePrecision").toInt());
    if (settings.contains("view/secondsHms"))
        timestamp_set_seconds_type(settings.value("view/secondsHms").toBool() ? TS_SECONDS_HOUR_MIN_SEC
                                                                                : TS_SECONDS_DEFAULT);
    if (settings.contains("view/resolve")) {
        const QString r = settings.value("view/resolve").toString();
        gbl_resolv_flags.mac_name = r.contains('m');
        gbl_resolv_flags.network_name = r.contains('n');
        gbl_resolv_flags.transport_name = r.contains('t');
    }
    // Network names come from the capture's own DNS records only, never from a lookup.
    gbl_resolv_flags.use_external_net_name_resolver = FALSE;
    gbl_resolv_flags.dns_pkt_addr_resolution = TRUE;
    zoom(settings.value("view/zoom", 0).toInt());
}

void ViewSettings::addToViewMenu(QMenu* view)
{
    QMenu* time = view->addMenu(tr("Time Display Format"));
    time->setObjectName("menuTimeDisplayFormat");
    auto* formats = new QActionGroup(time);
    const struct {
        const char* label;
        int type;
        int key;
    } kFormats[] = {
        {"Date and Time of Day (1970-01-01 01:02:03.123456)", TS_ABSOLUTE_WITH_YMD, Qt::Key_1},
        {"Year, Day of Year, and Time of Day (1970/001 01:02:03.123456)", TS_ABSOLUTE_WITH_YDOY, 0},
        {"Time of Day (01:02:03.123456)", TS_ABSOLUTE, Qt::Key_2},
        {"Seconds Since 1970-01-01", TS_EPOCH, Qt::Key_3},
        {"Seconds Since Beginning of Capture", TS_RELATIVE, Qt::Key_4},
        {"Seconds Since Previous Captured Packet", TS_DELTA, Qt::Key_5},
        {"Seconds Since Previous Displayed Packet", TS_DELTA_DIS, Qt::Key_6},
        {"UTC Date and Time of Day (1970-01-01 01:02:03.123456)", TS_UTC_WITH_YMD, Qt::Key_7},
        {"UTC Year, Day of Year, and Time of Day (1970/001 01:02:03.123456)", TS_UTC_WITH_YDOY, 0},
        {"UTC Time of Day (01:02:03.123456)", TS_UTC, Qt::Key_8},
    };
    for (const auto& f : kFormats) {
        QAction* a = time->addAction(tr(f.label), this, [this, type = f.type] { setTimeFormat(type); });
        a->setCheckable(true);
        a->setChecked(timestamp_get_type() == f.type);
        a->setData(f.type);
        a->setObjectName(QStringLiteral("actionViewTimeFormat%1").arg(f.type));
        if (f.key)
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | f.key));
        formats->addAction(a);
    }
    time->addSeparator();
    auto* precisions = new QActionGroup(time);
    const struct {
        const char* label;
        int precision;
    } kPrecisions[] = {{"Automatic (from capture file)", TS_PREC_AUTO},
                       {"Seconds", TS_PREC_FIXED_SEC},
                       {"Tenths of a second", TS_PREC_FIXED_DSEC},
                       {"Hundredths of a second", TS_PREC_FIXED_CSEC},
                       {"Milliseconds", TS_PREC_FIXED_MSEC},
                       {"Microseconds", TS_PREC_FIXED_USEC},
                       {"Nanoseconds", TS_PREC_FIXED_NSEC}};
    for (const auto& p : kPrecisions) {
        QAction* a = time->addAction(tr(p.label), this, [this, v = p.precision] { setTimePrecision(v); });
        a->setCheckable(true);
        a->setChecked(timestamp_get_precision() == p.precision);
        a->setObjectName(QStringLiteral("actionViewTimePrecision%1").arg(p.precision));
        precisions->addAction(a);
    }
    time->addSeparator();
    QAction* hms = time->addAction(tr("Display Seconds With Hours and Minutes"), this,
                                   [this](bool on) { setSecondsHms(on); });
    hms->setCheckable(true);
    hms->setChecked(timestamp_get_seconds_type() == TS_SECONDS_HOUR_MIN_SEC);
    hms->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_0));

    QMenu* names = view->addMenu(tr("Name Resolution"));
    names->setObjectName("menuNameResolution");
    const struct {
        const char* label;
        char flag;
    } kNames[] = {{"Resolve Physical Addresses", 'm'},
                  {"Resolve Network Addresses (from DNS in the capture)", 'n'},
                  {"Resolve Transport Addresses", 't'}};
    for (const auto& n : kNames) {
        QAction* a = names->addAction(tr(n.label));
        a->setCheckable(true);
        a->setChecked(n.flag == 'm' ? gbl_resolv_flags.mac_name
                                    : n.flag == 'n' ? gbl_resolv_flags.network_name : gbl_resolv_flags.transport_name);
        connect(a, &QAction::toggled, this, [this, flag = n.flag](bool on) {
            setNameResolution(flag == 'm' ? on : gbl_resolv_flags.mac_name,
                              flag == 'n' ? on : gbl_resolv_flags.network_name,
                              flag == 't' ? on : gbl_resolv_flags.transport_name);
        });
    }

    view->addSeparator();
    view->addAction(tr("Zoom In"), QKeySequence(Qt::CTRL | Qt::Key_Equal), this, [this] { zoom(zoom_ + 1); })
        ->setObjectName("actionViewZoomIn");
    view->addAction(tr("Zoom Out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), this, [this] { zoom(zoom_ - 1); })
        ->setObjectName("actionViewZoomOut");
    view->addAction(tr("Normal Size"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { zoom(0); })
        ->setObjectName("actionViewNormalSize");
}

void ViewSettings::setTimeFormat(int tsType)
{
    timestamp_set_type(ts_type(tsType));
    QSettings().setValue("view/timeFormat", tsType);
    apply();
}

void ViewSettings::setTimePrecision(int precision)
{
    timestamp_set_precision(precision);
    QSettings().setValue("view/timePrecision", precision);
    apply();
}

void ViewSettings::setSecondsHms(bool on)
{
    timestamp_set_seconds_type(on ? TS_SECONDS_HOUR_MIN_SEC : TS_SECONDS_DEFAULT);
    QSettings().setValue("view/secondsHms", on);
    apply();
}

void ViewSettings::setNameResolution(bool physical, bool network, bool transport)
{
    gbl_resolv_flags.mac_name = physical;
    gbl_resolv_flags.network_name = network;
    gbl_resolv_flags.transport_name = transport;
    QSettings().setValue("view/resolve", QString(physical ? "m" : "") + (network ? "n" : "") + (transport ? "t" : ""));
    apply();
}

void ViewSettings::zoom(int steps)
{
    zoom_ = std::clamp(steps, -6, 12);
    for (std::size_t i = 0; i < zoomed_.size(); ++i) {
        QFont font = zoomed_[i]->font();
        if (baseSizes_[i] > 0)
            font.setPointSize(std::max(4, baseSizes_[i] + zoom_));
        zoomed_[i]->setFont(font);
        if (auto* table = qobject_cast<QTableView*>(zoomed_[i])) // rows as tall as the text
            table->verticalHeader()->setDefaultSectionSize(QFontMetrics(font).height() + 4);
    }
    QSettings().setValue("view/zoom", zoom_);
}

void ViewSettings::apply()
{
    model_.refresh();
    emit changed();
}

} // namespace ss::ui
