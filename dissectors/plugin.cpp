// SPDX-License-Identifier: GPL-2.0-or-later
// The same dissectors as a plugin for Debian's Wireshark/tshark 4.0
// (installed into the system plugin folder: `pkg-config --variable=plugindir wireshark`/epan).
#include "ss_dissectors.h"

#include <ws_symbol_export.h>

extern "C" WS_DLL_PUBLIC_DEF const char plugin_version[] = "0.1.0";
extern "C" WS_DLL_PUBLIC_DEF const int plugin_want_major = 4;
extern "C" WS_DLL_PUBLIC_DEF const int plugin_want_minor = 0;

extern "C" WS_DLL_PUBLIC_DEF void plugin_register(void)
{
    proto_register_plugin(ss::dissect::stratosharkDissectors());
}
