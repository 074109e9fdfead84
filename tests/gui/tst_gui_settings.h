// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

class QObject;
namespace ss {
class EpanRuntime;
}

// Profiles, coloring rules and preferences (tst_gui_settings.cpp), run by tst_gui.cpp's main.
QObject* makeSettingsGuiTest(ss::EpanRuntime& runtime, QObject* parent);
