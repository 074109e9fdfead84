// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

class QObject;
namespace ss {
class EpanRuntime;
}

// Statistics → Conversations and Endpoints' test class (tst_gui_conversations.cpp), run by
// tst_gui.cpp's main.
QObject* makeConversationGuiTest(ss::EpanRuntime& runtime, QObject* parent);
