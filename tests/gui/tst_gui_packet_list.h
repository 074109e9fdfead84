// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

class QObject;
namespace ss {
class EpanRuntime;
}

// The packet list's actions' test class (tst_gui_packet_list.cpp), run by tst_gui.cpp's main.
QObject* makePacketListGuiTest(ss::EpanRuntime& runtime, QObject* parent);
