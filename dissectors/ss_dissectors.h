// SPDX-License-Identifier: GPL-2.0-or-later
// Our dissectors as one epan plugin description: the CLI and GUI register it before
// epan_init (EpanRuntime::Options::builtinDissectors); plugin.cpp exports it to stock
// Wireshark/tshark 4.0.
#pragma once

#include <epan/proto.h>

namespace ss::dissect {
const proto_plugin* stratosharkDissectors();
}
