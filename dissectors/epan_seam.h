// SPDX-License-Identifier: GPL-2.0-or-later
// The epan headers the dissectors use (some 4.0 headers lack extern "C" guards).
#pragma once

#include <vector>

#include <glib.h>
extern "C" {
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <wiretap/wtap.h>
#include <wiretap/pcap-encap.h>
#include <wsutil/inet_addr.h>
}
