// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

class QObject;
namespace ss {
class EpanRuntime;
}

// The analysis views' test class (tst_gui_analysis.cpp), run by tst_gui.cpp's main.
QObject* makeAnalysisGuiTest(ss::EpanRuntime& runtime, QObject* parent);
